// What the console's retention panel shows: the periods and the cutoffs they give today, when
// automatic disposal runs next, what the last run did, the active legal holds and the latest
// disposal records.
//
// API for the console (keep this name and shape):
//   retentionStatus(db, retentionConfig, now) -> RetentionStatus
import type { Kysely } from 'kysely';
import { describePeriod, periodCutoff, type RetentionConfig, type RetentionPeriod } from '../collectorConfig';
import type { CollectorDatabase } from '../database';
import { recentDisposals, type DisposalRecord } from './disposalRecords';
import type { DisposalRunResult } from './disposalResult';
import { activeHolds, type LegalHold } from './legalHolds';
import { scheduleState } from './retentionSchedule';

/** How many disposal records the status carries (newest first). */
export const RECENT_DISPOSALS = 20;

export interface PeriodStatus {
  /** "6 years", "90 days". */
  period: string;
  /** Whatever is older than this (by the part's own time) is due for disposal now. */
  cutoff: string;
}

export interface RetentionStatus {
  periods: { events: PeriodStatus; alerts: PeriodStatus; reviews: PeriodStatus; accessLog: PeriodStatus };
  /** How often disposal runs automatically ("1 day"); null when only the command line disposes. */
  interval: string | null;
  /** When the next automatic run is due (it starts within a few minutes of it); null when automatic disposal is off. */
  nextRunAt: string | null;
  /** A run under way (on any collector sharing the database): since when; null when none. */
  runningSince: string | null;
  /** What the last finished run did; null before the first. */
  lastRun: DisposalRunResult | null;
  /** Active legal holds, oldest first. */
  holds: LegalHold[];
  /** The latest disposal records, newest first (at most RECENT_DISPOSALS). */
  disposals: DisposalRecord[];
}

const iso = (ms: number) => new Date(ms).toISOString();

/** "1 day", "12 hours", "30 minutes", "45 seconds": the largest unit that divides the interval. */
export function describeInterval(ms: number): string {
  for (const [unit, size] of [['day', 86_400_000], ['hour', 3_600_000], ['minute', 60_000]] as const) {
    if (ms % size === 0) return `${ms / size} ${unit}${ms === size ? '' : 's'}`;
  }
  const seconds = Math.round(ms / 1000);
  return `${seconds} second${seconds === 1 ? '' : 's'}`;
}

export async function retentionStatus(db: Kysely<CollectorDatabase>, retentionConfig: Pick<RetentionConfig, 'events' | 'alerts' | 'reviews' | 'accessLog' | 'intervalMs'>, now: number): Promise<RetentionStatus> {
  const period = (p: RetentionPeriod): PeriodStatus => ({ period: describePeriod(p), cutoff: iso(periodCutoff(p, now)) });
  const schedule = await scheduleState(db, now);
  const { intervalMs } = retentionConfig;
  const due = intervalMs === null ? null : schedule.lastStartedAt === null ? now : Math.max(now, schedule.lastStartedAt + intervalMs);
  return {
    periods: { events: period(retentionConfig.events), alerts: period(retentionConfig.alerts), reviews: period(retentionConfig.reviews), accessLog: period(retentionConfig.accessLog) },
    interval: intervalMs === null ? null : describeInterval(intervalMs),
    nextRunAt: due === null ? null : iso(due),
    runningSince: schedule.running === null || schedule.lastStartedAt === null ? null : iso(schedule.lastStartedAt),
    lastRun: schedule.lastRun,
    holds: await activeHolds(db),
    disposals: await recentDisposals(db, RECENT_DISPOSALS),
  };
}
