// BENCH collector-scale-out: 500 devices (real keys, encrypted queues, the app's AuditSync)
// syncing at once into two collector processes on one PostgreSQL behind Debian's haproxy,
// with collector 1 killed (SIGKILL) after the first phase and restarted after the second.
// Measured: events/s from the first record to the last acknowledgement, the p99 of batch
// requests, and the collectors' peak resident memory. Baseline, in the same run: the same
// fleet and traffic into one collector process directly (no load balancer, no kill).
// After each run every chain is checked in the database: a fast run that lost or doubled
// an event fails instead of reporting a number.
import pg from 'pg';
import { CollectorStore } from '../../collector/collectorStore';
import { DEFAULT_ENROLLMENT_CODE_TTL_MS } from '../../collector/collectorConfig';
import { issueEnrollmentCode } from '../../collector/enrollment';
import { clusterSkipReason, startCollectorCluster } from '../support/collectorCluster';
import { STORAGES } from '../support/collectorStorages';
import { startDeviceFleet, storedChainProblems } from '../support/deviceFleet';
import { percentile } from '../support/percentile';

const DEVICES = 500;
const BURSTS_PER_PHASE = 2;
const PER_BURST = 100;
/** What one collector process may hold under this load (README: sizing). */
const RSS_BOUND_MB = 512;

interface Run {
  eventsPerSecond: number;
  p99Ms: number;
  failed: number;
  peakRssMb: number;
}

async function run(collectors: number, killOne: boolean): Promise<Run> {
  const postgres = STORAGES.find((s) => s.name === 'postgres');
  if (postgres === undefined) throw new Error('no PostgreSQL storage');
  const { storage, remove } = await postgres.create();
  if (storage.kind !== 'postgres' || storage.schema === undefined) throw new Error('expected a PostgreSQL schema');
  const store = await CollectorStore.open(storage);
  const cluster = await startCollectorCluster({ postgresUrl: storage.url, schema: storage.schema, count: collectors });
  // One collector: devices talk to it directly, as a practice without a load balancer would.
  const url = collectors === 1 ? (cluster.collectorUrls[0] as string) : cluster.url;
  const fleet = await startDeviceFleet(url, DEVICES, async () => (await issueEnrollmentCode(store, DEFAULT_ENROLLMENT_CODE_TTL_MS)).code);
  try {
    const started = performance.now();
    await fleet.record(BURSTS_PER_PHASE, PER_BURST, 200);
    if (killOne) await cluster.kill(0);
    await fleet.record(BURSTS_PER_PHASE, PER_BURST, 200);
    if (killOne) await cluster.restart(0);
    await fleet.record(BURSTS_PER_PHASE, PER_BURST, 200);
    await fleet.delivered(600_000);
    const seconds = (performance.now() - started) / 1000;
    const peakRssMb = Math.max(...cluster.peakRssKb()) / 1024;

    const client = new pg.Client({ connectionString: storage.url, options: `-c search_path=${storage.schema}` });
    await client.connect();
    try {
      const problems = await storedChainProblems(client, fleet.devices);
      if (problems.length > 0) throw new Error(`collector-scale-out: the stored trail is wrong: ${problems.slice(0, 5).join('; ')}`);
    } finally {
      await client.end();
    }
    return { eventsPerSecond: (DEVICES * BURSTS_PER_PHASE * 3 * PER_BURST) / seconds, p99Ms: percentile(fleet.batches.ms, 99), failed: fleet.batches.failed, peakRssMb };
  } finally {
    await fleet.close();
    await cluster.close();
    await store.close();
    await remove();
  }
}

export async function benchCollectorScaleOut(): Promise<string[]> {
  const skip = clusterSkipReason();
  if (skip !== null) return [`SKIPPED collector-scale-out: ${skip}`];
  const baseline = await run(1, false);
  const scaled = await run(2, true);
  return [
    `BENCH collector-scale-out ${Math.round(scaled.eventsPerSecond)} events/s baseline ${Math.round(baseline.eventsPerSecond)} ratio ${(baseline.eventsPerSecond / scaled.eventsPerSecond).toFixed(2)}`,
    `BENCH collector-scale-out-p99 ${Math.round(scaled.p99Ms)} ms-p99 baseline ${Math.round(baseline.p99Ms)} ratio ${(scaled.p99Ms / baseline.p99Ms).toFixed(2)}`,
    `BENCH collector-scale-out-rss ${Math.round(scaled.peakRssMb)} MB-peak baseline ${Math.round(baseline.peakRssMb)} ratio ${(scaled.peakRssMb / baseline.peakRssMb).toFixed(2)}`,
    `NOTE collector-scale-out: ${DEVICES} devices, ${DEVICES * BURSTS_PER_PHASE * 3 * PER_BURST} events each run; with 2 collectors behind haproxy and one killed and restarted, ${scaled.failed} batch requests got no 200 and were retried (baseline: 1 collector, ${baseline.failed}). Every chain was checked in PostgreSQL after each run. Collector peak RSS ${Math.round(scaled.peakRssMb)} MB: ${scaled.peakRssMb <= RSS_BOUND_MB ? 'within' : 'OVER'} the ${RSS_BOUND_MB} MB bound.`,
  ];
}
