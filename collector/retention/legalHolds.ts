// Legal holds: while one is active, nothing it covers is disposed, whatever its age. A hold
// on a VA (`user`, their IdP subject) covers their events on every device, the sessions and
// reviews of those events and the alerts about them; a hold on a device covers all of that
// device's events, sessions, reviews and alerts. While any hold is active the console access
// log is kept whole (it may show who looked at the held records). Holds are never deleted:
// releasing one records who released it and when.
//
// API for the console (keep these names and shapes):
//   placeHold(db, { kind: 'user' | 'device', target, reason, by }, now) -> PlaceHoldResult
//   releaseHold(db, holdId, by, now) -> ReleaseHoldResult
//   activeHolds(db) -> LegalHold[] (oldest first)
import type { Kysely, Selectable } from 'kysely';
import { z } from 'zod';
import { deviceIdSchema } from '../../common/audit/syncProtocol';
import type { CollectorDatabase } from '../database';
import { describeIssues } from '../validationMessage';
import { retentionDatabase, type LegalHoldsTable } from './retentionTables';

export const HOLD_KINDS = ['user', 'device'] as const;
export type HoldKind = (typeof HOLD_KINDS)[number];

/** No control characters: a target or reason is shown in the console and written to records. */
const printable = (what: string, max: number) =>
  z
    .string()
    .trim()
    .min(1, `${what} must not be empty`)
    .max(max, `${what} must be at most ${max} characters`)
    .regex(/^[^\p{Cc}]*$/u, `${what} must not contain control characters`);

export const holdRequestSchema = z
  .object({
    kind: z.enum(HOLD_KINDS),
    /** The VA's IdP subject (kind user) or the device id (kind device). */
    target: printable('the target', 256),
    /** Why: the matter, case or request the hold serves. */
    reason: printable('the reason', 1000),
    /** Who places it: a console user's name and subject, or `command line (<login>)`. */
    by: printable('who places the hold', 300),
  })
  .strict()
  .superRefine((hold, context) => {
    if (hold.kind === 'device' && !deviceIdSchema.safeParse(hold.target).success) context.addIssue({ code: 'custom', path: ['target'], message: 'a device hold names a device id (32 lowercase hex digits)' });
  });
export type HoldRequest = z.input<typeof holdRequestSchema>;

export const releaseRequestSchema = z.object({ holdId: z.number().int().positive('the hold id must be a positive whole number'), by: printable('who releases the hold', 300) }).strict();

export interface LegalHold {
  id: number;
  kind: HoldKind;
  target: string;
  reason: string;
  placedBy: string;
  placedAt: string;
  releasedBy: string | null;
  releasedAt: string | null;
}

export type PlaceHoldResult = { ok: true; hold: LegalHold } | { ok: false; message: string };
export type ReleaseHoldResult = { ok: true; hold: LegalHold } | { ok: false; message: string };

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

function toHold(row: Selectable<LegalHoldsTable>): LegalHold {
  return {
    id: Number(row.id),
    kind: row.kind,
    target: row.target,
    reason: row.reason,
    placedBy: row.placed_by,
    placedAt: new Date(Number(row.placed_at)).toISOString(),
    releasedBy: row.released_by,
    releasedAt: iso(row.released_at === null ? null : Number(row.released_at)),
  };
}

/** Places a hold. A device hold must name an enrolled device; a VA hold may precede the VA's first event. */
export async function placeHold(db: Kysely<CollectorDatabase>, request: HoldRequest, now: number): Promise<PlaceHoldResult> {
  const parsed = holdRequestSchema.safeParse(request);
  if (!parsed.success) return { ok: false, message: describeIssues(parsed.error, 'messages') };
  const { kind, target, reason, by } = parsed.data;
  const rdb = retentionDatabase(db);
  if (kind === 'device' && (await rdb.selectFrom('devices').select('device_id').where('device_id', '=', target).executeTakeFirst()) === undefined) {
    return { ok: false, message: `no enrolled device has the id ${target}` };
  }
  const row = await rdb.insertInto('legal_holds').values({ kind, target, reason, placed_by: by, placed_at: now, released_by: null, released_at: null }).returningAll().executeTakeFirstOrThrow();
  return { ok: true, hold: toHold(row) };
}

/** Releases an active hold; a hold that does not exist or was already released is refused. */
export async function releaseHold(db: Kysely<CollectorDatabase>, holdId: number, by: string, now: number): Promise<ReleaseHoldResult> {
  const parsed = releaseRequestSchema.safeParse({ holdId, by });
  if (!parsed.success) return { ok: false, message: describeIssues(parsed.error, 'messages') };
  const rdb = retentionDatabase(db);
  const released = await rdb
    .updateTable('legal_holds')
    .set({ released_by: parsed.data.by, released_at: now })
    .where('id', '=', parsed.data.holdId)
    .where('released_at', 'is', null)
    .returningAll()
    .executeTakeFirst();
  if (released !== undefined) return { ok: true, hold: toHold(released) };
  const existing = await rdb.selectFrom('legal_holds').select(['released_at', 'released_by']).where('id', '=', parsed.data.holdId).executeTakeFirst();
  return { ok: false, message: existing === undefined ? `there is no legal hold ${holdId}` : `legal hold ${holdId} was already released by ${existing.released_by ?? 'someone'} at ${iso(Number(existing.released_at)) ?? ''}` };
}

export async function activeHolds(db: Kysely<CollectorDatabase>): Promise<LegalHold[]> {
  const rows = await retentionDatabase(db).selectFrom('legal_holds').selectAll().where('released_at', 'is', null).orderBy('id').execute();
  return rows.map(toHold);
}
