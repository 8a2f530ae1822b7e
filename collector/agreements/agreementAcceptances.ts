// Agreement acceptances as the collector knows them: from the agreement.accepted events the
// devices delivered (verified, hash-chained), the latest per VA and document, with the
// version, the SHA-256 of the text the VA saw and how they signed in, read with the one
// parser of that reason (common/gates/agreementEvent). An event whose reason does not parse
// counts for nothing: the VA shows as due.
import { createHash } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { parseAgreementEventReason } from '../../common/gates/agreementEvent';
import type { AgreementAcceptance } from '../../common/gates/agreementStanding';
import type { AgreementPolicy } from '../../common/policy/policySchema';
import type { CollectorDatabase } from '../database';

export interface SeenAcceptance extends AgreementAcceptance {
  /** The `amr` methods of the sign-in the VA accepted in. */
  mfaMethods: string[];
}

/** Latest acceptance by VA (IdP subject), then by document id. */
export type AcceptancesByVa = Map<string, Map<string, SeenAcceptance>>;

function reasonOf(body: string): string | null {
  try {
    const event = JSON.parse(body) as { reason?: unknown };
    return typeof event.reason === 'string' ? event.reason : null;
  } catch {
    return null;
  }
}

export async function latestAcceptances(db: Kysely<CollectorDatabase>): Promise<AcceptancesByVa> {
  // The type as a literal: only then may SQLite and PostgreSQL use the partial index of migration 0007.
  const rows = await db
    .selectFrom('events')
    .select(['subject', 'body', 'recorded_at'])
    .where(sql<boolean>`type = 'agreement.accepted'`)
    .where('subject', 'is not', null)
    .orderBy('recorded_at')
    .execute();
  const latest: AcceptancesByVa = new Map();
  for (const row of rows) {
    const reason = reasonOf(row.body);
    const facts = reason === null ? null : parseAgreementEventReason(reason);
    if (facts === null || row.subject === null || row.recorded_at === null) continue;
    const documents = latest.get(row.subject) ?? new Map<string, SeenAcceptance>();
    // In recording order: a later acceptance replaces an earlier one.
    documents.set(facts.documentId, { version: facts.version, sha256: facts.sha256, acceptedAt: row.recorded_at, mfaMethods: [...facts.mfaMethods] });
    latest.set(row.subject, documents);
  }
  return latest;
}

/** The SHA-256 a device compares acceptances with: of the policy's own text, or the one the policy gives for a URL. */
export function documentSha256(doc: AgreementPolicy): string {
  return doc.text === undefined ? (doc.sha256 ?? '') : createHash('sha256').update(doc.text, 'utf8').digest('hex');
}
