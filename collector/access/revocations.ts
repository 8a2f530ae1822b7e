// The revocations IT makes, from the console or the command line: a device or a VA revoked at
// once, a VA's access end date set or cleared, a revocation lifted (reinstated). Kept as
// history: nothing is deleted, lifting records who and when. Devices learn their standing
// from accessStanding.ts; enrollment refuses a revoked device or VA.
import type { Kysely, Selectable } from 'kysely';
import { deviceIdSchema } from '../../common/audit/syncProtocol';
import { vaSubjectSchema, type AccessChange, type AccessPanel, type AccessRevocationRow, type AccessTargetKind } from '../../common/console/consoleApi';
import type { CollectorDatabase } from '../database';
import { describeIssues } from '../validationMessage';
import { accessDatabase, type AccessRevocationsTable } from './accessTables';
import { revocationInForce } from './accessStanding';

/** Lifted revocations the console lists, latest first. */
export const ACCESS_HISTORY_LIMIT = 100;

/** `invalid`: the target is malformed; `unknown-device`: no such device is enrolled; `unchanged`: nothing to do (already revoked, not revoked, no end date). */
export type AccessChangeOutcome = { ok: true; change: AccessChange } | { ok: false; problem: 'invalid' | 'unknown-device' | 'unchanged'; message: string };

type Refusal = Extract<AccessChangeOutcome, { ok: false }>;
const refused = (problem: Refusal['problem'], message: string): Refusal => ({ ok: false, problem, message });

const iso = (ms: number | null) => (ms === null ? null : new Date(Number(ms)).toISOString());

function toRow(row: Selectable<AccessRevocationsTable>, deviceName: string | null): AccessRevocationRow {
  return {
    id: Number(row.id),
    kind: row.target_kind,
    target: row.target,
    deviceName: row.target_kind === 'device' ? deviceName : null,
    reason: row.reason,
    effectiveAt: iso(row.effective_at) as string,
    createdAt: iso(row.created_at) as string,
    createdBy: row.created_by,
    liftedAt: iso(row.lifted_at),
    liftedBy: row.lifted_by,
  };
}

/** A target as the records name it in messages. */
export function describeTarget(kind: AccessTargetKind, target: string, deviceName: string | null): string {
  return kind === 'device' ? `device ${deviceName === null ? target : `${deviceName} (${target})`}` : `VA ${target}`;
}

/** How the access log names a change's target, the same from the console and the command line (`endsAt` for an end date set or cleared). */
export function accessLogTarget(kind: AccessTargetKind, target: string, endsAt?: number | null): string {
  const who = kind === 'device' ? `device ${target}` : `VA ${target}`;
  return endsAt === undefined ? who : `${who}: ${endsAt === null ? 'end date cleared' : `access ends ${new Date(endsAt).toISOString()}`}`;
}

/** The target checked (a device id, or a VA's subject) and, for a device, its name; or why not. */
async function checkTarget(db: Kysely<CollectorDatabase>, kind: AccessTargetKind, target: string): Promise<{ ok: true; deviceName: string | null } | Refusal> {
  const parsed = (kind === 'device' ? deviceIdSchema : vaSubjectSchema).safeParse(target);
  if (!parsed.success) return refused('invalid', kind === 'device' ? 'a device is named by its id (32 lowercase hex digits, from the devices list)' : describeIssues(parsed.error, 'messages'));
  if (kind === 'user') return { ok: true, deviceName: null };
  const device = await db.selectFrom('devices').select('device_name').where('device_id', '=', target).executeTakeFirst();
  return device === undefined ? refused('unknown-device', `no enrolled device has the id ${target}`) : { ok: true, deviceName: device.device_name };
}

/** Words for IT when a VA has never been seen here: a subject with a typo revokes nobody. */
async function unseenVaNote(db: Kysely<CollectorDatabase>, subject: string): Promise<string | null> {
  const seen = await db.selectFrom('sessions').select('code').where('subject', '=', subject).limit(1).executeTakeFirst();
  return seen === undefined ? `No session of ${subject} has reached this collector yet: check that this is the VA's subject as the sessions list shows it.` : null;
}

/** Ends a device's or a VA's access at once (`by`: the console user's subject, or cli:<login>). */
export async function revoke(db: Kysely<CollectorDatabase>, kind: AccessTargetKind, target: string, by: string, now: number): Promise<AccessChangeOutcome> {
  const checked = await checkTarget(db, kind, target);
  if (!checked.ok) return checked;
  const inForce = await revocationInForce(db, kind, target, now);
  if (inForce !== null) return refused('unchanged', `${describeTarget(kind, target, checked.deviceName)} is already ${inForce.reason === 'revoked' ? 'revoked' : 'past its access end date'}, since ${iso(inForce.effectiveAt) ?? ''}`);
  const row = await accessDatabase(db)
    .insertInto('access_revocations')
    .values({ target_kind: kind, target, effective_at: now, reason: 'revoked', created_at: now, created_by: by, lifted_at: null, lifted_by: null })
    .returningAll()
    .executeTakeFirstOrThrow();
  return { ok: true, change: { changed: [toRow(row, checked.deviceName)], note: kind === 'user' ? await unseenVaNote(db, target) : null } };
}

