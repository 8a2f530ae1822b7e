// The wire protocol between a Cordon device and the practice's collector, defined once
// and imported by both sides. Pure: schemas, limits and the exact strings a signature
// covers. Hashing and signing happen in main/ and collector/ with Node's crypto.
//
// Chain: link(n) = SHA-256(link(n-1) || UTF-8 bytes of body(n)), link(0) = 32 zero
// bytes, body = canonical JSON of the event (common/policy/canonicalJson).
// Device id: hex SHA-256 of the device public key's SPKI DER, first 32 hex digits.
// Keys: Ed25519; signatures and links travel base64url (no padding) and hex respectively.
import { z } from 'zod';
import { AUDIT_EVENT_TYPES } from './auditCatalog';

export const SYNC_PROTOCOL_VERSION = 1;

/**
 * Largest batch a device sends and a collector accepts: both limits hold, so a device
 * cuts a batch by bytes as well as by count (1000 events of the longest body would not fit).
 */
export const MAX_BATCH_EVENTS = 1000;
export const MAX_BODY_BYTES = 2 * 1024 * 1024;
/** How far a request's timestamp may be from the collector's clock. */
export const REQUEST_CLOCK_SKEW_MS = 5 * 60 * 1000;

export const SYNC_PATHS = {
  enroll: '/v1/enroll',
  events: '/v1/events',
  status: '/v1/devices/self',
} as const;

/**
 * Headers that authenticate a device request (after enrollment): the device id, an ISO
 * 8601 timestamp, a fresh nonce (16–128 base64url characters) and the signature over
 * requestMessage(). The signed path is the request target as the collector receives it
 * (path and query): a proxy that rewrites paths breaks every signature, by design.
 */
export const DEVICE_HEADERS = {
  device: 'cordon-device',
  timestamp: 'cordon-timestamp',
  nonce: 'cordon-nonce',
  signature: 'cordon-signature',
} as const;

const hex32 = z.string().regex(/^[0-9a-f]{64}$/, 'must be 32 bytes of lowercase hex');
const base64url = z.string().regex(/^[A-Za-z0-9_-]+$/, 'must be base64url without padding').max(200);
export const deviceIdSchema = z.string().regex(/^[0-9a-f]{32}$/, 'must be 32 lowercase hex digits');

/**
 * One audit event as it sits in the chain. Actions, never content: an origin at most,
 * codes for reasons, the user's IdP subject (not their name) and a session code.
 */
export const auditEventBodySchema = z
  .object({
    type: z.enum(AUDIT_EVENT_TYPES as [string, ...string[]]),
    outcome: z.enum(['success', 'failure', 'blocked']),
    recordedAt: z.iso.datetime({ offset: true }),
    appId: z.string().max(64).optional(),
    origin: z.string().max(300).optional(),
    reason: z.string().max(200).optional(),
    /** The IdP subject of the signed-in user, when there is one. */
    subject: z.string().max(255).optional(),
    /** The short session code shown in the watermark. */
    session: z.string().max(32).optional(),
  })
  .strict();

export const chainedEventSchema = z
  .object({
    seq: z.number().int().positive(),
    /** Canonical JSON of the event: the exact bytes the chain link covers. */
    body: z.string().min(2).max(4096),
    link: hex32,
  })
  .strict();
export type ChainedEvent = z.infer<typeof chainedEventSchema>;

/** A device-signed statement that its chain had `link` at `seq`. */
export const checkpointSchema = z.object({ seq: z.number().int().nonnegative(), link: hex32, signature: base64url }).strict();
export type Checkpoint = z.infer<typeof checkpointSchema>;

export const eventBatchSchema = z
  .object({
    deviceId: deviceIdSchema,
    /** Consecutive events; the first follows the collector's acknowledged head. */
    events: z.array(chainedEventSchema).min(1).max(MAX_BATCH_EVENTS),
    /** Signed checkpoint of the batch's last event. */
    checkpoint: checkpointSchema,
  })
  .strict();
export type EventBatch = z.infer<typeof eventBatchSchema>;

/** The collector's answer: everything up to `acknowledgedSeq` is stored and verified. */
export const batchAckSchema = z.object({ acknowledgedSeq: z.number().int().nonnegative(), acknowledgedLink: hex32 }).strict();
export type BatchAck = z.infer<typeof batchAckSchema>;

/** Why a batch was refused; `expectedSeq` tells an honest device where to resume. */
export const batchRefusalSchema = z
  .object({
    error: z.enum(['gap', 'chain-mismatch', 'bad-checkpoint', 'invalid-body', 'unknown-device', 'bad-signature', 'stale-request', 'replayed-request', 'rate-limited', 'not-found', 'internal']),
    message: z.string(),
    expectedSeq: z.number().int().positive().optional(),
  })
  .strict();
export type BatchRefusal = z.infer<typeof batchRefusalSchema>;

export const enrollmentProofSchema = z.discriminatedUnion('kind', [
  /** The VA's access token for the collector's audience, from the practice's IdP. */
  z.object({ kind: z.literal('access-token'), token: z.string().min(10).max(8192) }).strict(),
  /** A one-time code IT issued from the collector, for IdPs that cannot mint such tokens. */
  z.object({ kind: z.literal('enrollment-code'), code: z.string().regex(/^[A-Z0-9]{4}(-[A-Z0-9]{4}){3}$/, 'must look like ABCD-EFGH-JKLM-NPQR') }).strict(),
]);

export const enrollmentRequestSchema = z
  .object({
    deviceId: deviceIdSchema,
    publicKeyPem: z.string().startsWith('-----BEGIN PUBLIC KEY-----').max(1024),
    deviceName: z
      .string()
      .trim()
      .min(1)
      .max(128)
      .regex(/^[^\p{Cc}]*$/u, 'must not contain control characters'),
    proof: enrollmentProofSchema,
    /** Proof of possession: the device key's signature over enrollmentMessage(). */
    signature: base64url,
  })
  .strict();
export type EnrollmentRequest = z.infer<typeof enrollmentRequestSchema>;

/** Where the collector's copy of this device's chain ends (0 and zero link when empty). */
export const deviceStatusSchema = z.object({ deviceId: deviceIdSchema, acknowledgedSeq: z.number().int().nonnegative(), acknowledgedLink: hex32 }).strict();
export type DeviceStatus = z.infer<typeof deviceStatusSchema>;

/** The bytes an enrollment's proof-of-possession signature covers. */
export function enrollmentMessage(request: Pick<EnrollmentRequest, 'deviceId' | 'publicKeyPem' | 'deviceName'>): string {
  return `cordon-enroll/${SYNC_PROTOCOL_VERSION}\n${request.deviceId}\n${request.deviceName}\n${request.publicKeyPem}`;
}

/** The bytes a device request's signature covers; `bodySha256` is hex of the raw body. */
export function requestMessage(parts: { method: string; path: string; timestamp: string; nonce: string; bodySha256: string }): string {
  return `cordon-request/${SYNC_PROTOCOL_VERSION}\n${parts.method.toUpperCase()}\n${parts.path}\n${parts.timestamp}\n${parts.nonce}\n${parts.bodySha256}`;
}

/** The bytes a checkpoint signature covers (the same statement the local queue signs). */
export function checkpointMessage(seq: number, linkHex: string): string {
  return `cordon-checkpoint/1:${seq}:${linkHex}`;
}

export const GENESIS_LINK_HEX = '0'.repeat(64);
