// The collector scaled out: two `npm run collector` processes on one PostgreSQL behind
// Debian's haproxy, devices syncing through it with the app's own AuditSync and encrypted
// queues. One collector is killed with SIGKILL while devices deliver, then started again.
// Every event must be stored exactly once, every chain must verify, no device may be
// refused or stop, and no alert may be raised. (npm run bench runs it with 500 devices.)
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { CollectorStore } from '../../../collector/collectorStore';
import { DEFAULT_ENROLLMENT_CODE_TTL_MS } from '../../../collector/collectorConfig';
import { issueEnrollmentCode } from '../../../collector/enrollment';
import { clusterSkipReason, startCollectorCluster, type CollectorCluster } from '../../support/collectorCluster';
import { startDeviceFleet, storedChainProblems, type DeviceFleet } from '../../support/deviceFleet';
import { STORAGES } from '../../support/collectorStorages';
import { percentile } from '../../support/percentile';

const DEVICES = 30;
const BURSTS = 3;
const PER_BURST = 100;

const skipReason = clusterSkipReason();
if (skipReason !== null) console.log(`SKIPPED collector-scale-out: ${skipReason}`);

describe.skipIf(skipReason !== null)('collector scale-out behind haproxy [postgres]', () => {
  let cluster: CollectorCluster | undefined;
  let fleet: DeviceFleet | undefined;
  let removeStorage: (() => Promise<void>) | undefined;
  afterAll(async () => {
    await fleet?.close();
    await cluster?.close();
    await removeStorage?.();
  });

  it('stores every event exactly once with every chain intact when a collector is killed mid-run and restarted', async () => {
    const postgres = STORAGES.find((s) => s.name === 'postgres');
    if (postgres === undefined) throw new Error('no PostgreSQL storage');
    const { storage, remove } = await postgres.create();
    removeStorage = remove;
    if (storage.kind !== 'postgres' || storage.schema === undefined) throw new Error('expected a PostgreSQL schema');
    // The schema exists and is migrated before the collectors start (as IT's first start would).
    const store = await CollectorStore.open(storage);
    cluster = await startCollectorCluster({ postgresUrl: storage.url, schema: storage.schema, count: 2 });
    fleet = await startDeviceFleet(cluster.url, DEVICES, async () => (await issueEnrollmentCode(store, DEFAULT_ENROLLMENT_CODE_TTL_MS)).code);
    await store.close();

    const total = DEVICES * BURSTS * 3 * PER_BURST;
    // Traffic before, during and after the outage: collector 1 is killed while devices
    // still hold events, misses a phase, and must take its share again after its restart.
    await fleet.record(BURSTS, PER_BURST, 100);
    const running = fleet;
    await waitUntil(() => running.acknowledged() >= DEVICES * PER_BURST, 120_000);
    const beforeKill = await cluster.metric(0, 'cordon_collector_batches_accepted_total');
    await cluster.kill(0);
    const atKill = fleet.acknowledged();
    await fleet.record(BURSTS, PER_BURST, 100);
    await cluster.restart(0);
    await fleet.record(BURSTS, PER_BURST, 100);
    await fleet.delivered(180_000);

    console.log(`collector-scale-out: ${DEVICES} devices, ${total} events, ${fleet.batches.ms.length} batch requests, ${fleet.batches.failed} without a 200 (cut by the kill, or shed), p99 ${Math.round(percentile(fleet.batches.ms, 99))} ms`);
    expect(beforeKill, 'the killed collector had taken batches before it died').toBeGreaterThan(0);
    expect(atKill, 'the kill came while devices still held events').toBeLessThan(total);
    expect(fleet.acknowledged()).toBe(total);
    for (const d of fleet.devices) expect(d.sync.status, d.deviceId).toMatchObject({ state: 'delivered', problem: null });
    // The restarted collector took its share again (its counters began at zero).
    expect(await cluster.metric(0, 'cordon_collector_batches_accepted_total')).toBeGreaterThan(0);

    const client = new pg.Client({ connectionString: storage.url, options: `-c search_path=${storage.schema}` });
    await client.connect();
    try {
      expect(await storedChainProblems(client, fleet.devices)).toEqual([]);
      expect(Number((await client.query<{ n: string }>('select count(*) as n from events')).rows[0]?.n)).toBe(total);
    } finally {
      await client.end();
    }
  }, 300_000);
});

async function waitUntil(check: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
