import type { Migration } from './index';

/**
 * Each VA's latest acceptance of each agreement the policy lists, so a restart does not
 * ask again. Kept in the encrypted queue beside the acceptance events themselves.
 */
export const migration005AgreementAcceptances: Migration = {
  version: 5,
  description: 'latest agreement acceptance per VA and document',
  sql: `
    CREATE TABLE agreement_acceptances (
      subject TEXT NOT NULL,
      document_id TEXT NOT NULL,
      version TEXT NOT NULL,
      sha256 TEXT NOT NULL CHECK (length(sha256) = 64),
      accepted_at INTEGER NOT NULL,
      PRIMARY KEY (subject, document_id)
    ) STRICT;
  `,
};
