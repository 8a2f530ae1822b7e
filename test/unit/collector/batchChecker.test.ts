// Where a batch is checked: inline while one device sends, on a worker thread (a real one,
// loaded through tsx as the collector's are) while several do — with the same answer either
// way, for an accepted batch, each kind of refusal and a re-sent overlap; and a thread that
// stops mid-check fails its batch as "try later", never as a decision.
import { createPublicKey } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { availableParallelism } from 'node:os';
import { BatchChecker, defaultVerifyWorkers, SEVERAL_DEVICES_WINDOW_MS, VerificationUnavailable, type CheckInput } from '../../../collector/batchChecker';
import { checkBatchBody, type ChainHead } from '../../../collector/ingestVerifier';
import { GENESIS_LINK_HEX } from '../../../common/audit/syncProtocol';
import { auditBody, TestDevice } from './collectorTestDevice';

const checkers: BatchChecker[] = [];
afterEach(async () => {
  for (const checker of checkers.splice(0)) await checker.close();
});

/** A checker on a clock the test moves, and two devices to alternate between. */
function setup() {
  let now = 0;
  const checker = new BatchChecker(1, () => now);
  checkers.push(checker);
  const [a, b] = [new TestDevice('http://unused'), new TestDevice('http://unused')];
  const input = (device: TestDevice, body: string, head: ChainHead = { seq: 0, link: GENESIS_LINK_HEX }, stored: CheckInput['stored'] = null): CheckInput => ({
    body: Buffer.from(body),
    deviceId: device.deviceId,
    publicKey: createPublicKey(device.publicKeyPem),
    publicKeyPem: device.publicKeyPem,
    head,
    stored,
  });
  const inline = (given: CheckInput) => checkBatchBody(given.body, { ...given, stored: given.stored === null ? null : new Map(given.stored.map((e) => [e.seq, e])) });
  return { checker, a, b, input, inline, advance: (ms: number) => (now += ms) };
}

describe('BatchChecker', () => {
  it('checks inline while one device sends, however often', async () => {
    const { checker, a, input, advance } = setup();
    for (let i = 0; i < 3; i += 1) {
      const head = a.head;
      const check = await checker.check(input(a, a.batchBody(a.record(5)), head));
      expect(check.kind === 'decided' && check.decision.accepted).toBe(true);
      advance(10);
    }
    expect(checker.threads).toBe(0);
  });

  it('moves to a worker thread while two devices send, with the same answers as inline', async () => {
    const { checker, a, b, input, inline, advance } = setup();
    const first = input(a, a.batchBody(a.record(20, (i) => auditBody({ subject: 'va-1', session: 'K7QH-2M1X', reason: `r${i}` }))));
    expect(await checker.check(first)).toEqual(inline(first));
    advance(5);
    // Another device within the window: while both send, threads.
    const accepted = input(b, b.batchBody(b.record(20)));
    expect(await checker.check(accepted)).toEqual(inline(accepted));
    expect(checker.threads).toBe(1);

    const before = b.head;
    const edited = b.record(3).map((e, i) => (i === 1 ? { ...e, body: auditBody({ outcome: 'failure' }) } : e));
    const editedInput = input(b, b.batchBody(edited), before);
    const refused = await checker.check(editedInput);
    expect(refused).toEqual(inline(editedInput));
    expect(refused.kind === 'decided' && !refused.decision.accepted && refused.decision.alert.kind).toBe('edit');

    const garbage = input(a, '{"deviceId": 7}');
    const notABatch = await checker.check(garbage);
    expect(notABatch).toEqual(inline(garbage));
    expect(notABatch.kind).toBe('not-a-batch');

    // Re-sent acknowledged events: asks for them, then decides with them, like inline.
    const resent = input(a, a.batchBody(a.chain.slice(10, 20)), a.head);
    expect(await checker.check(resent)).toEqual({ kind: 'needs-stored', range: { from: 11, to: 20 } });
    const withStored = { ...resent, stored: a.chain.slice(10, 20) };
    const decided = await checker.check(withStored);
    expect(decided).toEqual(inline(withStored));
    expect(decided.kind === 'decided' && decided.decision.accepted && decided.decision.newEvents).toEqual([]);
    expect(checker.threads).toBe(1);
  });

  it('goes back inline once no other device has sent for SEVERAL_DEVICES_WINDOW_MS', async () => {
    const { checker, a, b, input, advance } = setup();
    const nextOf = (device: TestDevice) => {
      const head = device.head;
      return input(device, device.batchBody(device.record(2)), head);
    };
    await checker.check(nextOf(a));
    advance(SEVERAL_DEVICES_WINDOW_MS - 1);
    await checker.check(nextOf(b));
    expect(checker.threads).toBe(1);
    // Only the first device from now on: a thread while the other's batch is that recent.
    await checker.close();
    advance(SEVERAL_DEVICES_WINDOW_MS - 1);
    await checker.check(nextOf(a));
    expect(checker.threads).toBe(1);
    await checker.close();
    advance(1);
    await checker.check(nextOf(a));
    await checker.check(nextOf(a));
    expect(checker.threads).toBe(0);
    // Another device long after: each alone, so inline.
    advance(SEVERAL_DEVICES_WINDOW_MS);
    await checker.check(nextOf(b));
    expect(checker.threads).toBe(0);
  });

  it('fails a batch whose thread stopped mid-check as "try later", and starts another for the next', async () => {
    const { checker, a, b, input } = setup();
    await checker.check(input(a, a.batchBody(a.record(2))));
    const pending = checker.check(input(b, b.batchBody(b.record(500))));
    await checker.close();
    await expect(pending).rejects.toBeInstanceOf(VerificationUnavailable);
    const again = await checker.check(input(b, b.batchBody(b.chain.slice(0, 500))));
    expect(again.kind === 'decided' && again.decision.accepted).toBe(true);
    expect(checker.threads).toBe(1);
  });

  it('uses threads by default only with SQLite, leaving the main thread a core of its own', () => {
    expect(defaultVerifyWorkers('postgres')).toBe(0);
    expect(defaultVerifyWorkers('sqlite')).toBe(Math.min(4, availableParallelism() - 1));
  });
});
