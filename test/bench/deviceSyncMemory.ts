// BENCH device-sync-memory: peak resident memory of a device process that delivers
// 1,000,000 undelivered events from its encrypted queue to a real collector, against the
// same process delivering an empty queue, measured in the same run. Both run with a 64 MB
// JavaScript heap limit, which a sync holding the backlog in memory would exceed (the sync
// reads one batch at a time). The collector runs in this process; each device run is a
// child process, so its peak is its own. What the peak holds above an empty queue's is not
// the backlog: V8's young generation, which grows (up to about 30 MB here) while a long
// sync allocates fast, and SQLite's page cache (the queue keeps it at 2 MiB). Measured here
// the peak levels off (about 107, 128, 135 and 141 MB at 20k, 100k, 300k and 1M events,
// 90 MB empty); with the young generation held to 1 MB (--max-semi-space-size=1) a 1M
// backlog peaks at 106 MB against 86 MB empty, flat from 400k events on.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { startCollector } from '../../collector/collectorServer';
import { AuditQueue } from '../../main/audit/auditQueue';
import { appendEvents } from '../support/auditSyncFixtures';

const BACKLOG = 1_000_000;
/** The device's JavaScript heap limit: a sync that held the backlog in memory would die here. */
const HEAP_LIMIT_MB = 64;
const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '../..');
const tsxLoader = pathToFileURL(path.join(root, 'node_modules/tsx/dist/loader.mjs')).href;

export async function benchDeviceSyncMemory(): Promise<string> {
  const dir = mkdtempSync(path.join(tmpdir(), 'cordon-bench-memory-'));
  const collector = await startCollector({ storage: { kind: 'sqlite', file: path.join(dir, 'collector.db') }, port: 0, rateLimit: { max: 1_000_000, windowMs: 60_000 } });
  try {
    const device = async (events: number): Promise<{ maxRssKb: number; delivered: number }> => {
      const file = path.join(dir, `queue-${events}.db`);
      const key = randomBytes(32);
      const queue = AuditQueue.open(file, key);
      appendEvents(queue, events);
      queue.close();
      const code = await collector.issueEnrollmentCode();
      const { stdout } = await run(process.execPath, [`--max-old-space-size=${HEAP_LIMIT_MB}`, '--import', tsxLoader, path.join(import.meta.dirname, 'deviceSyncMemoryChild.ts'), file, key.toString('hex'), collector.url, code], { maxBuffer: 1 << 20 });
      const result = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as { maxRssKb: number; delivered: number };
      if (result.delivered !== events) throw new Error(`device-sync-memory: ${result.delivered} of ${events} events delivered`);
      return result;
    };
    const empty = await device(0);
    const full = await device(BACKLOG);
    const mb = (kb: number) => Math.round(kb / 1024);
    return `BENCH device-sync-memory ${mb(full.maxRssKb)} MB-peak baseline ${mb(empty.maxRssKb)} ratio ${(full.maxRssKb / empty.maxRssKb).toFixed(2)}`;
  } finally {
    await collector.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
