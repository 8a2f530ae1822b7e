import type { Migration } from './index';

/** Device-signed checkpoints over (sequence, head link), for the collector to verify. */
export const migration002Checkpoints: Migration = {
  version: 2,
  description: 'signed checkpoints of the chain head',
  sql: `
    CREATE TABLE checkpoints (
      seq INTEGER PRIMARY KEY,
      link BLOB NOT NULL CHECK (length(link) = 32),
      signature BLOB NOT NULL,
      created_at INTEGER NOT NULL
    ) STRICT;
  `,
};
