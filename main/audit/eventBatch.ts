// One POST /v1/events body: consecutive queued events, as many as the protocol's limits
// allow (MAX_BATCH_EVENTS, MAX_BODY_BYTES), and the device-signed checkpoint of the last.
// Serialized by hand from per-event JSON so each event is stringified once.
import type { KeyObject } from 'node:crypto';
import { MAX_BATCH_EVENTS, MAX_BODY_BYTES, type EventBatch } from '../../common/audit/syncProtocol';
import type { QueuedEvent } from './auditQueue';
import { signCheckpoint } from './deviceKey';

export interface PreparedBatch {
  body: string;
  firstSeq: number;
  lastSeq: number;
  count: number;
}

/** Room kept for the envelope: deviceId, the checkpoint and the punctuation around them. */
const ENVELOPE_BYTES = 1024;

export function prepareBatch(events: readonly QueuedEvent[], deviceId: string, privateKey: KeyObject): PreparedBatch {
  const parts: string[] = [];
  let bytes = ENVELOPE_BYTES;
  let last: QueuedEvent | undefined;
  // Events are sent as the queue holds them: if some were removed locally, the collector's
  // chain check is what detects and reports it.
  for (const event of events.slice(0, MAX_BATCH_EVENTS)) {
    const part = JSON.stringify({ seq: event.seq, body: event.body, link: event.link.toString('hex') } satisfies EventBatch['events'][number]);
    bytes += Buffer.byteLength(part) + 1;
    if (bytes > MAX_BODY_BYTES && last !== undefined) break;
    parts.push(part);
    last = event;
  }
  const first = events[0];
  if (first === undefined || last === undefined) throw new Error('a batch needs at least one event');
  const checkpoint: EventBatch['checkpoint'] = { seq: last.seq, link: last.link.toString('hex'), signature: signCheckpoint(privateKey, last.seq, last.link).toString('base64url') };
  const body = `{"deviceId":${JSON.stringify(deviceId)},"events":[${parts.join(',')}],"checkpoint":${JSON.stringify(checkpoint)}}`;
  return { body, firstSeq: first.seq, lastSeq: last.seq, count: parts.length };
}
