// Authenticates a device request (DEVICE_HEADERS): the enrolled key's signature over
// requestMessage(), a timestamp within REQUEST_CLOCK_SKEW_MS, a nonce never used before.
// Signature first, so that stale and replay alerts are only ever raised for requests the
// device really signed.
import { createHash, type KeyObject } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { DEVICE_HEADERS, deviceIdSchema, REQUEST_CLOCK_SKEW_MS, requestMessage, type BatchRefusal } from '../common/audit/syncProtocol';
import type { AlertDraft } from './alerts';
import type { CollectorStore, DeviceRecord } from './collectorStore';
import { parseDevicePublicKey, verifyDeviceSignature } from './deviceIdentity';

export interface DeviceRequestHeaders {
  deviceId: string;
  timestamp: string;
  nonce: string;
  signature: string;
}

export type DeviceAuthResult =
  | { ok: true; device: DeviceRecord; publicKey: KeyObject }
  | { ok: false; status: 400 | 401 | 409; refusal: BatchRefusal; alert: AlertDraft | null };

// The protocol leaves these formats open; these are what the collector accepts (the
// timestamp as decimal milliseconds since the epoch or ISO 8601 with an offset).
const NONCE = /^[A-Za-z0-9_-]{16,128}$/;
const SIGNATURE = /^[A-Za-z0-9_-]{1,200}$/;
const EPOCH_MS = /^\d{1,15}$/;
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

function single(headers: IncomingHttpHeaders, name: string): string | null {
  const value = headers[name];
  return typeof value === 'string' ? value : null;
}

/** The device headers, or what is wrong with them. */
export function readDeviceHeaders(headers: IncomingHttpHeaders): DeviceRequestHeaders | string {
  const deviceId = single(headers, DEVICE_HEADERS.device);
  const timestamp = single(headers, DEVICE_HEADERS.timestamp);
  const nonce = single(headers, DEVICE_HEADERS.nonce);
  const signature = single(headers, DEVICE_HEADERS.signature);
  if (deviceId === null || !deviceIdSchema.safeParse(deviceId).success) return `${DEVICE_HEADERS.device} must be the device id (32 lowercase hex digits)`;
  if (timestamp === null || requestTimeMs(timestamp) === null) return `${DEVICE_HEADERS.timestamp} must be milliseconds since the epoch or an ISO 8601 time`;
  if (nonce === null || !NONCE.test(nonce)) return `${DEVICE_HEADERS.nonce} must be 16 to 128 base64url characters`;
  if (signature === null || !SIGNATURE.test(signature)) return `${DEVICE_HEADERS.signature} must be a base64url signature`;
  return { deviceId, timestamp, nonce, signature };
}

/** Milliseconds since the epoch, or null for anything else. */
export function requestTimeMs(timestamp: string): number | null {
  if (EPOCH_MS.test(timestamp)) return Number(timestamp);
  if (!ISO_TIME.test(timestamp)) return null;
  const ms = Date.parse(timestamp);
  return Number.isNaN(ms) ? null : ms;
}

export function isWithinSkew(requestMs: number, now: number): boolean {
  return Math.abs(now - requestMs) <= REQUEST_CLOCK_SKEW_MS;
}

export interface DeviceRequest {
  method: string;
  /** The request target as sent (path and any query): what the device signed. */
  url: string;
  /** The route's own path, for messages: `url` is the sender's text and may carry anything. */
  route: string;
  headers: IncomingHttpHeaders;
  rawBody: Buffer;
}

export async function authenticateDeviceRequest(request: DeviceRequest, store: CollectorStore, now = Date.now()): Promise<DeviceAuthResult> {
  const headers = readDeviceHeaders(request.headers);
  if (typeof headers === 'string') return { ok: false, status: 401, refusal: { error: 'bad-signature', message: headers }, alert: null };
  const { deviceId } = headers;
  const fail = (status: 401 | 409, error: BatchRefusal['error'], message: string, kind: AlertDraft['kind'] = error as AlertDraft['kind']): DeviceAuthResult => ({
    ok: false,
    status,
    refusal: { error, message },
    alert: { kind, deviceId, seq: null, detail: message },
  });

  const device = await store.findDevice(deviceId);
  if (device === null) return fail(401, 'unknown-device', `device ${deviceId} is not enrolled`);
  const publicKey = parseDevicePublicKey(device.publicKeyPem);
  if (publicKey === null) throw new Error(`the stored key of device ${deviceId} is not an Ed25519 key`);
  const bodySha256 = createHash('sha256').update(request.rawBody).digest('hex');
  const message = requestMessage({ method: request.method, path: request.url, timestamp: headers.timestamp, nonce: headers.nonce, bodySha256 });
  if (!verifyDeviceSignature(publicKey, message, headers.signature)) return fail(401, 'bad-signature', `a ${request.method} ${request.route} request for device ${deviceId} is not signed by its key`);

  const requestMs = requestTimeMs(headers.timestamp) as number;
  if (!isWithinSkew(requestMs, now)) return fail(401, 'stale-request', `the request's timestamp is ${Math.round((now - requestMs) / 1000)} s from the collector's clock (allowed: ${REQUEST_CLOCK_SKEW_MS / 1000} s)`);
  // Kept until no request with this timestamp could pass the skew check any more.
  if (!(await store.useNonce(deviceId, headers.nonce, Math.max(requestMs, now) + REQUEST_CLOCK_SKEW_MS))) {
    return fail(409, 'replayed-request', `a ${request.method} ${request.route} request reused a nonce`, 'replay');
  }
  return { ok: true, device, publicKey };
}
