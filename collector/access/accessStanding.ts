// A device's and a VA's access standing (common/audit/accessProtocol AccessStanding) at a
// given moment, from the revocations still in force: revoked since the earliest one that has
// taken effect (its reason: revoked by IT, or the VA's end date passed); otherwise active,
// ending at the earliest one still ahead, if any. Lifted revocations count for nothing.
import type { Kysely } from 'kysely';
import type { AccessEndReason, AccessStanding } from '../../common/audit/accessProtocol';
import type { AccessTargetKind } from '../../common/console/consoleApi';
import type { CollectorDatabase } from '../database';
import { accessDatabase } from './accessTables';

/** A revocation not lifted: from when, and why. */
export interface OpenRevocation {
  effectiveAt: number;
  reason: AccessEndReason;
}

const iso = (ms: number) => new Date(ms).toISOString();

/** The standing that open revocations give at `now`. */
export function standingOf(open: readonly OpenRevocation[], now: number): AccessStanding {
  const inForce = open.filter((r) => r.effectiveAt <= now).sort((a, b) => a.effectiveAt - b.effectiveAt)[0];
  if (inForce !== undefined) return { state: 'revoked', since: iso(inForce.effectiveAt), reason: inForce.reason };
  const ends = open.reduce<number | null>((soonest, r) => (soonest === null || r.effectiveAt < soonest ? r.effectiveAt : soonest), null);
  return { state: 'active', endsAt: ends === null ? null : iso(ends) };
}

async function openRevocations(db: Kysely<CollectorDatabase>, kind: AccessTargetKind, target: string): Promise<OpenRevocation[]> {
  const rows = await accessDatabase(db).selectFrom('access_revocations').select(['effective_at', 'reason']).where('target_kind', '=', kind).where('target', '=', target).where('lifted_at', 'is', null).execute();
  return rows.map((r) => ({ effectiveAt: Number(r.effective_at), reason: r.reason }));
}

/** The standing of a device (`device`, its id) or of a VA (`user`, their IdP subject) at `now`. */
export async function accessStanding(db: Kysely<CollectorDatabase>, kind: AccessTargetKind, target: string, now: number): Promise<AccessStanding> {
  return standingOf(await openRevocations(db, kind, target), now);
}

/** The earliest revocation in force on a target at `now`: one seek on the open-revocations index. */
export function revocationInForceQuery(db: Kysely<CollectorDatabase>, kind: AccessTargetKind, target: string, now: number) {
  return accessDatabase(db)
    .selectFrom('access_revocations')
    .select(['effective_at', 'reason'])
    .where('target_kind', '=', kind)
    .where('target', '=', target)
    .where('lifted_at', 'is', null)
    .where('effective_at', '<=', now)
    .orderBy('effective_at')
    .limit(1);
}

/** The revocation in force on a target at `now` (the earliest), or null: cheap enough for every batch a device delivers. */
export async function revocationInForce(db: Kysely<CollectorDatabase>, kind: AccessTargetKind, target: string, now: number): Promise<OpenRevocation | null> {
  const row = await revocationInForceQuery(db, kind, target, now).executeTakeFirst();
  return row === undefined ? null : { effectiveAt: Number(row.effective_at), reason: row.reason };
}