/**
 * Sets the moment a VA's access ends, or clears it (`endsAt` null). It replaces any earlier
 * end date, one already passed included: that is how IT extends a VA whose access ended.
 */
export async function setUserAccessEnd(db: Kysely<CollectorDatabase>, subject: string, endsAt: number | null, by: string, now: number): Promise<AccessChangeOutcome> {
  const checked = await checkTarget(db, 'user', subject);
  if (!checked.ok) return checked;
  if (endsAt !== null && endsAt <= now) return refused('invalid', `the access end (${iso(endsAt) ?? ''}) must be later than now; to end ${subject}'s access now, revoke it`);
  const changed = await accessDatabase(db)
    .transaction()
    .execute(async (trx) => {
      const lifted = await trx
        .updateTable('access_revocations')
        .set({ lifted_at: now, lifted_by: by })
        .where('target_kind', '=', 'user')
        .where('target', '=', subject)
        .where('lifted_at', 'is', null)
        .where('reason', '=', 'access-ended')
        .returningAll()
        .execute();
      if (endsAt === null) return lifted;
      const added = await trx
        .insertInto('access_revocations')
        .values({ target_kind: 'user', target: subject, effective_at: endsAt, reason: 'access-ended', created_at: now, created_by: by, lifted_at: null, lifted_by: null })
        .returningAll()
        .executeTakeFirstOrThrow();
      return [...lifted, added];
    });
  if (changed.length === 0) return refused('unchanged', `VA ${subject} has no access end date to clear`);
  return { ok: true, change: { changed: changed.map((row) => toRow(row, null)), note: endsAt === null ? null : await unseenVaNote(db, subject) } };
}

/** Lifts the revocations in force on a device or a VA (a VA's end date still ahead stays). */
export async function reinstate(db: Kysely<CollectorDatabase>, kind: AccessTargetKind, target: string, by: string, now: number): Promise<AccessChangeOutcome> {
  const checked = await checkTarget(db, kind, target);
  if (!checked.ok) return checked;
  const lifted = await accessDatabase(db)
    .updateTable('access_revocations')
    .set({ lifted_at: now, lifted_by: by })
    .where('target_kind', '=', kind)
    .where('target', '=', target)
    .where('lifted_at', 'is', null)
    .where('effective_at', '<=', now)
    .returningAll()
    .execute();
  if (lifted.length === 0) return refused('unchanged', `${describeTarget(kind, target, checked.deviceName)} is not revoked`);
  return { ok: true, change: { changed: lifted.map((row) => toRow(row, checked.deviceName)), note: null } };
}

/** What is in force, what is scheduled, and the latest lifted revocations, at `now`. */
export async function accessPanel(db: Kysely<CollectorDatabase>, now: number): Promise<AccessPanel> {
  const adb = accessDatabase(db);
  const withNames = () =>
    adb
      .selectFrom('access_revocations as r')
      .leftJoin('devices as d', (join) => join.onRef('d.device_id', '=', 'r.target').on('r.target_kind', '=', 'device'))
      .selectAll('r')
      .select('d.device_name');
  const open = await withNames().where('r.lifted_at', 'is', null).orderBy('r.effective_at').orderBy('r.id').execute();
  const history = await withNames().where('r.lifted_at', 'is not', null).orderBy('r.lifted_at', 'desc').orderBy('r.id', 'desc').limit(ACCESS_HISTORY_LIMIT).execute();
  const rows = (list: typeof open) => list.map((row) => toRow(row, row.device_name));
  return {
    asOf: new Date(now).toISOString(),
    revoked: rows(open.filter((row) => Number(row.effective_at) <= now)).reverse(),
    scheduled: rows(open.filter((row) => Number(row.effective_at) > now)),
    history: rows(history),
  };
}

/** The devices whose access is revoked at `now`, and since when (the console's devices list). */
export async function revokedDevices(db: Kysely<CollectorDatabase>, now: number): Promise<Map<string, number>> {
  const rows = await accessDatabase(db)
    .selectFrom('access_revocations')
    .select(['target', (eb) => eb.fn.min('effective_at').as('since')])
    .where('target_kind', '=', 'device')
    .where('lifted_at', 'is', null)
    .where('effective_at', '<=', now)
    .groupBy('target')
    .execute();
  return new Map(rows.map((r) => [r.target, Number(r.since)]));
}
