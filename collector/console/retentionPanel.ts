// The console's retention panel, from what collector/retention keeps: the collector's
// periods and its next automatic run, the last run in its own words, active legal holds and
// the latest signed disposal records, each said in the console contract's terms.
import type { Kysely } from 'kysely';
import type { DisposalRow, RetentionPanel } from '../../common/console/consoleApi';
import { DEFAULT_RETENTION_PERIODS, type RetentionConfig } from '../collectorConfig';
import type { CollectorDatabase } from '../database';
import type { DisposalRecord } from '../retention/disposalRecords';
import { describeDisposalRun } from '../retention/disposalResult';
import { retentionStatus } from '../retention/retentionStatus';

/** The settings the panel shows; the key file stays with the collector. */
export type RetentionSettings = Pick<RetentionConfig, 'events' | 'alerts' | 'reviews' | 'accessLog' | 'intervalMs'>;

function disposalRow(record: DisposalRecord): DisposalRow {
  const base = { seq: record.seq, at: record.at, by: record.by, what: record.what, rule: record.rule };
  switch (record.what) {
    case 'events':
      return { ...base, deviceId: record.deviceId, count: record.count, detail: `events ${record.from}..${record.to}; the kept chain starts at ${record.firstKept.seq}` };
    case 'access-log':
      return { ...base, deviceId: null, count: record.count, detail: `entries ${record.from}..${record.to}; the kept log starts at ${record.firstKept.seq}` };
    case 'alerts':
      return { ...base, deviceId: null, count: record.count, detail: `handled alerts with ids ${record.ids[0]} to ${record.ids[1]}` };
    case 'reviews':
      return { ...base, deviceId: null, count: record.removed + record.cleared, detail: `${record.removed} removed with their session (its events disposed before), ${record.cleared} cleared from sessions still kept` };
  }
}

export async function retentionPanel(db: Kysely<CollectorDatabase>, settings: RetentionSettings | null, now: number): Promise<RetentionPanel> {
  // Without settings the status still reads what is stored (a command-line run's records, holds); its periods are not the collector's and are not shown.
  const status = await retentionStatus(db, settings ?? { ...DEFAULT_RETENTION_PERIODS, intervalMs: null }, now);
  const { lastRun } = status;
  return {
    settings: settings === null ? null : { periods: status.periods, interval: status.interval, nextRunAt: status.nextRunAt },
    runningSince: status.runningSince,
    lastRun: lastRun === null ? null : { startedAt: lastRun.startedAt, finishedAt: lastRun.finishedAt, by: lastRun.by, dryRun: lastRun.dryRun, failed: lastRun.error !== null, lines: describeDisposalRun(lastRun) },
    holds: status.holds,
    disposals: status.disposals.map(disposalRow),
  };
}
