// Decides whether a device's batch extends the collector's copy of its chain. Pure: the
// caller loads the stored head and the stored events the batch overlaps, and stores what
// this accepts. Every refusal carries the alert IT should see.
import type { KeyObject } from 'node:crypto';
import type { z } from 'zod';
import { firstChainBreak } from '../common/audit/hashChain';
import { auditEventBodySchema, checkpointMessage, eventBatchSchema, type BatchRefusal, type ChainedEvent, type EventBatch } from '../common/audit/syncProtocol';
import { canonicalJson } from '../common/policy/canonicalJson';
import type { AlertDraft, AlertKind } from './alerts';
import { sha256Link } from './chainDigest';
import { verifyDeviceSignature } from './deviceIdentity';
import { parseDeviceBody } from './deviceRequestBody';
import { describeIssues } from './validationMessage';

export interface ChainHead {
  seq: number;
  /** Hex. */
  link: string;
}

export interface StoredEvent {
  seq: number;
  body: string;
  link: string;
}

/** A head with the device's checkpoint signature over it, kept to prove the chain later. */
export interface SignedHead extends ChainHead {
  signature: string;
}

export type AuditEventFields = z.output<typeof auditEventBodySchema>;

/** An event the collector did not hold yet, with its body's fields as checked (for the session index and the rules). */
export interface VerifiedEvent extends ChainedEvent {
  fields: AuditEventFields;
}

export type IngestDecision =
  /** `head` is the batch's verified checkpoint when the batch added events, else the unchanged stored head. */
  | { accepted: true; newEvents: VerifiedEvent[]; head: ChainHead | SignedHead }
  | { accepted: false; status: 400 | 401 | 409 | 422; refusal: BatchRefusal; alert: AlertDraft };

export interface BatchContext {
  /** The device that signed the request. */
  deviceId: string;
  publicKey: KeyObject;
  /** The collector's acknowledged head for this device. */
  head: ChainHead;
  /** The stored events in overlapRange(), by sequence number. */
  stored: ReadonlyMap<number, StoredEvent>;
}

/**
 * The stored events verifyBatch() needs: those the batch re-sends (sequence numbers at or
 * below the head). Bounded by the batch's length, so a hostile batch cannot make the
 * collector read a device's whole history.
 */
export function overlapRange(batch: EventBatch, head: ChainHead): { from: number; to: number } | null {
  const first = batch.events[0]?.seq ?? 1;
  const to = Math.min(head.seq, first + batch.events.length - 1);
  return first <= to ? { from: first, to } : null;
}

/** The fields of `body` when it is an audit event in canonical form, or what is wrong with it. */
export function parseEventBody(body: string): { fields: AuditEventFields } | { problem: string } {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return { problem: 'is not JSON' };
  }
  const parsed = auditEventBodySchema.safeParse(value);
  if (!parsed.success) return { problem: `is not a Cordon audit event (${describeIssues(parsed.error, 'codes')})` };
  // The parsed value itself, not zod's copy: the same keys and strings, in the body's order,
  // which a canonical body already has sorted (less for canonicalJson to reorder).
  return canonicalJson(value) === body ? { fields: parsed.data } : { problem: 'is not in canonical JSON form' };
}

