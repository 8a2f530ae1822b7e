// Device enrollment: a device proves it holds the key it registers (signature over
// enrollmentMessage) and that someone entitled let it in: the VA's access token from the
// practice IdP, or a one-time code from IT. Re-enrolling an enrolled key with its proof
// (its own used code, or a valid token) is idempotent, also when copies race. A device or a
// VA whose access IT revoked (access/) is refused until IT reinstates it.
import { createHash, randomBytes, type KeyObject } from 'node:crypto';
import { enrollmentMessage, GENESIS_LINK_HEX, type DeviceStatus, type EnrollmentRequest } from '../common/audit/syncProtocol';
import { revocationInForce } from './access/accessStanding';
import type { AccessTokenVerifier } from './accessTokenVerifier';
import { statusOf, type CollectorStore, type DeviceRecord } from './collectorStore';
import { deviceIdOf, parseDevicePublicKey, verifyDeviceSignature } from './deviceIdentity';
import { ENROLLMENT_CODE_ALPHABET } from '../common/audit/enrollmentCode';

export type EnrollmentError = 'invalid-key' | 'invalid-name' | 'device-id-mismatch' | 'bad-signature' | 'device-id-taken' | 'code-refused' | 'token-refused' | 'token-enrollment-disabled' | 'issuer-unavailable' | 'device-revoked' | 'user-revoked';

export type EnrollmentOutcome =
  | { ok: true; status: DeviceStatus; newDevice: boolean }
  | { ok: false; httpStatus: 400 | 401 | 403 | 409 | 503; error: EnrollmentError; message: string };

// 32 symbols without I, O, 0, 1 (misread when typed from a screen); 256 % 32 == 0, so
// `byte % 32` is uniform. 16 symbols = 80 bits.
export function newEnrollmentCode(): string {
  const symbols = [...randomBytes(16)].map((byte) => ENROLLMENT_CODE_ALPHABET[byte % 32]).join('');
  return (symbols.match(/.{4}/g) as string[]).join('-');
}

export function hashEnrollmentCode(code: string): string {
  return createHash('sha256').update(code, 'utf8').digest('hex');
}

/** Creates a code IT hands to one device; only its hash is stored. */
export async function issueEnrollmentCode(store: CollectorStore, ttlMs: number, now = Date.now()): Promise<{ code: string; expiresAt: number }> {
  const code = newEnrollmentCode();
  await store.addEnrollmentCode(hashEnrollmentCode(code), now, now + ttlMs);
  return { code, expiresAt: now + ttlMs };
}

type Refusal = Extract<EnrollmentOutcome, { ok: false }>;
const refused = (httpStatus: Refusal['httpStatus'], error: EnrollmentError, message: string): Refusal => ({ ok: false, httpStatus, error, message });

/** Control characters have no place in a name IT reads, and PostgreSQL text cannot hold NUL. */
function hasControlCharacter(text: string): boolean {
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}

// Exactly one SPKI PEM block and nothing around it: anything after the block (a NUL, a
// second key) would be stored as-is, and PostgreSQL text refuses NUL outright.
const ONE_PUBLIC_KEY_PEM = /^-----BEGIN PUBLIC KEY-----\r?\n(?:[A-Za-z0-9+/=]{1,76}\r?\n){1,12}-----END PUBLIC KEY-----(?:\r?\n)?$/;
// Bidirectional overrides and isolates reorder what IT reads (a name shown reversed),
// line and paragraph separators break lists.
const MISLEADING_NAME_CHARACTERS = /[\p{Cc}\p{Bidi_Control}\u2028\u2029]/u;
/** OpenID Connect Core 1.0: `sub` must not exceed 255 ASCII characters. */
const MAX_SUBJECT_LENGTH = 255;

/** The IdP subject of a valid access token whose VA still has access at `now`, or why it is refused. */
async function tokenSubject(token: string, verifyAccessToken: AccessTokenVerifier | null, store: CollectorStore, now: number): Promise<{ ok: true; subject: string } | Refusal> {
  if (verifyAccessToken === null) return refused(403, 'token-enrollment-disabled', 'this collector trusts no identity provider: enroll with a code from IT');
  const check = await verifyAccessToken(token);
  if (!check.ok) return check.unavailable ? refused(503, 'issuer-unavailable', check.reason) : refused(403, 'token-refused', check.reason);
  if (hasControlCharacter(check.subject)) return refused(403, 'token-refused', 'the access token\'s subject contains control characters');
  if (check.subject.length > MAX_SUBJECT_LENGTH) return refused(403, 'token-refused', `the access token's subject is longer than ${MAX_SUBJECT_LENGTH} characters`);
  const ended = await revocationInForce(store.database, 'user', check.subject, now);
  if (ended !== null) return refused(403, 'user-revoked', `this VA's access ${ended.reason === 'revoked' ? 'was revoked' : 'ended on the date IT set'}: IT must reinstate it on the collector before they can enroll a device`);
  return { ok: true, subject: check.subject };
}

