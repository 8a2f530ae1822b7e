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
  // The body's pieces, separators included, joined once at the end: a body built with + or
  // a template is a rope, and hashing it for the request signature and writing it to the
  // socket each walk a rope several times slower than the flat string a join makes.
  const pieces: string[] = [`{"deviceId":${JSON.stringify(deviceId)},"events":[`];
  let bytes = ENVELOPE_BYTES;
  let count = 0;
  let last: QueuedEvent | undefined;
  // Events are sent as the queue holds them: if some were removed locally, the collector's
  // chain check is what detects and reports it.
  for (const event of events.slice(0, MAX_BATCH_EVENTS)) {
    const part = JSON.stringify({ seq: event.seq, body: event.body, link: event.link.toString('hex') } satisfies EventBatch['events'][number]);
    bytes += Buffer.byteLength(part) + 1;
    if (bytes > MAX_BODY_BYTES && last !== undefined) break;
    if (last !== undefined) pieces.push(',');
    pieces.push(part);
    count += 1;
    last = event;
  }
  const first = events[0];
  if (first === undefined || last === undefined) throw new Error('a batch needs at least one event');
  const checkpoint: EventBatch['checkpoint'] = { seq: last.seq, link: last.link.toString('hex'), signature: signCheckpoint(privateKey, last.seq, last.link).toString('base64url') };
  pieces.push(`],"checkpoint":${JSON.stringify(checkpoint)}}`);
  return { body: pieces.join(''), firstSeq: first.seq, lastSeq: last.seq, count };
}
