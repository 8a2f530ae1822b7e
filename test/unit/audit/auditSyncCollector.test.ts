// Real HTTP sync from a real encrypted queue into the real collector
// (collector/collectorServer.ts), on SQLite and on PostgreSQL. PostgreSQL runs when
// CORDON_TEST_POSTGRES_URL is set (.ci/run sets it), in a schema of its own that is dropped
// afterwards; without it that half is reported skipped, with the reason printed.
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import type { StorageConfig } from '../../../collector/collectorConfig';
import { startCollector, type RunningCollector } from '../../../collector/collectorServer';
import { AuditSync, type AuditSyncOptions } from '../../../main/audit/auditSync';
import type { AuditQueue } from '../../../main/audit/auditQueue';
import { deviceIdOf, type DeviceKey } from '../../../main/audit/deviceKey';
import { electronSyncTransport } from '../../../main/audit/electronSyncTransport';
import { NodeSyncTransport } from '../../../main/audit/nodeSyncTransport';
import { RecordingAuditSink } from '../../support/electronFakes';
import { appendEvents, RecordingTransport, syncPolicy, testDeviceKey, testQueue, waitFor } from '../../support/auditSyncFixtures';
import { loopbackCertificate } from '../../support/testTls';

const POSTGRES_URL = process.env.CORDON_TEST_POSTGRES_URL;
const pgSchema = `cordon_device_sync_${randomBytes(4).toString('hex')}`;
if (POSTGRES_URL === undefined) console.log('SKIPPED audit-sync-postgres: CORDON_TEST_POSTGRES_URL is not set (.ci/run starts PostgreSQL and sets it)');

const storages: { name: string; storage: () => StorageConfig; skip: boolean }[] = [
  { name: 'SQLite', storage: () => ({ kind: 'sqlite', file: path.join(mkdtempSync(path.join(tmpdir(), 'cordon-collector-')), 'collector.db') }), skip: false },
  { name: 'PostgreSQL', storage: () => ({ kind: 'postgres', url: POSTGRES_URL ?? '', schema: pgSchema }), skip: POSTGRES_URL === undefined },
];

const transport = new NodeSyncTransport();
const running: RunningCollector[] = [];

afterAll(async () => {
  transport.close();
  await Promise.all(running.map((c) => c.close()));
  if (POSTGRES_URL === undefined) return;
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  await client.query(`DROP SCHEMA IF EXISTS ${pgSchema} CASCADE`);
  await client.end();
});

async function collectorOn(storage: StorageConfig, port = 0): Promise<RunningCollector> {
  const collector = await startCollector({ storage, port });
  running.push(collector);
  return collector;
}

function device(collector: RunningCollector, overrides: Partial<AuditSyncOptions> = {}) {
  const deviceKey: DeviceKey = overrides.deviceKey ?? testDeviceKey();
  const fixture = testQueue();
  const audit = new RecordingAuditSink();
  const queueFailures: unknown[] = [];
  const make = (queue: AuditQueue, more: Partial<AuditSyncOptions> = {}) =>
    new AuditSync({ queue, deviceKey, policy: syncPolicy(collector.url), transport, audit, onQueueFailure: (e) => queueFailures.push(e), ...overrides, ...more });
  return { ...fixture, deviceKey, deviceId: deviceIdOf(deviceKey.publicKeyPem), audit, queueFailures, make, sync: make(fixture.queue) };
}

/**
 * The collector holds exactly the device's chain 1..lastSeq, once each, every link equal to
 * the local one (a link covers its body and all before it), and raised no alert.
 */
async function expectSameChain(collector: RunningCollector, deviceId: string, queue: AuditQueue): Promise<void> {
  const stored = await collector.deviceEvents(deviceId);
  expect(stored.map((e) => e.seq)).toEqual(Array.from({ length: queue.lastSeq }, (_, i) => i + 1));
  expect(stored.filter((e) => e.link !== queue.linkAt(e.seq)?.toString('hex')).map((e) => e.seq)).toEqual([]);
  expect(await collector.alerts(deviceId)).toEqual([]);
  expect(await collector.deviceStatus(deviceId)).toEqual({ deviceId, acknowledgedSeq: queue.lastSeq, acknowledgedLink: queue.linkAt(queue.lastSeq)?.toString('hex') });
}

