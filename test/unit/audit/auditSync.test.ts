// The sync's decisions, on a real encrypted queue and real device keys, against a test
// double of the collector whose answers can be made late, lost, contradictory or
// tampered with (the real collector cannot be told to misbehave). Real HTTP into the
// real collector is in auditSyncCollector.test.ts.
import { createPublicKey, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { enrollmentMessage, MAX_BATCH_EVENTS, type EnrollmentRequest, type EventBatch } from '../../../common/audit/syncProtocol';
import { AuditSync, type AuditSyncOptions } from '../../../main/audit/auditSync';
import { deviceIdOf } from '../../../main/audit/deviceKey';
import { QueueAuditSink } from '../../../main/audit/queueAuditSink';
import { TransportError, type SyncTransport } from '../../../main/audit/syncTransport';
import { FakeCollector, json } from '../../support/fakeCollector';
import { RecordingAuditSink } from '../../support/electronFakes';
import { appendEvents, ManualClock, syncPolicy, testDeviceKey, testQueue } from '../../support/auditSyncFixtures';

const CODE = 'ABCD-EFGH-JKLM-NPQR';

function setup(options: Partial<AuditSyncOptions> = {}) {
  const fixture = testQueue();
  const queue = options.queue ?? fixture.queue;
  const collector = new FakeCollector();
  const audit = new RecordingAuditSink();
  const clock = new ManualClock();
  const queueFailures: unknown[] = [];
  const pressures: string[] = [];
  const deviceKey = options.deviceKey ?? testDeviceKey();
  const make = (overrides: Partial<AuditSyncOptions> = {}) =>
    new AuditSync({
      queue,
      deviceKey,
      policy: syncPolicy('https://collector.sunrise.example'),
      transport: collector,
      audit,
      clock,
      random: () => 0.5,
      deviceName: 'front-desk-3',
      onQueueFailure: (error) => queueFailures.push(error),
      onPressure: (p) => pressures.push(p),
      ...options,
      ...overrides,
    });
  return { queue, reopen: fixture.reopen, collector, audit, clock, queueFailures, pressures, deviceKey, sync: make(), make };
}

describe('delivery', () => {
  it('keeps events recorded before enrollment in the queue, then delivers them all in batches', async () => {
    const { queue, collector, sync } = setup();
    appendEvents(queue, 2_500);
    expect((await sync.syncNow()).state).toBe('not-enrolled');
    expect(collector.requests).toHaveLength(0);
    expect(queue.unacknowledgedCount()).toBe(2_500);

    await sync.enrollWithCode(CODE.toLowerCase());
    const status = await sync.syncNow();
    expect(status).toMatchObject({ state: 'delivered', unacknowledged: 0, acknowledgedSeq: 2_500, problem: null });
    // Batches of at most MAX_BATCH_EVENTS, in order, each following the last.
    const batches = collector.requests.filter((r) => r.url.endsWith('/v1/events')).map((r) => (JSON.parse(r.body ?? '') as EventBatch).events.map((e) => e.seq));
    expect(batches.map((b) => [b[0], b.at(-1)])).toEqual([
      [1, MAX_BATCH_EVENTS],
      [MAX_BATCH_EVENTS + 1, 2 * MAX_BATCH_EVENTS],
      [2 * MAX_BATCH_EVENTS + 1, 2_500],
    ]);
    expect([...collector.stored.keys()]).toEqual(Array.from({ length: 2_500 }, (_, i) => i + 1));
    expect(collector.enrollments[0]?.proof).toEqual({ kind: 'enrollment-code', code: CODE });
  });

  it('enrolls zero-touch with the signed-in VA token, proving possession of the device key', async () => {
    const { collector, sync, deviceKey } = setup({ enrollmentProof: async () => ({ kind: 'access-token', token: 'eyJhbGciOiJSUzI1NiJ9.e30.sig-of-a-collector-token' }) });
    expect((await sync.syncNow()).state).toBe('delivered');
    const [request] = collector.enrollments;
    expect(request).toMatchObject({ deviceId: deviceIdOf(deviceKey.publicKeyPem), deviceName: 'front-desk-3', publicKeyPem: deviceKey.publicKeyPem, proof: { kind: 'access-token' } });
    const signed = Buffer.from(enrollmentMessage(request as EnrollmentRequest), 'utf8');
    expect(verify(null, signed, createPublicKey(deviceKey.publicKeyPem), Buffer.from(request?.signature ?? '', 'base64url'))).toBe(true);
  });

  it('audits the enrollment, and a failing one once per kind of failure rather than on every retry', async () => {
    let attempts = 0;
    const { audit, sync } = setup({
      enrollmentProof: async () => {
        attempts += 1;
        if (attempts <= 3) throw new Error('IdP refused the token request');
        return { kind: 'access-token', token: 'eyJhbGciOiJSUzI1NiJ9.e30.sig' };
      },
    });
    for (let i = 0; i < 3; i += 1) expect((await sync.syncNow()).state).toBe('retrying');
    expect((await sync.syncNow()).state).toBe('delivered');
    expect(audit.events.filter((e) => e.type.startsWith('audit.') && e.type !== 'audit.queue-pressure')).toEqual([
      { type: 'audit.enrollment-failed', outcome: 'failure', reason: 'no-collector-token' },
      { type: 'audit.device-enrolled', outcome: 'success', reason: 'access-token' },
    ]);
  });

  it('waits while nobody is signed in (no proof), and asks again later', async () => {
    let signedIn = false;
    const { queue, collector, sync } = setup({ enrollmentProof: async () => (signedIn ? { kind: 'access-token', token: 'eyJhbGciOiJSUzI1NiJ9.e30.sig' } : null) });
    appendEvents(queue, 3);
    expect((await sync.syncNow()).state).toBe('not-enrolled');
    signedIn = true;
    expect(await sync.syncNow()).toMatchObject({ state: 'delivered', unacknowledged: 0 });
    expect(collector.enrollments).toHaveLength(1);
  });

  it('purges delivered events only once the retention has passed, and the chain goes on', async () => {
    const { queue, clock, sync } = setup();
    await sync.enrollWithCode(CODE);
    appendEvents(queue, 10);
    await sync.syncNow();
    expect(queue.unacknowledged(100)).toHaveLength(0);
    expect(queue.linkAt(1)).not.toBeNull();
    clock.advance(31 * 24 * 3600_000);
    appendEvents(queue, 1);
    await sync.syncNow();
    expect(queue.linkAt(1)).toBeNull();
    expect(queue.verifyChain()).toBeNull();
    expect(queue.lastSeq).toBe(11);
  });
});

describe('resuming after a restart', () => {
  it('asks the collector where it stands, and acknowledges what it already stored without sending it again', async () => {
    const { queue, reopen, collector, make, sync: first } = setup();
    await first.enrollWithCode(CODE);
    appendEvents(queue, 1_500);
    // The collector stores the first batch, but the device crashes before hearing the ack.
    const lossy: SyncTransport = {
      send: async (r) => {
        const answer = await collector.send(r);
        if (r.method === 'POST') throw new TransportError('connection reset');
        return answer;
      },
    };
    const crashed = make({ transport: lossy });
    await crashed.syncNow();
    expect(collector.head.seq).toBe(MAX_BATCH_EVENTS);
    expect(queue.acknowledgedSeq).toBe(0);
    queue.close();

    const restarted = reopen();
    const postsBefore = collector.posts();
    const sync = make({ queue: restarted });
    expect(await sync.syncNow()).toMatchObject({ state: 'delivered', unacknowledged: 0 });
    // GET status first, then only the events the collector lacked: 1001..1500 in one batch.
    expect(collector.posts() - postsBefore).toBe(1);
    expect(collector.requests.at(-2)?.url).toMatch(/\/v1\/devices\/self$/);
    expect([...collector.stored.keys()]).toHaveLength(1_500);
  });

  it('re-sends, and audits, events a collector lost after acknowledging them', async () => {
    const { queue, collector, audit, sync } = setup();
    await sync.enrollWithCode(CODE);
    appendEvents(queue, 2_000);
    await sync.syncNow();
    collector.rollBackTo(1_200);
    appendEvents(queue, 5);
    expect(await sync.syncNow()).toMatchObject({ state: 'delivered', unacknowledged: 0, acknowledgedSeq: 2_005 });
    expect([...collector.stored.keys()]).toEqual(Array.from({ length: 2_005 }, (_, i) => i + 1));
    expect(audit.events).toContainEqual({ type: 'audit.sync-gap', outcome: 'failure', reason: 'collector-lost:1201-2000' });
  });
});

describe('answers that do not add up stop the sync, reported and audited', () => {
  async function delivered(count = 50) {
    const s = setup();
    await s.sync.enrollWithCode(CODE);
    appendEvents(s.queue, count);
    await s.sync.syncNow();
    return s;
  }

  it("stops when the collector's chain link differs from the device's (tamper evidence)", async () => {
    const s = await delivered();
    s.collector.head = { seq: 50, link: 'ff'.repeat(32) };
    appendEvents(s.queue, 1);
    s.collector.forced.push(json(409, { error: 'gap', message: 'x', expectedSeq: 51 }));
    const status = await s.sync.syncNow();
    expect(status).toMatchObject({ state: 'stopped', problem: { code: 'chain-mismatch' }, nextAttemptAt: null });
    expect(s.audit.events.at(-1)).toEqual({ type: 'audit.tamper-detected', outcome: 'failure', reason: 'chain-mismatch@50' });
    // Stopped means stopped: nothing more is sent on the clock.
    const sent = s.collector.requests.length;
    s.clock.advance(3600_000);
    expect(s.collector.requests.length).toBe(sent);
    expect(s.queue.unacknowledgedCount()).toBe(1);
  });

  it('stops when the collector claims events this device never wrote', async () => {
    const s = await delivered();
    const sync = s.make();
    s.collector.head = { seq: 70, link: 'ab'.repeat(32) };
    expect(await sync.syncNow()).toMatchObject({ state: 'stopped', problem: { code: 'collector-ahead' } });
    expect(s.audit.events.at(-1)).toMatchObject({ type: 'audit.tamper-detected', reason: 'collector-ahead@70' });
  });

  it('stops when the collector lost events this device already purged', async () => {
    const s = await delivered();
    s.clock.advance(31 * 24 * 3600_000);
    appendEvents(s.queue, 1);
    await s.sync.syncNow(); // purges 1..50
    s.collector.rollBackTo(0);
    appendEvents(s.queue, 1);
    expect(await s.sync.syncNow()).toMatchObject({ state: 'stopped', problem: { code: 'collector-behind-purged' } });
    expect(s.audit.events.at(-1)).toMatchObject({ type: 'audit.sync-gap', reason: 'collector-behind-purged@0' });
  });

  it('stops instead of looping when the collector refuses the same batch again after agreeing where it stands', async () => {
    const s = await delivered();
    appendEvents(s.queue, 1);
    s.collector.forced.push(json(409, { error: 'gap', message: 'x', expectedSeq: 51 }));
    // status (consistent), then the same refusal for the resent batch.
    s.collector.forced.push(json(200, { deviceId: deviceIdOf(s.deviceKey.publicKeyPem), acknowledgedSeq: 50, acknowledgedLink: s.collector.head.link }));
    s.collector.forced.push(json(409, { error: 'gap', message: 'x', expectedSeq: 51 }));
    expect(await s.sync.syncNow()).toMatchObject({ state: 'stopped', problem: { code: 'collector-inconsistent' } });
  });

  it('does not believe an ack whose link or sequence does not match what was sent', async () => {
    const s = await delivered();
    appendEvents(s.queue, 2);
    s.collector.forced.push(json(200, { acknowledgedSeq: 52, acknowledgedLink: 'ee'.repeat(32) }));
    expect(await s.sync.syncNow()).toMatchObject({ state: 'stopped', problem: { code: 'chain-mismatch' }, acknowledgedSeq: 50 });
    const again = await delivered();
    appendEvents(again.queue, 2);
    again.collector.forced.push(json(200, { acknowledgedSeq: 60, acknowledgedLink: 'ee'.repeat(32) }));
    expect(await again.sync.syncNow()).toMatchObject({ state: 'stopped', problem: { code: 'collector-inconsistent' }, acknowledgedSeq: 50 });
  });

  it('stops on a refused checkpoint and says which events', async () => {
    const s = await delivered();
    appendEvents(s.queue, 2);
    s.collector.forced.push(json(422, { error: 'bad-checkpoint', message: 'not signed by the device key' }));
    const status = await s.sync.syncNow();
    expect(status.problem?.message).toContain('51..52');
    expect(s.audit.events.at(-1)).toMatchObject({ type: 'audit.sync-gap', reason: 'batch-refused@51' });
  });
});

describe('recoverable refusals and outages', () => {
  it('enrolls again when the collector no longer knows the device', async () => {
    const { queue, collector, sync } = setup({ enrollmentProof: async () => ({ kind: 'access-token', token: 'eyJhbGciOiJSUzI1NiJ9.e30.sig' }) });
    appendEvents(queue, 5);
    await sync.syncNow();
    collector.enrolled.clear();
    appendEvents(queue, 5);
    expect(await sync.syncNow()).toMatchObject({ state: 'retrying', problem: { code: 'unknown-device' } });
    expect(queue.enrollment()).toBeNull();
    expect(await sync.syncNow()).toMatchObject({ state: 'delivered', unacknowledged: 0 });
    expect(collector.enrollments).toHaveLength(2);
  });

  it("says the clock is off when the collector calls the request stale", async () => {
    const { queue, collector, sync } = setup();
    await sync.enrollWithCode(CODE);
    appendEvents(queue, 1);
    collector.forced.push(json(401, { error: 'stale-request', message: 'timestamp 900 s off' }));
    expect(await sync.syncNow()).toMatchObject({ state: 'retrying', problem: { code: 'clock-skew' } });
  });

  it('backs off with full jitter on the clock, honours Retry-After, and resets after a success', async () => {
    const { queue, collector, clock, sync } = setup({ backoff: { baseMs: 1_000, capMs: 60_000 } });
    await sync.enrollWithCode(CODE);
    appendEvents(queue, 3);
    collector.down = true;
    const delays: number[] = [];
    for (let i = 0; i < 5; i += 1) delays.push(((await sync.syncNow()).nextAttemptAt ?? 0) - clock.now());
    // random() = 0.5: half of each ceiling 1 s, 2 s, 4 s, 8 s, 16 s.
    expect(delays).toEqual([500, 1_000, 2_000, 4_000, 8_000]);
    collector.down = false;
    collector.forced.push(json(503, { error: 'internal' }, '20'));
    expect(((await sync.syncNow()).nextAttemptAt ?? 0) - clock.now()).toBe(20_000);
    expect(await sync.syncNow()).toMatchObject({ state: 'delivered', problem: null, unacknowledged: 0, nextAttemptAt: clock.now() + 30_000 });
  });

  it('does not run on the clock until started', async () => {
    const { queue, collector, clock, sync } = setup();
    await sync.enrollWithCode(CODE);
    appendEvents(queue, 2);
    sync.nudge();
    clock.advance(3600_000);
    await new Promise((resolve) => setImmediate(resolve));
    expect(clock.pending).toBe(0);
    expect(collector.posts()).toBe(0);
  });

  it('runs on the clock: retries when due, checks pressure in between, delivers on a nudge', async () => {
    const { queue, collector, clock, sync, pressures } = setup({ backoff: { baseMs: 60_000, capMs: 60_000 }, checkIntervalMs: 1_000, policy: { ...syncPolicy('https://collector.sunrise.example'), queueSoftLimit: 10, queueHardLimit: 1_000 } });
    const settle = () => new Promise((resolve) => setImmediate(resolve));
    await sync.enrollWithCode(CODE);
    collector.down = true;
    appendEvents(queue, 3);
    sync.start();
    await settle();
    expect(sync.status).toMatchObject({ state: 'retrying', nextAttemptAt: clock.now() + 30_000 });
    const attempts = collector.requests.length;
    appendEvents(queue, 10);
    clock.advance(1_000);
    await settle();
    // No delivery attempt before the backoff is over, but the pressure was checked.
    expect(collector.requests.length).toBe(attempts);
    expect(pressures).toEqual(['soft']);
    collector.down = false;
    clock.advance(29_000);
    await settle();
    expect(sync.status).toMatchObject({ state: 'delivered', unacknowledged: 0 });
    appendEvents(queue, 2);
    sync.nudge();
    clock.advance(0);
    await settle();
    expect(queue.unacknowledgedCount()).toBe(0);
    await sync.stop();
    expect(clock.pending).toBe(0);
  });
});

describe('queue pressure', () => {
  it('audits each change into the queue itself, tells main, and drains back to ok', async () => {
    const fixture = testQueue();
    const failures: unknown[] = [];
    const sink = new QueueAuditSink((e) => failures.push(e));
    sink.attach(fixture.queue);
    const { collector, sync, pressures } = setup({ queue: fixture.queue, audit: sink, policy: { ...syncPolicy('https://collector.sunrise.example'), queueSoftLimit: 10, queueHardLimit: 20 } });
    const recorded = () => fixture.queue.unacknowledged(100).map((e) => JSON.parse(e.body) as { type: string; outcome: string; reason?: string }).filter((e) => e.type === 'audit.queue-pressure');
    appendEvents(fixture.queue, 10);
    await sync.syncNow(); // not enrolled: nothing leaves
    expect(sync.pressure).toBe('soft');
    appendEvents(fixture.queue, 9);
    await sync.syncNow();
    expect(sync.pressure).toBe('hard');
    expect(recorded()).toEqual([
      { type: 'audit.queue-pressure', outcome: 'failure', reason: 'soft:10', recordedAt: expect.any(String) },
      { type: 'audit.queue-pressure', outcome: 'blocked', reason: 'hard:20', recordedAt: expect.any(String) },
    ]);
    await sync.enrollWithCode(CODE);
    await sync.syncNow();
    expect(sync.pressure).toBe('ok');
    expect(pressures).toEqual(['soft', 'hard', 'ok']);
    // The 'ok' event is queued after delivery and waits for the next round.
    expect(fixture.queue.unacknowledged(10).map((e) => JSON.parse(e.body) as { reason: string }).map((e) => e.reason)).toEqual(['ok:0']);
    expect([...collector.stored.values()].filter((e) => e.body.includes('queue-pressure'))).toHaveLength(2);
    expect(failures).toEqual([]);
  });
});

describe('a failing queue', () => {
  it('is reported to main (which locks) and ends the sync', async () => {
    const { queue, sync, queueFailures } = setup();
    await sync.enrollWithCode(CODE);
    appendEvents(queue, 3);
    queue.close();
    const status = (await sync.syncNow().catch((error: unknown) => error)) as Error;
    expect(queueFailures).toHaveLength(1);
    expect(queueFailures[0]).toMatchObject({ name: 'AuditQueueError', code: 'io' });
    // The status itself reads the closed queue: it fails loudly rather than invent numbers.
    expect(status).toMatchObject({ name: 'AuditQueueError' });
  });
});
