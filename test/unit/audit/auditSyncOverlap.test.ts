// The device's own work for a delivery round overlaps the collector's: while a batch is in
// flight the previous one is marked delivered and the next one prepared, yet batches still
// go one at a time, each after the last one's answer, and a queue failure in the middle
// leaves no request behind. Real encrypted queue and keys; the collector is the protocol's
// test double (fakeCollector), held open while the test looks at the queue.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { describe, expect, it } from 'vitest';
import type { EventBatch } from '../../../common/audit/syncProtocol';
import { AuditQueue, AuditQueueError } from '../../../main/audit/auditQueue';
import { AuditSync } from '../../../main/audit/auditSync';
import type { SyncRequest, SyncResponse, SyncTransport } from '../../../main/audit/syncTransport';
import { FakeCollector } from '../../support/fakeCollector';
import { appendEvents, ManualClock, syncPolicy, testDeviceKey, testQueue } from '../../support/auditSyncFixtures';

/** Answers each event batch only when the test releases it, and notes what was in flight when. */
class HeldCollector implements SyncTransport {
  readonly inner = new FakeCollector();
  readonly held: (() => void)[] = [];
  inFlight = 0;
  maxInFlight = 0;
  async send(request: SyncRequest): Promise<SyncResponse> {
    if (!request.url.endsWith('/v1/events')) return this.inner.send(request);
    this.inFlight += 1;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    await new Promise<void>((release) => this.held.push(release));
    this.inFlight -= 1;
    return this.inner.send(request);
  }
  /** Waits until a batch is in flight, then answers it. */
  async release(): Promise<void> {
    while (this.held.length === 0) await new Promise((resolve) => setImmediate(resolve));
    this.held.shift()?.();
  }
}

function setup(queue: AuditQueue = testQueue().queue) {
  const collector = new HeldCollector();
  const failures: unknown[] = [];
  const sync = new AuditSync({ queue, deviceKey: testDeviceKey(), policy: syncPolicy('https://collector.sunrise.example'), transport: collector, audit: { record: () => undefined }, clock: new ManualClock(), onQueueFailure: (error) => failures.push(error) });
  return { queue, collector, failures, sync };
}

const sentBatches = (collector: HeldCollector) => collector.inner.requests.filter((r) => r.url.endsWith('/v1/events')).map((r) => (JSON.parse(r.body ?? '') as EventBatch).events.map((e) => e.seq));

describe('a delivery round', () => {
  it('marks the previous batch delivered while the next is in flight, one batch at a time', async () => {
    const { queue, collector, sync } = setup();
    appendEvents(queue, 2_500);
    await sync.enrollWithCode('ABCD-EFGH-JKLM-NPQR');
    const round = sync.syncNow();
    await collector.release();
    // Batch 2 is in flight: batch 1 is already marked delivered locally.
    while (collector.held.length === 0) await new Promise((resolve) => setImmediate(resolve));
    expect(queue.acknowledgedSeq).toBe(1_000);
    // Events recorded now, after batch 3 was prepared, still go out in this round.
    appendEvents(queue, 10);
    await collector.release();
    await collector.release();
    await collector.release();
    const status = await round;
    expect(status).toMatchObject({ state: 'delivered', unacknowledged: 0, acknowledgedSeq: 2_510 });
    expect(sentBatches(collector).map((b) => [b[0], b.at(-1)])).toEqual([
      [1, 1_000],
      [1_001, 2_000],
      [2_001, 2_500],
      [2_501, 2_510],
    ]);
    expect(collector.maxInFlight).toBe(1);
  });

  it('answers the batch in flight before it reports a queue that failed meanwhile', async () => {
    // A queue on a file the test holds, so that marking events delivered can be made to fail.
    const db = new Database(path.join(mkdtempSync(path.join(tmpdir(), 'cordon-overlap-')), 'queue.db'));
    const { queue, collector, failures, sync } = setup(AuditQueue.onDatabase(db));
    appendEvents(queue, 1_500);
    await sync.enrollWithCode('ABCD-EFGH-JKLM-NPQR');
    db.exec("CREATE TRIGGER refuse_ack BEFORE INSERT ON deliveries BEGIN SELECT RAISE(ABORT, 'the disk said no'); END");
    let settled = false;
    const round = sync.syncNow().finally(() => (settled = true));
    await collector.release();
    // Batch 2 went out, then marking batch 1 failed: the round waits for batch 2's answer.
    while (collector.held.length === 0) await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(settled).toBe(false);
    await collector.release();
    expect(await round).toMatchObject({ state: 'stopped', problem: { code: 'queue-failed' } });
    expect(failures[0]).toBeInstanceOf(AuditQueueError);
    expect(collector.inFlight).toBe(0);
    expect(sentBatches(collector)).toHaveLength(2);
  });
});