describe.each(storages)('sync into the real collector on $name', ({ storage, skip }) => {
  it.skipIf(skip)('delivers every event in order, in batches, and the collector verifies the whole chain', async () => {
    const collector = await collectorOn(storage());
    const d = device(collector);
    appendEvents(d.queue, 2_345);
    await d.sync.enrollWithCode(await collector.issueEnrollmentCode());
    expect(await d.sync.syncNow()).toMatchObject({ state: 'delivered', unacknowledged: 0, acknowledgedSeq: 2_345, problem: null });
    await expectSameChain(collector, d.deviceId, d.queue);
    expect(d.audit.events).toEqual([{ type: 'audit.device-enrolled', outcome: 'success', reason: 'enrollment-code' }]);
  });

  it.skipIf(skip)('rides out the collector being down, then delivers: no loss, no duplicates', async () => {
    const config = storage();
    let collector = await collectorOn(config);
    const d = device(collector, { backoff: { baseMs: 20, capMs: 200 }, checkIntervalMs: 50, idleIntervalMs: 50 });
    await d.sync.enrollWithCode(await collector.issueEnrollmentCode());
    appendEvents(d.queue, 300);
    d.sync.start();
    await waitFor('the first delivery', () => d.queue.unacknowledgedCount() === 0);

    const port = Number(new URL(collector.url).port);
    await collector.close();
    appendEvents(d.queue, 1_700);
    d.sync.nudge();
    await waitFor('a few failed attempts', () => d.sync.status.state === 'retrying');
    expect(d.sync.status.problem?.code).toBe('collector-unreachable');
    expect(d.queue.unacknowledgedCount()).toBe(1_700);

    collector = await collectorOn(config, port);
    await waitFor('delivery after the collector came back', () => d.queue.unacknowledgedCount() === 0);
    await d.sync.stop();
    await expectSameChain(collector, d.deviceId, d.queue);
  });

  it.skipIf(skip)('resumes after a device restart, even when the answer to the last batch was lost', async () => {
    const collector = await collectorOn(storage());
    const lossy = new RecordingTransport(transport);
    const d = device(collector, { transport: lossy });
    await d.sync.enrollWithCode(await collector.issueEnrollmentCode());
    appendEvents(d.queue, 1_500);
    await d.sync.syncNow();
    // The collector stores 1501..2500, but the device never hears so, and then stops.
    appendEvents(d.queue, 1_200);
    lossy.loseAnswers = 1;
    expect(await d.sync.syncNow()).toMatchObject({ state: 'retrying', problem: { code: 'collector-unreachable' } });
    expect(await collector.deviceStatus(d.deviceId)).toMatchObject({ acknowledgedSeq: 2_500 });
    expect(d.queue.acknowledgedSeq).toBe(1_500);
    d.queue.close();

    // Restart: a new handle on the same queue file, a new sync.
    const reopened = d.reopen();
    const counting = new RecordingTransport(transport);
    expect(await d.make(reopened, { transport: counting }).syncNow()).toMatchObject({ state: 'delivered', unacknowledged: 0 });
    // It asked where the collector stands, then sent only 2501..2700: nothing twice.
    expect(counting.requests.map((r) => `${r.method} ${new URL(r.url).pathname}`)).toEqual(['GET /v1/devices/self', 'POST /v1/events']);
    expect((JSON.parse(counting.requests[1]?.body ?? '{}') as { events: { seq: number }[] }).events.map((e) => e.seq)).toEqual(Array.from({ length: 200 }, (_, i) => 2_501 + i));
    await expectSameChain(collector, d.deviceId, reopened);
    reopened.close();
  });
});

describe('transports against the real collector', () => {
  it('over HTTPS, trusts the collector only with its CA', async () => {
    const tls = loopbackCertificate();
    const collector = await startCollector({ storage: storages[0]?.storage() as StorageConfig, port: 0, tls });
    running.push(collector);
    const pinned = new NodeSyncTransport({ ca: tls.cert });
    const d = device(collector, { transport: pinned });
    await d.sync.enrollWithCode(await collector.issueEnrollmentCode());
    appendEvents(d.queue, 10);
    expect(await d.sync.syncNow()).toMatchObject({ state: 'delivered', unacknowledged: 0 });
    pinned.close();
    appendEvents(d.queue, 1);
    const untrusting = d.make(d.queue, { transport: new NodeSyncTransport() });
    const status = await untrusting.syncNow();
    expect(status).toMatchObject({ state: 'retrying', problem: { code: 'collector-unreachable' }, unacknowledged: 1 });
    expect(status.problem?.message).toMatch(/self[- ]signed/i);
  });

  it('the Electron transport (with Node fetch standing in for Chromium) delivers the same way', async () => {
    const collector = await collectorOn(storages[0]?.storage() as StorageConfig);
    const d = device(collector, { transport: electronSyncTransport({ fetch: (input, init) => fetch(input, init) }) });
    await d.sync.enrollWithCode(await collector.issueEnrollmentCode());
    appendEvents(d.queue, 1_234);
    expect(await d.sync.syncNow()).toMatchObject({ state: 'delivered', unacknowledged: 0 });
    await expectSameChain(collector, d.deviceId, d.queue);
  });
});
