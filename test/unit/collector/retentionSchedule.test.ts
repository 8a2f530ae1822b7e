// Automatic disposal on SQLite and PostgreSQL: a running collector disposes on its interval
// and says so in the retention status; several collectors on one database take turns, so
// exactly one acts each time; closing a collector stops its schedule.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import type { RetentionConfig, StorageConfig } from '../../../collector/collectorConfig';
import { startCollector, type RunningCollector } from '../../../collector/collectorServer';
import { CollectorStore } from '../../../collector/collectorStore';
import { loadOrCreateCollectorKey } from '../../../collector/console/accessLog';
import { runDisposal } from '../../../collector/retention/disposal';
import { newRunResult } from '../../../collector/retention/disposalResult';
import { endTurn, takeTurn } from '../../../collector/retention/retentionSchedule';
import { retentionStatus } from '../../../collector/retention/retentionStatus';
import { describeOnEachStorage } from './collectorHarness';
import { TestDevice } from './collectorTestDevice';

const DAY = 24 * 60 * 60 * 1000;
const T0 = Date.UTC(2026, 2, 2, 9);

describeOnEachStorage('automatic disposal', (storage) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'cordon-retention-schedule-'));
  const clock = { at: T0 };
  let storageConfig: StorageConfig;
  let remove: () => Promise<void>;
  let store: CollectorStore;
  let retention: RetentionConfig;
  const collectors: RunningCollector[] = [];
  let device: TestDevice;

  beforeAll(async () => {
    const created = await storage.create();
    storageConfig = created.storage;
    remove = created.remove;
    retention = { events: { days: 1 }, alerts: { years: 6 }, reviews: { years: 6 }, accessLog: { years: 6 }, intervalMs: 1000, keyFile: path.join(dir, 'collector-key.pem') };
    // Two collectors behind one load balancer: same database, same key, same settings.
    for (let i = 0; i < 2; i += 1) collectors.push(await startCollector({ storage: storageConfig, port: 0, clock: () => clock.at, retention }));
    store = await CollectorStore.open(storageConfig);
    device = new TestDevice((collectors[0] as RunningCollector).url);
    await device.enrollWithCode(collectors[0] as RunningCollector);
    for (let batch = 0; batch < 3; batch += 1) {
      const reply = await device.sendBatch(device.record(2), {}, { timestamp: new Date(T0).toISOString() });
      expect(reply.status, reply.text).toBe(200);
    }
  }, 60_000);
  afterAll(async () => {
    for (const collector of collectors) await collector.close();
    await store?.close();
    await remove?.();
    rmSync(dir, { recursive: true, force: true });
  });

  it('disposes on the interval by itself, once across both collectors, and shows it in the retention status', async () => {
    clock.at = T0 + 3 * DAY;
    const status = await vi.waitFor(
      async () => {
        const current = await retentionStatus(store.database, retention, clock.at);
        if (current.lastRun === null || current.lastRun.events.length === 0) throw new Error('no automatic run has disposed yet');
        return current;
      },
      { timeout: 30_000, interval: 200 },
    );
    expect(status.lastRun).toMatchObject({ by: 'automatic', dryRun: false, skipped: null, error: null, events: [{ deviceId: device.deviceId, from: 1, to: 5, count: 5 }] });
    expect(status.disposals).toEqual([expect.objectContaining({ what: 'events', by: 'automatic', deviceId: device.deviceId, from: 1, to: 5 })]);
    expect(status.periods.events).toEqual({ period: '1 day', cutoff: new Date(T0 + 2 * DAY).toISOString() });
    expect(status.interval).toBe('1 second');
    // The clock stands still: the next run is due an interval after this one started.
    expect(status.nextRunAt).toBe(new Date(T0 + 3 * DAY + 1000).toISOString());
    expect((await store.deviceEvents(device.deviceId)).map((e) => e.seq)).toEqual([6]);
  });

  it('lets exactly one of several collectors take the turn, keeps others out while it runs, and runs an automatic round once', async () => {
    const key = loadOrCreateCollectorKey(retention.keyFile);
    const second = await CollectorStore.open(storageConfig);
    const stores = [store, second, store, second];
    const deps = (s: CollectorStore) => ({ db: s.database, storage: storageConfig.kind, key });
    try {
      for (let round = 1; round <= 3; round += 1) {
        const now = T0 + (10 + round) * DAY;
        // Four collectors ask at once: the conditional update grants one turn.
        const turns = await Promise.all(stores.map((s, i) => takeTurn(s.database, `collector-${i}`, now, null)));
        expect(turns.filter(Boolean), `round ${round}`).toHaveLength(1);
        const holder = `collector-${turns.indexOf(true)}`;
        // While that run goes on, a run from the command line is turned away, and says why.
        expect(await runDisposal(deps(second), retention, { now, by: 'command line (it)' })).toMatchObject({ skipped: 'another disposal run is under way (another collector, or the command line)', events: [] });
        expect((await retentionStatus(store.database, retention, now)).runningSince).toBe(new Date(now).toISOString());
        await endTurn(store.database, holder, now, newRunResult(holder, now, false));
        // Automatic rounds of every collector at once: one runs, the others find it not due.
        const results = await Promise.all(stores.map((s) => runDisposal(deps(s), retention, { now: now + 2000, by: 'automatic', dueEveryMs: 1000 })));
        expect(results.filter((r) => r.skipped === null), `round ${round}`).toHaveLength(1);
      }
    } finally {
      await second.close();
    }
  });

  it('stops disposing when the collectors close', async () => {
    for (const collector of collectors.splice(0)) await collector.close();
    const before = await retentionStatus(store.database, retention, clock.at);
    clock.at += 30 * DAY;
    await new Promise((resolve) => setTimeout(resolve, 2500));
    const after = await retentionStatus(store.database, retention, clock.at);
    expect(after.lastRun?.startedAt).toBe(before.lastRun?.startedAt);
  });
});
