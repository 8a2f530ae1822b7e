// The ingest decision on its own (no server, no database): each way a batch can fail to
// extend the stored chain gives the right refusal and the right alert kind.
import { createPublicKey } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { GENESIS_LINK_HEX, type EventBatch } from '../../../common/audit/syncProtocol';
import { overlapRange, parseEventBody, verifyBatch, type ChainHead, type StoredEvent } from '../../../collector/ingestVerifier';
import { auditBody, link, TestDevice } from './collectorTestDevice';

function setup(storedCount: number, newCount: number) {
  const device = new TestDevice('http://unused');
  const stored = device.record(storedCount);
  device.record(newCount);
  const last = stored.at(-1);
  const head: ChainHead = last === undefined ? { seq: 0, link: GENESIS_LINK_HEX } : { seq: last.seq, link: last.link };
  const decide = (batch: EventBatch, storedEvents: StoredEvent[] = stored) =>
    verifyBatch(batch, { deviceId: device.deviceId, publicKey: createPublicKey(device.publicKeyPem), head, stored: new Map(storedEvents.map((e) => [e.seq, e])) });
  const batchOf = (events = device.chain.slice(storedCount), checkpoint?: { seq: number; link: string; signature?: string }): EventBatch =>
    JSON.parse(device.batchBody(events, checkpoint === undefined ? {} : { checkpoint })) as EventBatch;
  return { device, head, decide, batchOf };
}

function refusedWith(decision: ReturnType<ReturnType<typeof setup>['decide']>) {
  if (decision.accepted) throw new Error('expected a refusal');
  return { status: decision.status, error: decision.refusal.error, kind: decision.alert.kind, seq: decision.alert.seq, expectedSeq: decision.refusal.expectedSeq };
}

