// BENCH audit-sync: events per second delivered end to end from the encrypted queue into
// the real collector (SQLite, loopback HTTP, synchronous=FULL on both sides): queue reads,
// batch building, checkpoint and request signatures, the collector's verification and
// storage, and the local acknowledgement.
//
// Baseline, measured in the same run and alternated with it: the same collector receiving
// the same number of events for another enrolled device, as request bodies and signed
// headers built before the clock starts, POSTed one after the other over the same
// transport. So baseline = HTTP + collector work only; ratio = baseline rate / sync rate is
// what the device's side adds (1.00 would be free).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startCollector } from '../../collector/collectorServer';
import { MAX_BATCH_EVENTS } from '../../common/audit/syncProtocol';
import { AuditSync } from '../../main/audit/auditSync';
import { CollectorClient } from '../../main/audit/collectorClient';
import { deviceIdOf } from '../../main/audit/deviceKey';
import { prepareBatch } from '../../main/audit/eventBatch';
import { NodeSyncTransport } from '../../main/audit/nodeSyncTransport';
import { appendEvents, syncPolicy, testDeviceKey, testQueue } from '../support/auditSyncFixtures';

const ROUNDS = 4;
const EVENTS_PER_ROUND = 20_000;

export async function benchAuditSync(): Promise<string> {
  const dir = mkdtempSync(path.join(tmpdir(), 'cordon-bench-sync-'));
  const collector = await startCollector({ storage: { kind: 'sqlite', file: path.join(dir, 'collector.db') }, port: 0, rateLimit: { max: 1_000_000, windowMs: 60_000 } });
  const transport = new NodeSyncTransport();
  const noAudit = { record: () => undefined };
  try {
    // The device under test: a real queue and sync, enrolled with an IT code.
    const device = testQueue();
    const sync = new AuditSync({ queue: device.queue, deviceKey: testDeviceKey(), policy: syncPolicy(collector.url, { queueSoftLimit: 1e9, queueHardLimit: 2e9 }), transport, audit: noAudit, onQueueFailure: (error) => { throw error; } });
    await sync.enrollWithCode(await collector.issueEnrollmentCode());
    // The baseline device: its batches come from its own queue, prepared and signed ahead.
    const baseline = testQueue();
    const baselineKey = testDeviceKey();
    const baselineClient = new CollectorClient({ collectorUrl: collector.url, transport, deviceKey: baselineKey, deviceId: deviceIdOf(baselineKey.publicKeyPem) });
    const baselineSync = new AuditSync({ queue: baseline.queue, deviceKey: baselineKey, policy: syncPolicy(collector.url), transport, audit: noAudit, onQueueFailure: (error) => { throw error; } });
    await baselineSync.enrollWithCode(await collector.issueEnrollmentCode());
    await baselineSync.syncNow();

    const totals = { sync: { events: 0, ms: 0 }, baseline: { events: 0, ms: 0 } };
    for (let round = 0; round < ROUNDS; round += 1) {
      appendEvents(device.queue, EVENTS_PER_ROUND);
      let started = performance.now();
      const status = await sync.syncNow();
      totals.sync.ms += performance.now() - started;
      if (status.unacknowledged !== 0) throw new Error(`sync did not deliver everything: ${JSON.stringify(status)}`);
      totals.sync.events += EVENTS_PER_ROUND;

      appendEvents(baseline.queue, EVENTS_PER_ROUND);
      const requests = [];
      for (let offset = 0; offset < EVENTS_PER_ROUND; offset += MAX_BATCH_EVENTS) {
        const events = baseline.queue.unacknowledged(MAX_BATCH_EVENTS);
        const batch = prepareBatch(events, baselineClient.deviceId, baselineKey.privateKey);
        requests.push(baselineClient.signed('POST', '/v1/events', batch.body));
        baseline.queue.acknowledge(batch.lastSeq);
      }
      started = performance.now();
      for (const request of requests) {
        const answer = await transport.send(request);
        if (answer.status !== 200) throw new Error(`baseline batch refused: HTTP ${answer.status} ${answer.body}`);
      }
      totals.baseline.ms += performance.now() - started;
      totals.baseline.events += EVENTS_PER_ROUND;
    }
    device.queue.close();
    baseline.queue.close();
    const rate = (t: { events: number; ms: number }) => (t.events / t.ms) * 1000;
    const measured = rate(totals.sync);
    const base = rate(totals.baseline);
    return `BENCH audit-sync ${Math.round(measured)} events/s baseline ${Math.round(base)} ratio ${(base / measured).toFixed(2)}`;
  } finally {
    transport.close();
    await collector.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
