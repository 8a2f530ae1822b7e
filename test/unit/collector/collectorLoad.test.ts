// The collector under load on real storage: when PostgreSQL has no connection to spare
// the request is shed with 503 + Retry-After (never a 500), and answered normally again
// once the storage is free. Locks held by a real second client make the pool run dry
// deterministically, without timing the collector.
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { SYNC_PATHS } from '../../../common/audit/syncProtocol';
import { startCollector } from '../../../collector/collectorServer';
import { STORAGES } from './collectorHarness';
import { TestDevice } from './collectorTestDevice';

const postgres = STORAGES.find((s) => s.name === 'postgres');
if (postgres?.skipReason) console.log(`SKIPPED collector-postgres (collector load): ${postgres.skipReason}`);

/** Polls `check` until it holds; fails after `ms` (the condition never came). */
async function waitFor(what: string, check: () => Promise<boolean>, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe.skipIf(postgres?.skipReason !== null)('collector load [postgres]', () => {
  it('an exhausted connection pool sheds a device request with 503 + Retry-After, and the same batch is stored afterwards', async () => {
    const { storage, remove } = await (postgres as (typeof STORAGES)[number]).create();
    if (storage.kind !== 'postgres') throw new Error('expected PostgreSQL');
    const collector = await startCollector({ port: 0, storage: { ...storage, poolSize: 1, poolTimeoutMs: 300 }, metricsToken: 'metrics-secret-1', rateLimit: { max: 1_000_000, windowMs: 60_000 } });
    const locker = new pg.Client({ connectionString: storage.url });
    await locker.connect();
    try {
      const device = new TestDevice(collector.url);
      await device.enrollWithCode(collector);
      const batch = device.record(3);

      // A second client holds the devices table: the pool's one connection gets stuck behind it.
      await locker.query(`set search_path to ${storage.schema}`);
      await locker.query('begin');
      await locker.query('lock table devices in access exclusive mode');
      const held = fetch(`${collector.url}/health`);
      await waitFor('the collector query waiting on the lock', async () => {
        const { rows } = await locker.query<{ n: string }>("select count(*) as n from pg_locks where relation = 'devices'::regclass and not granted");
        return Number(rows[0]?.n) >= 1;
      });

      const shed = await fetch(collector.url + SYNC_PATHS.events, { method: 'POST', headers: { 'content-type': 'application/json', ...device.signedHeaders('POST', SYNC_PATHS.events, device.batchBody(batch)) }, body: device.batchBody(batch), signal: AbortSignal.timeout(10_000) });
      expect(shed.status).toBe(503);
      expect(shed.headers.get('retry-after')).toMatch(/^[1-9]\d*$/);
      expect(await shed.json()).toMatchObject({ error: 'overloaded' });

      await locker.query('commit');
      expect((await held).status).toBe(200);
      // Nothing of the shed request was stored: the device sends the batch again and it is accepted.
      expect((await device.sendBatch(batch)).status).toBe(200);
      expect((await collector.deviceEvents(device.deviceId)).map((e) => e.seq)).toEqual([1, 2, 3]);
      const metrics = await fetch(`${collector.url}/metrics`, { headers: { authorization: 'Bearer metrics-secret-1' } }).then((r) => r.text());
      expect(metrics).toMatch(/^cordon_collector_requests_shed_total\{route="\/v1\/events"\} 1$/m);
    } finally {
      await locker.end();
      await collector.close();
      await remove();
    }
  });

  it('GET /metrics answers from counters while the alerts and devices tables are locked: a scrape never scans storage', async () => {
    const { storage, remove } = await (postgres as (typeof STORAGES)[number]).create();
    if (storage.kind !== 'postgres') throw new Error('expected PostgreSQL');
    const collector = await startCollector({ port: 0, storage, metricsToken: 'metrics-secret-1', rateLimit: { max: 1_000_000, windowMs: 60_000 } });
    const locker = new pg.Client({ connectionString: storage.url });
    await locker.connect();
    try {
      const device = new TestDevice(collector.url);
      await device.enrollWithCode(collector);
      device.record(2);
      expect((await device.sendBatch(device.events(2, 2))).status).toBe(409);
      await locker.query(`set search_path to ${storage.schema}`);
      await locker.query('begin');
      await locker.query('lock table alerts, devices in access exclusive mode');
      const scrape = await fetch(`${collector.url}/metrics`, { headers: { authorization: 'Bearer metrics-secret-1' }, signal: AbortSignal.timeout(10_000) });
      expect(scrape.status).toBe(200);
      const text = await scrape.text();
      expect(text).toMatch(/^cordon_collector_alerts_stored_total\{kind="gap"\} 1$/m);
      expect(text).toMatch(/^cordon_collector_devices 1$/m);
    } finally {
      await locker.query('rollback').catch(() => undefined);
      await locker.end();
      await collector.close();
      await remove();
    }
  });
});
