// Device enrollment: a device proves it holds the key it registers (signature over
// enrollmentMessage) and that someone entitled let it in: the VA's access token from the
// practice IdP, or a one-time code from IT. Re-enrolling an enrolled key is idempotent.
import { createHash, randomBytes } from 'node:crypto';
import { enrollmentMessage, GENESIS_LINK_HEX, type DeviceStatus, type EnrollmentRequest } from '../common/audit/syncProtocol';
import type { AccessTokenVerifier } from './accessTokenVerifier';
import { statusOf, type CollectorStore } from './collectorStore';
import { deviceIdOf, parseDevicePublicKey, verifyDeviceSignature } from './deviceIdentity';

export type EnrollmentError = 'invalid-key' | 'device-id-mismatch' | 'bad-signature' | 'device-id-taken' | 'code-refused' | 'token-refused' | 'token-enrollment-disabled' | 'issuer-unavailable';

export type EnrollmentOutcome =
  | { ok: true; status: DeviceStatus; newDevice: boolean }
  | { ok: false; httpStatus: 400 | 401 | 403 | 409 | 503; error: EnrollmentError; message: string };

// 32 symbols without I, O, 0, 1 (misread when typed from a screen); 256 % 32 == 0, so
// `byte % 32` is uniform. 16 symbols = 80 bits.
const CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

export function newEnrollmentCode(): string {
  const symbols = [...randomBytes(16)].map((byte) => CODE_ALPHABET[byte % 32]).join('');
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

const refused = (httpStatus: 400 | 401 | 403 | 409 | 503, error: EnrollmentError, message: string): EnrollmentOutcome => ({ ok: false, httpStatus, error, message });

/** Control characters have no place in a name IT reads, and PostgreSQL text cannot hold NUL. */
function hasControlCharacter(text: string): boolean {
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}

export async function enrollDevice(request: EnrollmentRequest, store: CollectorStore, verifyAccessToken: AccessTokenVerifier | null, now = Date.now()): Promise<EnrollmentOutcome> {
  const publicKey = parseDevicePublicKey(request.publicKeyPem);
  if (publicKey === null) return refused(400, 'invalid-key', 'publicKeyPem must be an Ed25519 public key (SPKI PEM)');
  if (deviceIdOf(publicKey) !== request.deviceId) return refused(400, 'device-id-mismatch', 'deviceId must be the first 32 hex digits of SHA-256 over the key\'s SPKI DER');
  if (!verifyDeviceSignature(publicKey, enrollmentMessage(request), request.signature)) return refused(401, 'bad-signature', 'the signature is not the device key\'s signature over the enrollment message');

  const existing = await store.findDevice(request.deviceId);
  if (existing !== null) {
    // Possession of the enrolled key is proof enough to learn where its chain stands; a
    // retry after a lost answer must not need a second (already used) code.
    const sameKey = parseDevicePublicKey(existing.publicKeyPem)?.equals(publicKey) === true;
    return sameKey ? { ok: true, status: statusOf(existing), newDevice: false } : refused(409, 'device-id-taken', 'another key is enrolled under this device id');
  }

  let enrolledBy: string | null = null;
  if (request.proof.kind === 'access-token') {
    if (verifyAccessToken === null) return refused(403, 'token-enrollment-disabled', 'this collector trusts no identity provider: enroll with a code from IT');
    const check = await verifyAccessToken(request.proof.token);
    if (!check.ok) return check.unavailable ? refused(503, 'issuer-unavailable', check.reason) : refused(403, 'token-refused', check.reason);
    if (hasControlCharacter(check.subject)) return refused(403, 'token-refused', 'the access token\'s subject contains control characters');
    enrolledBy = check.subject;
  }
  const result = await store.enrollDevice(
    { deviceId: request.deviceId, publicKeyPem: request.publicKeyPem, deviceName: request.deviceName, enrollmentMethod: request.proof.kind, enrolledBy, enrolledAt: now },
    GENESIS_LINK_HEX,
    request.proof.kind === 'enrollment-code' ? hashEnrollmentCode(request.proof.code) : null,
  );
  if (result === 'code-refused') return refused(403, 'code-refused', 'the enrollment code is unknown, already used or expired: ask IT for a new one');
  if (result === 'already-enrolled') return enrollDevice(request, store, verifyAccessToken, now);
  return { ok: true, status: { deviceId: request.deviceId, acknowledgedSeq: 0, acknowledgedLink: GENESIS_LINK_HEX }, newDevice: true };
}
