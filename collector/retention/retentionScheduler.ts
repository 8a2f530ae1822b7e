// Automatic disposal inside a running collector: every few minutes it asks for the turn
// (retentionSchedule.ts), which is granted once the configured interval has passed since the
// last run of any collector sharing the database, so only one of them disposes each time.
// Stopped with the collector; a run under way is awaited, never cut off mid-transaction.
import type { RetentionConfig } from '../collectorConfig';
import { runDisposal, type DisposalDependencies } from './disposal';
import { describeDisposalRun } from './disposalResult';

/** How often a collector asks whether a run is due (the interval itself may be a day). */
const CHECK_EVERY_MS = 5 * 60 * 1000;

export interface RetentionSchedule {
  close(): Promise<void>;
}

export function startRetentionSchedule(deps: DisposalDependencies, config: RetentionConfig, clock: () => number): RetentionSchedule {
  const { intervalMs } = config;
  if (intervalMs === null) return { close: async () => undefined };
  let running: Promise<void> | null = null;
  const tick = () => {
    running ??= runDisposal(deps, config, { now: clock(), by: 'automatic', dueEveryMs: intervalMs })
      .then((result) => {
        if (result.skipped !== null) return;
        for (const line of describeDisposalRun(result)) (result.error === null ? console.info : console.error)(`collector: retention: ${line}`);
      })
      .catch((error: unknown) => console.error(`collector: retention: the disposal run failed: ${error instanceof Error ? error.message : String(error)}`))
      .finally(() => {
        running = null;
      });
  };
  const timer = setInterval(tick, Math.min(intervalMs, CHECK_EVERY_MS));
  timer.unref();
  return {
    close: async () => {
      clearInterval(timer);
      await running;
    },
  };
}
