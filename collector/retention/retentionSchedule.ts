// Whose turn it is to dispose. Collectors sharing one database take turns through the one
// schedule row: a run starts only by a conditional update that finds the lease free (and,
// for automatic runs, the last start an interval ago), so exactly one of several collectors
// acts. A crashed run's lease lapses after DISPOSAL_LEASE_MS.
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Kysely } from 'kysely';
import type { CollectorDatabase } from '../database';
import { parseRunResult, type DisposalRunResult } from './disposalResult';
import { retentionDatabase } from './retentionTables';

/** Longer than any run should take (a VACUUM FULL of a large events table included). */
export const DISPOSAL_LEASE_MS = 6 * 60 * 60 * 1000;

/** This process's name in the lease: which host and process is disposing. */
export const LEASE_HOLDER = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;

export interface ScheduleState {
  /** The run under way and until when its lease lasts; null when none. */
  running: { holder: string; until: number } | null;
  lastStartedAt: number | null;
  lastFinishedAt: number | null;
  lastRun: DisposalRunResult | null;
}

/**
 * Takes the turn: true when this run may act. `dueEveryMs` (automatic runs) also requires
 * the last run to have started at least that long ago, whichever collector ran it.
 */
export async function takeTurn(db: Kysely<CollectorDatabase>, holder: string, now: number, dueEveryMs: number | null): Promise<boolean> {
  let update = retentionDatabase(db)
    .updateTable('retention_schedule')
    .set({ lease_holder: holder, lease_until: now + DISPOSAL_LEASE_MS, last_started_at: now })
    .where('id', '=', 1)
    .where('lease_until', '<=', now);
  if (dueEveryMs !== null) update = update.where((eb) => eb.or([eb('last_started_at', 'is', null), eb('last_started_at', '<=', now - dueEveryMs)]));
  const taken = await update.executeTakeFirst();
  return taken.numUpdatedRows === 1n;
}

/** Ends the turn with the run's result (for the console). */
export async function endTurn(db: Kysely<CollectorDatabase>, holder: string, now: number, result: DisposalRunResult): Promise<void> {
  await retentionDatabase(db)
    .updateTable('retention_schedule')
    .set({ lease_holder: null, lease_until: 0, last_finished_at: now, last_result: JSON.stringify(result) })
    .where('id', '=', 1)
    .where('lease_holder', '=', holder)
    .execute();
}

export async function scheduleState(db: Kysely<CollectorDatabase>, now: number): Promise<ScheduleState> {
  const row = await retentionDatabase(db).selectFrom('retention_schedule').selectAll().where('id', '=', 1).executeTakeFirstOrThrow();
  const until = Number(row.lease_until);
  return {
    running: row.lease_holder !== null && until > now ? { holder: row.lease_holder, until } : null,
    lastStartedAt: row.last_started_at === null ? null : Number(row.last_started_at),
    lastFinishedAt: row.last_finished_at === null ? null : Number(row.last_finished_at),
    lastRun: parseRunResult(row.last_result),
  };
}
