// Batching: the protocol's event and byte limits, the exact wire shape, and a checkpoint
// signature that verifies with node:crypto over syncProtocol's checkpointMessage.
import { createPublicKey, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { checkpointMessage, eventBatchSchema, MAX_BATCH_EVENTS, MAX_BODY_BYTES } from '../../../common/audit/syncProtocol';
import { deviceIdOf } from '../../../main/audit/deviceKey';
import { prepareBatch } from '../../../main/audit/eventBatch';
import { appendEvents, testDeviceKey, testQueue } from '../../support/auditSyncFixtures';

describe('event batches', () => {
  it('carries at most MAX_BATCH_EVENTS consecutive events, exactly as queued, with a verifiable checkpoint', () => {
    const { queue } = testQueue();
    const key = testDeviceKey();
    appendEvents(queue, 1_500);
    const events = queue.unacknowledged(5_000);
    const batch = prepareBatch(events, deviceIdOf(key.publicKeyPem), key.privateKey);
    expect(batch).toMatchObject({ firstSeq: 1, lastSeq: MAX_BATCH_EVENTS, count: MAX_BATCH_EVENTS });
    const parsed = eventBatchSchema.parse(JSON.parse(batch.body));
    expect(parsed.events.map((e) => e.seq)).toEqual(Array.from({ length: MAX_BATCH_EVENTS }, (_, i) => i + 1));
    parsed.events.forEach((e, i) => {
      expect(e.body).toBe(events[i]?.body);
      expect(e.link).toBe(events[i]?.link.toString('hex'));
    });
    const last = events[MAX_BATCH_EVENTS - 1];
    expect(parsed.checkpoint).toMatchObject({ seq: MAX_BATCH_EVENTS, link: last?.link.toString('hex') });
    const signed = Buffer.from(checkpointMessage(parsed.checkpoint.seq, parsed.checkpoint.link), 'utf8');
    expect(verify(null, signed, createPublicKey(key.publicKeyPem), Buffer.from(parsed.checkpoint.signature, 'base64url'))).toBe(true);
    expect(verify(null, Buffer.from(checkpointMessage(1, parsed.checkpoint.link)), createPublicKey(key.publicKeyPem), Buffer.from(parsed.checkpoint.signature, 'base64url'))).toBe(false);
    expect(parsed.deviceId).toBe(deviceIdOf(key.publicKeyPem));
    queue.close();
  });

  it('stops before MAX_BODY_BYTES when events are large', () => {
    const { queue } = testQueue();
    const key = testDeviceKey();
    // Schema-valid events whose fields are at their limits and full of characters JSON
    // escapes twice (in the body, then in the batch): over 2 KiB each on the wire.
    queue.appendBatch(
      Array.from({ length: MAX_BATCH_EVENTS }, (_, i) => ({
        type: 'ipc.refused' as const,
        outcome: 'blocked' as const,
        appId: '"'.repeat(64),
        reason: '"'.repeat(195) + i,
        origin: `https://${'\\'.repeat(280)}.example`,
        recordedAt: new Date(1_800_000_000_000 + i).toISOString(),
      })),
    );
    const events = queue.unacknowledged(MAX_BATCH_EVENTS);
    const batch = prepareBatch(events, deviceIdOf(key.publicKeyPem), key.privateKey);
    expect(Buffer.byteLength(batch.body)).toBeLessThanOrEqual(MAX_BODY_BYTES);
    // The byte limit really bit: all the events would not fit, a later batch carries the rest.
    const all = events.reduce((n, e) => n + Buffer.byteLength(JSON.stringify({ seq: e.seq, body: e.body, link: e.link.toString('hex') })), 0);
    expect(all).toBeGreaterThan(MAX_BODY_BYTES);
    expect(batch.count).toBeLessThan(MAX_BATCH_EVENTS);
    expect(batch.lastSeq).toBe(batch.count);
    expect(eventBatchSchema.safeParse(JSON.parse(batch.body)).success).toBe(true);
    queue.close();
  });

  it('refuses to build an empty batch', () => {
    const key = testDeviceKey();
    expect(() => prepareBatch([], deviceIdOf(key.publicKeyPem), key.privateKey)).toThrow(/at least one event/);
  });
});