export function verifyBatch(batch: EventBatch, context: BatchContext): IngestDecision {
  const { head, deviceId } = context;
  const expectedSeq = head.seq + 1;
  const refuse = (kind: AlertKind, error: BatchRefusal['error'], status: 400 | 401 | 409 | 422, seq: number | null, detail: string): IngestDecision => ({
    accepted: false,
    status,
    refusal: { error, message: detail, ...(status === 409 ? { expectedSeq } : {}) },
    alert: { kind, deviceId, seq, detail },
  });

  if (batch.deviceId !== deviceId) return refuse('bad-signature', 'bad-signature', 401, null, `a batch for device ${batch.deviceId} was signed by device ${deviceId}`);

  // Sequence numbers: consecutive inside the batch, starting no later than the head + 1.
  for (let i = 1; i < batch.events.length; i += 1) {
    const previous = (batch.events[i - 1] as ChainedEvent).seq;
    const seq = (batch.events[i] as ChainedEvent).seq;
    if (seq === previous + 1) continue;
    // A skipped number that turns up later in the batch was moved, not removed.
    const movedLater = seq > previous && batch.events.some((e) => e.seq === previous + 1);
    if (seq <= previous || movedLater) return refuse('reorder', 'gap', 409, seq, `event ${seq} follows event ${previous}: sequence numbers must increase by one`);
    return refuse('deletion', 'gap', 409, previous + 1, `events ${previous + 1}..${seq - 1} are missing between events ${previous} and ${seq}`);
  }
  const events = batch.events;
  const first = (events[0] as ChainedEvent).seq;
  if (first > expectedSeq) return refuse('gap', 'gap', 409, expectedSeq, `the batch starts at event ${first} but the collector has events up to ${head.seq}: events ${expectedSeq}..${first - 1} never arrived`);

  // Events the collector already holds must come back byte for byte (an idempotent retry).
  for (const event of events) {
    if (event.seq > head.seq) break;
    const stored = context.stored.get(event.seq);
    if (stored === undefined) throw new Error(`the collector's store lacks acknowledged event ${event.seq} of device ${deviceId}`);
    if (stored.body === event.body && stored.link === event.link) continue;
    if (event.seq === 1) return refuse('truncation', 'chain-mismatch', 409, 1, `the chain restarted: event 1 differs from the acknowledged event 1 (events up to ${head.seq} were acknowledged)`);
    if (stored.link !== event.link) return refuse('fork', 'chain-mismatch', 409, event.seq, `acknowledged event ${event.seq} came back with a different chain link`);
    return refuse('edit', 'chain-mismatch', 409, event.seq, `acknowledged event ${event.seq} came back with different content under the same link`);
  }

  // New events must chain from the stored head and be valid canonical audit events.
  const added = events.filter((event) => event.seq > head.seq);
  // Sequence continuity was checked above, so the only break left is a wrong link.
  const broken = firstChainBreak(sha256Link, head, added);
  if (broken !== null) return refuse('edit', 'chain-mismatch', 409, broken.seq, `event ${broken.seq} does not match its chain link (content changed after it was chained, or the chain diverged)`);
  const newEvents: VerifiedEvent[] = [];
  for (const event of added) {
    const parsed = parseEventBody(event.body);
    if ('problem' in parsed) return refuse('invalid-event', 'invalid-body', 400, event.seq, `event ${event.seq} ${parsed.problem}`);
    newEvents.push({ ...event, fields: parsed.fields });
  }

  const last = events[events.length - 1] as ChainedEvent;
  const { checkpoint } = batch;
  if (checkpoint.seq !== last.seq || checkpoint.link !== last.link) return refuse('bad-checkpoint', 'bad-checkpoint', 422, last.seq, `the checkpoint (event ${checkpoint.seq}) is not the batch's last event ${last.seq} and its link`);
  if (!verifyDeviceSignature(context.publicKey, checkpointMessage(checkpoint.seq, checkpoint.link), checkpoint.signature)) {
    return refuse('bad-checkpoint', 'bad-checkpoint', 422, last.seq, `the checkpoint at event ${last.seq} is not signed by the device key`);
  }
  return { accepted: true, newEvents, head: last.seq > head.seq ? { seq: checkpoint.seq, link: checkpoint.link, signature: checkpoint.signature } : head };
}

/** What a device's request body is, as far as the collector can tell without its store. */
export type BatchCheck =
  /** Not an event batch: `codes` (paths and rule codes only) for the stored alert. */
  | { kind: 'not-a-batch'; message: string; codes: string }
  /** The batch re-sends acknowledged events: read these stored ones and decide again with them. */
  | { kind: 'needs-stored'; range: { from: number; to: number } }
  | { kind: 'decided'; decision: IngestDecision };

export type BatchCheckContext = Omit<BatchContext, 'stored'> & {
  /** The events in overlapRange(), or null until the caller has read them (then 'needs-stored' says which). */
  stored: ReadonlyMap<number, StoredEvent> | null;
};

/** verifyBatch() once the stored events it needs are known; 'needs-stored' until then. */
export function decideBatch(batch: EventBatch, context: BatchCheckContext): Exclude<BatchCheck, { kind: 'not-a-batch' }> {
  const range = overlapRange(batch, context.head);
  if (range !== null && context.stored === null) return { kind: 'needs-stored', range };
  return { kind: 'decided', decision: verifyBatch(batch, { ...context, stored: context.stored ?? new Map() }) };
}

/** A signed request's body read as an event batch, or why it is not one. */
export function readBatch(body: unknown): { batch: EventBatch } | Extract<BatchCheck, { kind: 'not-a-batch' }> {
  const parsed = parseDeviceBody(body, eventBatchSchema);
  return parsed.ok ? { batch: parsed.value } : { kind: 'not-a-batch', message: parsed.message, codes: parsed.codes };
}
