// Where a batch is checked: inline while one device sends, on a worker thread (a real one,
// loaded through tsx as the collector's are) while several do — with the same answer either
// way, for an accepted batch, each kind of refusal and a re-sent overlap. A thread that stops,
// never loads or does not answer costs only time: its batches are checked inline, IT is told
// once, and threads rest before another is started.
import { createPublicKey } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { BatchChecker, defaultVerifyWorkers, MAX_JOBS_PER_THREAD, SEVERAL_DEVICES_WINDOW_MS, THREAD_REST_MS, type BatchCheckerOptions } from '../../../collector/batchChecker';
import { decideBatch, readBatch, type BatchCheck, type ChainHead, type StoredEvent } from '../../../collector/ingestVerifier';
import { auditBody, TestDevice } from './collectorTestDevice';

const checkers: BatchChecker[] = [];
afterEach(async () => {
  for (const checker of checkers.splice(0)) await checker.close();
});

/** Test doubles of the worker entry (test/support), or a file that is not there. */
const faulty = (fault: 'exiting' | 'silent' | 'missing') => new URL(fault === 'missing' ? '../../support/noSuchWorker.ts' : `../../support/${fault}BatchCheckWorker.ts`, import.meta.url);

/** A checker on a clock the test moves, two devices, and the inline answer to compare with. */
function setup(options: Partial<BatchCheckerOptions> = {}) {
  let now = 0;
  const stopped: string[] = [];
  const counts = { batchesCheckedOnThreads: 0, verifyThreadsStopped: 0 };
  const checker = new BatchChecker({ workers: 1, clock: () => now, onThreadStopped: (why) => stopped.push(why), counts, ...options });
  checkers.push(checker);
  const [a, b] = [new TestDevice('http://unused'), new TestDevice('http://unused')];
  const checksOf = (device: TestDevice, body: string) => checker.forRequest({ body: Buffer.from(body), deviceId: device.deviceId, publicKey: createPublicKey(device.publicKeyPem), publicKeyPem: device.publicKeyPem });
  const inline = (device: TestDevice, body: string, head: ChainHead, stored: StoredEvent[] | null = null): BatchCheck => {
    const read = readBatch(Buffer.from(body));
    return 'batch' in read ? decideBatch(read.batch, { deviceId: device.deviceId, publicKey: createPublicKey(device.publicKeyPem), head, stored: stored === null ? null : new Map(stored.map((e) => [e.seq, e])) }) : read;
  };
  /** The device's next `count` events as a batch, with the head before them. */
  const next = (device: TestDevice, count = 2) => {
    const head = device.head;
    return { device, head, body: device.batchBody(device.record(count)) };
  };
  const check = (batch: ReturnType<typeof next>) => checksOf(batch.device, batch.body).check(batch.head, null);
  return { checker, a, b, checksOf, check, inline, next, stopped, counts, advance: (ms: number) => (now += ms) };
}

const accepted = (check: BatchCheck) => check.kind === 'decided' && check.decision.accepted;

