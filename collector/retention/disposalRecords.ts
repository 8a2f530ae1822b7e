// The disposal records: one per disposal (a device's events, the access log's oldest entries,
// alerts, reviews), hash-chained and each signed by the collector key like the access log
// (console/accessLog.ts SignedChain). They say what was disposed, under which rule, when and
// by whom, and are never disposed themselves: they are what shows a missing stretch was
// disposed on schedule rather than removed.
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { deviceIdSchema } from '../../common/audit/syncProtocol';
import { SignedChain, type ChainCheck, type CollectorKey } from '../console/accessLog';
import type { CollectorDatabase } from '../database';

const hex64 = z.string().regex(/^[0-9a-f]{64}$/);
const seqNumber = z.number().int().nonnegative();

/** The rule a disposal applied: the period, the cutoff it gave, and which time it was measured from. */
export const disposalRuleSchema = z
  .object({
    period: z.string(),
    cutoff: z.iso.datetime(),
    /** received: when the collector received an event; activity: an alert's last occurrence or handling; reviewed: a review's time; logged: an access-log entry's time. */
    basis: z.enum(['received', 'activity', 'reviewed', 'logged']),
  })
  .strict();
export type DisposalRule = z.infer<typeof disposalRuleSchema>;

const common = {
  seq: z.number().int().positive(),
  at: z.iso.datetime(),
  /** `automatic`, `command line (<login>)`, or a console user's name and subject. */
  by: z.string(),
  rule: disposalRuleSchema,
};
/** A disposed prefix of a chain: entries from..to, and where the kept chain starts. */
const chainPrefix = {
  from: z.number().int().positive(),
  to: z.number().int().positive(),
  count: seqNumber,
  lastDisposedLink: hex64,
  firstKept: z.object({ seq: z.number().int().positive(), link: hex64 }).strict(),
};

export const disposalRecordSchema = z.discriminatedUnion('what', [
  z.object({ ...common, what: z.literal('events'), deviceId: deviceIdSchema, ...chainPrefix }).strict(),
  z.object({ ...common, what: z.literal('access-log'), ...chainPrefix }).strict(),
  // ids: the lowest and highest disposed alert id.
  z.object({ ...common, what: z.literal('alerts'), count: seqNumber, ids: z.tuple([z.number().int(), z.number().int()]) }).strict(),
  /** Reviews: session rows whose events were already disposed are removed; on sessions still kept the review mark is cleared. */
  z.object({ ...common, what: z.literal('reviews'), removed: seqNumber, cleared: seqNumber }).strict(),
]);
export type DisposalRecord = z.infer<typeof disposalRecordSchema>;
/** What a disposal states; the chain adds seq and the time. */
type WithoutNumbering<R> = R extends unknown ? Omit<R, 'seq' | 'at'> : never;
export type DisposalContent = WithoutNumbering<DisposalRecord>;

export function disposalRecords(db: Kysely<CollectorDatabase>, key: CollectorKey): SignedChain {
  return new SignedChain(db, key, 'disposal_records');
}

/** Appends a record (inside the disposal's transaction); returns its number. */
export function appendDisposalRecord(trx: Kysely<CollectorDatabase>, key: CollectorKey, content: DisposalContent, now: number): Promise<number> {
  return disposalRecords(trx, key).append((seq) => ({ seq, at: new Date(now).toISOString(), ...content }));
}

/** The newest records first. A body that is not a record (edited in the database) is left out; verify() names it. */
export async function recentDisposals(db: Kysely<CollectorDatabase>, limit: number): Promise<DisposalRecord[]> {
  const rows = await db.withTables<{ disposal_records: { seq: number; body: string } }>().selectFrom('disposal_records').select('body').orderBy('seq', 'desc').limit(limit).execute();
  return rows.flatMap((row) => {
    const parsed = disposalRecordSchema.safeParse(JSON.parse(row.body));
    return parsed.success ? [parsed.data] : [];
  });
}

export function verifyDisposalRecords(db: Kysely<CollectorDatabase>, key: CollectorKey): Promise<ChainCheck> {
  return disposalRecords(db, key).verify();
}