/**
 * An enrolled key asking again (a retry after a lost answer, or copies of one request
 * racing each other): answered with where its chain stands, but only when the request
 * still carries a valid proof, i.e. the code this same device used, or a valid token.
 */
async function reenroll(request: EnrollmentRequest, existing: DeviceRecord, publicKey: KeyObject, store: CollectorStore, verifyAccessToken: AccessTokenVerifier | null, now: number): Promise<EnrollmentOutcome> {
  if (parseDevicePublicKey(existing.publicKeyPem)?.equals(publicKey) !== true) return refused(409, 'device-id-taken', 'another key is enrolled under this device id');
  if (request.proof.kind === 'enrollment-code') {
    // Only until the code expires: a captured request must not tell its head forever.
    if ((await store.codeUsedBy(hashEnrollmentCode(request.proof.code), now)) !== existing.deviceId) return refused(403, 'code-refused', 'the enrollment code is unknown, already used or expired: ask IT for a new one');
  } else {
    const subject = await tokenSubject(request.proof.token, verifyAccessToken, store, now);
    if (!subject.ok) return subject;
  }
  return { ok: true, status: statusOf(existing), newDevice: false };
}

export async function enrollDevice(request: EnrollmentRequest, store: CollectorStore, verifyAccessToken: AccessTokenVerifier | null, now = Date.now()): Promise<EnrollmentOutcome> {
  if (!ONE_PUBLIC_KEY_PEM.test(request.publicKeyPem)) return refused(400, 'invalid-key', 'publicKeyPem must be exactly one SPKI PEM block (BEGIN PUBLIC KEY) with nothing after it');
  const publicKey = parseDevicePublicKey(request.publicKeyPem);
  if (publicKey === null) return refused(400, 'invalid-key', 'publicKeyPem must be an Ed25519 public key (SPKI PEM)');
  if (MISLEADING_NAME_CHARACTERS.test(request.deviceName)) return refused(400, 'invalid-name', 'deviceName must not contain control, bidirectional-override or line-separator characters');
  if (deviceIdOf(publicKey) !== request.deviceId) return refused(400, 'device-id-mismatch', 'deviceId must be the first 32 hex digits of SHA-256 over the key\'s SPKI DER');
  if (!verifyDeviceSignature(publicKey, enrollmentMessage(request), request.signature)) return refused(401, 'bad-signature', 'the signature is not the device key\'s signature over the enrollment message');
  // Before any proof is used: a revoked device's code or token must not be spent on a refusal.
  if ((await revocationInForce(store.database, 'device', request.deviceId, now)) !== null) return refused(403, 'device-revoked', "this device's access was revoked: IT must reinstate it on the collector before it can enroll again");

  const existing = await store.findDevice(request.deviceId);
  if (existing !== null) return reenroll(request, existing, publicKey, store, verifyAccessToken, now);

  let enrolledBy: string | null = null;
  if (request.proof.kind === 'access-token') {
    const subject = await tokenSubject(request.proof.token, verifyAccessToken, store, now);
    if (!subject.ok) return subject;
    enrolledBy = subject.subject;
  }
  const result = await store.enrollDevice(
    { deviceId: request.deviceId, publicKeyPem: request.publicKeyPem, deviceName: request.deviceName, enrollmentMethod: request.proof.kind, enrolledBy, enrolledAt: now },
    GENESIS_LINK_HEX,
    request.proof.kind === 'enrollment-code' ? hashEnrollmentCode(request.proof.code) : null,
  );
  if (result !== 'enrolled') {
    // A concurrent copy of this request (on this or another collector) may have used the
    // code and enrolled the key meanwhile: that is a retry, not a refusal.
    const raced = await store.findDevice(request.deviceId);
    if (raced !== null) return reenroll(request, raced, publicKey, store, verifyAccessToken, now);
    return refused(403, 'code-refused', 'the enrollment code is unknown, already used or expired: ask IT for a new one');
  }
  return { ok: true, status: { deviceId: request.deviceId, acknowledgedSeq: 0, acknowledgedLink: GENESIS_LINK_HEX }, newDevice: true };
}