describe('verifyBatch', () => {
  it('accepts the next events of the chain and moves the head to the last one, keeping its signed checkpoint', () => {
    const { decide, batchOf, device } = setup(3, 4);
    const batch = batchOf();
    const decision = decide(batch);
    // Each new event comes with its body's fields as checked, for the session index and the rules.
    const newEvents = device.chain.slice(3).map((e) => ({ ...e, fields: JSON.parse(e.body) as unknown }));
    expect(decision).toEqual({ accepted: true, newEvents, head: { seq: 7, link: device.head.link, signature: batch.checkpoint.signature } });
  });

  it('accepts a batch that re-sends stored events byte for byte and keeps only the new tail', () => {
    const { decide, batchOf, device } = setup(3, 2);
    const decision = decide(batchOf(device.chain.slice(1)));
    expect(decision.accepted && decision.newEvents.map((e) => e.seq)).toEqual([4, 5]);
    const retry = decide(batchOf(device.chain.slice(0, 3)));
    expect(retry).toEqual({ accepted: true, newEvents: [], head: { seq: 3, link: device.chain[2]?.link } });
  });

  it('a batch starting after head + 1 is a gap, with the sequence the device should resume from', () => {
    const { decide, batchOf, device } = setup(3, 4);
    expect(refusedWith(decide(batchOf(device.chain.slice(5))))).toEqual({ status: 409, error: 'gap', kind: 'gap', seq: 4, expectedSeq: 4 });
  });

  it('a hole inside a batch is a deletion; a step back or a repeat is a reorder', () => {
    const { decide, batchOf, device } = setup(0, 5);
    const [e1, e2, e3, e4, e5] = device.chain as [never, never, never, never, never];
    expect(refusedWith(decide(batchOf([e1, e2, e4, e5])))).toMatchObject({ status: 409, error: 'gap', kind: 'deletion', seq: 3, expectedSeq: 1 });
    expect(refusedWith(decide(batchOf([e1, e3, e2])))).toMatchObject({ error: 'gap', kind: 'reorder', seq: 3 });
    expect(refusedWith(decide(batchOf([e1, e2, e2, e3])))).toMatchObject({ error: 'gap', kind: 'reorder', seq: 2 });
    expect(refusedWith(decide(batchOf([e2, e1])))).toMatchObject({ error: 'gap', kind: 'reorder', seq: 1 });
  });

  it('an event whose body no longer matches its link is an edit', () => {
    const { decide, batchOf, device } = setup(2, 3);
    const events = device.chain.slice(2).map((e) => (e.seq === 4 ? { ...e, body: e.body.replace('blocked', 'success') } : e));
    expect(refusedWith(decide(batchOf(events)))).toEqual({ status: 409, error: 'chain-mismatch', kind: 'edit', seq: 4, expectedSeq: 3 });
  });

  it('an acknowledged event re-sent with other content is an edit, with another link a fork', () => {
    const { decide, batchOf, device } = setup(4, 1);
    const edited = device.chain.map((e) => (e.seq === 3 ? { ...e, body: auditBody({ outcome: 'success' }) } : e));
    expect(refusedWith(decide(batchOf(edited.slice(2))))).toMatchObject({ error: 'chain-mismatch', kind: 'edit', seq: 3 });
    // A self-consistent rewritten history from event 3 on.
    const rewritten = device.chain.slice(0, 2);
    for (let seq = 3; seq <= 5; seq += 1) {
      const body = auditBody({ reason: `rewritten-${seq}` });
      rewritten.push({ seq, body, link: link((rewritten.at(-1) as StoredEvent).link, body) });
    }
    expect(refusedWith(decide(batchOf(rewritten.slice(2))))).toMatchObject({ error: 'chain-mismatch', kind: 'fork', seq: 3 });
  });

  it('a chain that restarts at 1 with other events after acknowledgements is a truncation', () => {
    const { decide, batchOf } = setup(5, 0);
    const reset = new TestDevice('http://unused');
    reset.record(2);
    expect(refusedWith(decide(batchOf(reset.chain)))).toEqual({ status: 409, error: 'chain-mismatch', kind: 'truncation', seq: 1, expectedSeq: 6 });
  });

  it('the checkpoint must be the last event, and signed by the device key', () => {
    const { decide, batchOf, device } = setup(0, 3);
    const [, second, third] = device.chain as [never, StoredEvent, StoredEvent];
    expect(refusedWith(decide(batchOf(undefined, { seq: 2, link: second.link })))).toMatchObject({ status: 422, error: 'bad-checkpoint', kind: 'bad-checkpoint' });
    const forger = new TestDevice('http://unused');
    const forged = forger.signText(`cordon-checkpoint/1:3:${third.link}`);
    expect(refusedWith(decide(batchOf(undefined, { seq: 3, link: third.link, signature: forged })))).toMatchObject({ status: 422, kind: 'bad-checkpoint' });
    expect(decide(batchOf(undefined, { seq: 3, link: third.link })).accepted).toBe(true);
  });

  it('a batch naming another device than the signer is refused as a bad signature', () => {
    const { decide, batchOf } = setup(0, 1);
    const batch = { ...batchOf(), deviceId: 'f'.repeat(32) };
    expect(refusedWith(decide(batch))).toMatchObject({ status: 401, error: 'bad-signature', kind: 'bad-signature' });
  });

  it('correctly chained events must be canonical Cordon audit events', () => {
    for (const body of ['{"type":"request.blocked"}', '{ "outcome": "blocked" }', 'not json at all']) {
      const { decide, batchOf, device } = setup(0, 0);
      device.record(1, () => body);
      expect(refusedWith(decide(batchOf(device.chain)))).toMatchObject({ status: 400, error: 'invalid-body', kind: 'invalid-event', seq: 1 });
    }
  });

  it('the stored lookup is bounded by the batch, whatever sequence numbers it claims', () => {
    const head = { seq: 1_000_000, link: GENESIS_LINK_HEX };
    const events = [1, 999_999].map((seq) => ({ seq, body: '{}', link: GENESIS_LINK_HEX }));
    expect(overlapRange({ deviceId: '0'.repeat(32), events, checkpoint: { seq: 1, link: GENESIS_LINK_HEX, signature: 'x' } }, head)).toEqual({ from: 1, to: 2 });
    expect(overlapRange({ deviceId: '0'.repeat(32), events: [{ seq: 5, body: '{}', link: GENESIS_LINK_HEX }], checkpoint: { seq: 5, link: GENESIS_LINK_HEX, signature: 'x' } }, { seq: 4, link: GENESIS_LINK_HEX })).toBeNull();
  });
});

describe('parseEventBody', () => {
  const problem = (body: string) => {
    const parsed = parseEventBody(body);
    return 'problem' in parsed ? parsed.problem : null;
  };

  it('gives the fields of a canonical audit event and names what is wrong otherwise, without quoting content', () => {
    const body = auditBody({ session: 'ABCD-1234', subject: 'va-7' });
    expect(parseEventBody(body)).toEqual({ fields: JSON.parse(body) as unknown });
    expect(problem('not json')).toBe('is not JSON');
    expect(problem('{"outcome":"blocked","type":"request.blocked"}')).toMatch(/recordedAt/);
    const withExtraKey = problem(auditBody({ patientName: 'Jane Roe' }));
    expect(withExtraKey).toMatch(/unrecognized_keys/);
    expect(withExtraKey).not.toContain('patientName');
    expect(problem(JSON.stringify(JSON.parse(auditBody()), null, 1))).toBe('is not in canonical JSON form');
  });
});