describe('BatchChecker', () => {
  it('checks inline while one device sends, however often', async () => {
    const { checker, a, check, next, counts, advance } = setup();
    for (let i = 0; i < 3; i += 1) {
      expect(accepted(await check(next(a, 5)))).toBe(true);
      advance(1);
    }
    expect(counts.batchesCheckedOnThreads).toBe(0);
    expect(checker.threads).toBe(0);
  });

  it('checks on a worker thread while two devices send, with the same answers as inline', async () => {
    const { checker, a, b, checksOf, check, inline, next, counts, advance } = setup();
    const first = next(a, 0);
    first.body = a.batchBody(a.record(20, (i) => auditBody({ subject: 'va-1', session: 'K7QH-2M1X', reason: `r${i}` })));
    expect(await check(first)).toEqual(inline(a, first.body, first.head));
    expect(counts.batchesCheckedOnThreads).toBe(0);
    advance(SEVERAL_DEVICES_WINDOW_MS - 1);

    const fromB = next(b, 20);
    expect(await check(fromB)).toEqual(inline(b, fromB.body, fromB.head));
    expect(counts.batchesCheckedOnThreads).toBe(1);
    expect(checker.threads).toBe(1);

    const before = b.head;
    const edited = b.batchBody(b.record(3).map((e, i) => (i === 1 ? { ...e, body: auditBody({ outcome: 'failure' }) } : e)));
    const refused = await checksOf(b, edited).check(before, null);
    expect(refused).toEqual(inline(b, edited, before));
    expect(refused.kind === 'decided' && !refused.decision.accepted && refused.decision.alert.kind).toBe('edit');

    const notABatch = await checksOf(a, '{"deviceId": 7}').check(a.head, null);
    expect(notABatch).toEqual(inline(a, '{"deviceId": 7}', a.head));
    expect(notABatch.kind).toBe('not-a-batch');

    // Re-sent acknowledged events: the thread asks for them, the follow-up decides with them.
    const resent = a.batchBody(a.chain.slice(10, 20));
    const checks = checksOf(a, resent);
    expect(await checks.check(a.head, null)).toEqual({ kind: 'needs-stored', range: { from: 11, to: 20 } });
    const decided = await checks.check(a.head, a.chain.slice(10, 20));
    expect(decided).toEqual(inline(a, resent, a.head, a.chain.slice(10, 20)));
    expect(decided.kind === 'decided' && decided.decision.accepted && decided.decision.newEvents).toEqual([]);
    expect(counts.batchesCheckedOnThreads).toBe(4);
  });

  it('goes back inline once no other device has sent for SEVERAL_DEVICES_WINDOW_MS', async () => {
    const { a, b, check, next, counts, advance } = setup();
    await check(next(a));
    advance(SEVERAL_DEVICES_WINDOW_MS - 1);
    await check(next(b));
    await check(next(b));
    expect(counts.batchesCheckedOnThreads).toBe(2);
    // b alone since a's batch SEVERAL_DEVICES_WINDOW_MS ago.
    advance(1);
    await check(next(b));
    await check(next(b));
    expect(counts.batchesCheckedOnThreads).toBe(2);
  });

  it('starts threads up to the count, an idle one first, then the least busy', async () => {
    const { checker, a, b, check, next, counts } = setup({ workers: 2 });
    await check(next(a));
    const answers = await Promise.all([check(next(b)), check(next(a)), check(next(b))]);
    expect(answers.map(accepted)).toEqual([true, true, true]);
    expect(counts.batchesCheckedOnThreads).toBe(3);
    expect(checker.threads).toBe(2);
  });

  it('checks inline, tells IT once and rests the threads when a thread stops with a job pending', async () => {
    const { checker, a, b, check, next, stopped, counts, advance } = setup({ workerUrl: faulty('exiting') });
    await check(next(a));
    expect(accepted(await check(next(b, 300)))).toBe(true);
    expect(stopped).toEqual(['exit code 3']);
    expect(counts).toEqual({ batchesCheckedOnThreads: 0, verifyThreadsStopped: 1 });
    // Resting: two devices still sending, yet no new thread.
    expect(accepted(await check(next(a)))).toBe(true);
    expect(checker.threads).toBe(0);
    // Rested: the next batch of two devices sending tries a thread again (another that stops).
    advance(THREAD_REST_MS);
    await check(next(a));
    expect(accepted(await check(next(b)))).toBe(true);
    expect(counts.verifyThreadsStopped).toBe(2);
  });

  it('checks inline when the worker cannot even load, and says why', async () => {
    const { a, b, check, next, stopped } = setup({ workerUrl: faulty('missing') });
    await check(next(a));
    expect(accepted(await check(next(b)))).toBe(true);
    expect(stopped).toHaveLength(1);
    expect(stopped[0]).toMatch(/noSuchWorker/);
  });

  it('stops a thread that misses its deadline and checks its jobs inline; past MAX_JOBS_PER_THREAD, jobs go inline at once', async () => {
    const { a, b, check, next, stopped, counts } = setup({ workerUrl: faulty('silent'), deadlineMs: 1500 });
    await check(next(a));
    const batches = Array.from({ length: MAX_JOBS_PER_THREAD + 1 }, (_, i) => next(i % 2 === 0 ? b : a));
    const settled: number[] = [];
    const answers = await Promise.all(batches.map((batch, i) => check(batch).then((answer) => (settled.push(i), answer))));
    // Each batch chains from the head it was made on, so each stands alone.
    expect(answers.map(accepted)).toEqual(batches.map(() => true));
    // The one past the cap was answered first, inline, while the thread sat on the others.
    expect(settled[0]).toBe(MAX_JOBS_PER_THREAD);
    expect(stopped).toEqual(['no answer within 1500 ms']);
    expect(counts.batchesCheckedOnThreads).toBe(0);
  });

  it('checks inline after close, starting no thread', async () => {
    const { checker, a, b, check, next, counts } = setup();
    await checker.close();
    await check(next(a));
    expect(accepted(await check(next(b)))).toBe(true);
    expect(checker.threads).toBe(0);
    expect(counts.batchesCheckedOnThreads).toBe(0);
  });

  it('uses threads by default only with SQLite, leaving the main thread a core of its own', () => {
    expect(defaultVerifyWorkers('postgres')).toBe(0);
    expect(defaultVerifyWorkers('sqlite')).toBe(Math.min(4, availableParallelism() - 1));
  });
});
