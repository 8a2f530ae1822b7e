// The device's side of the wire protocol (common/audit/syncProtocol.ts): addresses,
// device request signatures (fresh nonce and timestamp each time), and the collector's
// answers sorted into what the caller can act on. Knows nothing of the queue.
import { createHash, randomBytes, sign } from 'node:crypto';
import { z } from 'zod';
import {
  batchAckSchema,
  DEVICE_HEADERS,
  deviceStatusSchema,
  requestMessage,
  SYNC_PATHS,
  type BatchAck,
  type DeviceStatus,
  type EnrollmentRequest,
} from '../../common/audit/syncProtocol';
import type { DeviceKey } from './deviceKey';
import { TransportError, type SyncRequest, type SyncResponse, type SyncTransport } from './syncTransport';

/** What came back: a valid answer, an explicit refusal, or nothing usable (try again later). */
export type CollectorAnswer<T> =
  | { kind: 'ok'; value: T }
  | { kind: 'refused'; status: number; error: string | null; message: string; expectedSeq?: number }
  | { kind: 'unavailable'; message: string; retryAfterMs: number };

/** Statuses that mean "not now" rather than "no". */
const TRANSIENT_STATUSES = new Set([408, 425, 429]);

/** Whether a collector's HTTP status means "try again later" (overload, a rate limit) rather than a refusal. */
export function isTransientStatus(status: number): boolean {
  return status >= 500 || TRANSIENT_STATUSES.has(status);
}

export function retryAfterMs(header: string | null, now: number): number {
  if (header === null) return 0;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(header);
  return Number.isNaN(at) ? 0 : Math.max(0, at - now);
}

function parseJson(body: string): unknown {
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return undefined;
  }
}

/** The parts of a refusal the sync acts on; the protocol's own schema is stricter than a proxy's error page. */
function refusal(response: SyncResponse): Extract<CollectorAnswer<never>, { kind: 'refused' }> {
  const json = parseJson(response.body);
  const fields = typeof json === 'object' && json !== null ? (json as Record<string, unknown>) : {};
  const error = typeof fields.error === 'string' ? fields.error.slice(0, 64) : null;
  // The collector's message, bounded: it is shown to IT, never trusted as markup.
  const message = typeof fields.message === 'string' ? fields.message.slice(0, 300) : `HTTP ${response.status}`;
  const expectedSeq = typeof fields.expectedSeq === 'number' && Number.isSafeInteger(fields.expectedSeq) && fields.expectedSeq > 0 ? fields.expectedSeq : undefined;
  return { kind: 'refused', status: response.status, error, message, ...(expectedSeq === undefined ? {} : { expectedSeq }) };
}

/**
 * A batch's answer: the ack, and what the collector added about this device's access (judged
 * by the access watch, so a malformed one is refused there and never costs the ack), with
 * the nonce of the request it answers (the challenge such a statement must echo).
 */
const batchAnswerSchema = batchAckSchema.extend({ access: z.unknown().optional() }).strict();
export type BatchAnswer = BatchAck & { access?: unknown; requestNonce: string };

export interface CollectorClientOptions {
  collectorUrl: string;
  transport: SyncTransport;
  deviceKey: DeviceKey;
  deviceId: string;
  now?: () => Date;
}

export class CollectorClient {
  private readonly base: string;
  private readonly now: () => Date;

  constructor(private readonly options: CollectorClientOptions) {
    this.base = options.collectorUrl.replace(/\/+$/, '');
    this.now = options.now ?? (() => new Date());
  }

  get collectorUrl(): string {
    return this.options.collectorUrl;
  }

  get deviceId(): string {
    return this.options.deviceId;
  }

  /** Registers the device key; unsigned headers, the body carries the proof of possession. */
  enroll(request: EnrollmentRequest): Promise<CollectorAnswer<unknown>> {
    return this.exchange({ method: 'POST', url: this.base + SYNC_PATHS.enroll, headers: { 'content-type': 'application/json' }, body: JSON.stringify(request) }, null);
  }

  /** Sends one prepared batch body (eventBatch.ts). */
  async sendBatch(body: string): Promise<CollectorAnswer<BatchAnswer>> {
    const request = this.signed('POST', SYNC_PATHS.events, body);
    const answer = await this.exchange(request, batchAnswerSchema);
    return answer.kind === 'ok' ? { kind: 'ok', value: { ...answer.value, requestNonce: request.headers[DEVICE_HEADERS.nonce] as string } } : answer;
  }

  /** Where the collector's copy of this device's chain ends. */
  status(): Promise<CollectorAnswer<DeviceStatus>> {
    return this.exchange(this.signed('GET', SYNC_PATHS.status), deviceStatusSchema);
  }

  /** A device request: its signature covers method, path, timestamp, nonce and the body's hash. */
  signed(method: 'GET' | 'POST', path: string, body?: string): SyncRequest {
    const url = this.base + path;
    const timestamp = this.now().toISOString();
    const nonce = randomBytes(16).toString('base64url');
    const bodySha256 = createHash('sha256')
      .update(body ?? '')
      .digest('hex');
    // The path as the collector's HTTP server sees it (any prefix of the collector URL included).
    const message = requestMessage({ method, path: new URL(url).pathname, timestamp, nonce, bodySha256 });
    const headers: Record<string, string> = {
      [DEVICE_HEADERS.device]: this.options.deviceId,
      [DEVICE_HEADERS.timestamp]: timestamp,
      [DEVICE_HEADERS.nonce]: nonce,
      [DEVICE_HEADERS.signature]: sign(null, Buffer.from(message, 'utf8'), this.options.deviceKey.privateKey).toString('base64url'),
    };
    if (body !== undefined) headers['content-type'] = 'application/json';
    return { method, url, headers, ...(body === undefined ? {} : { body }) };
  }

  private async exchange<T>(request: SyncRequest, schema: z.ZodType<T> | null): Promise<CollectorAnswer<T>> {
    let response: SyncResponse;
    try {
      response = await this.options.transport.send(request);
    } catch (error) {
      if (error instanceof TransportError) return { kind: 'unavailable', message: error.message, retryAfterMs: 0 };
      throw error;
    }
    const wait = retryAfterMs(response.retryAfter, this.now().getTime());
    if (isTransientStatus(response.status)) return { kind: 'unavailable', message: `the collector answered HTTP ${response.status}`, retryAfterMs: wait };
    if (response.status >= 400) return refusal(response);
    if (response.status < 200 || response.status >= 300) return { kind: 'unavailable', message: `the collector answered HTTP ${response.status}`, retryAfterMs: wait };
    if (schema === null) return { kind: 'ok', value: parseJson(response.body) as T };
    const parsed = schema.safeParse(parseJson(response.body));
    // A 2xx that is not a collector answer (a captive portal, a misrouted proxy): nothing
    // was acknowledged, so trying again later is safe.
    if (!parsed.success) return { kind: 'unavailable', message: 'the collector URL answered with something that is not a collector answer', retryAfterMs: wait };
    return { kind: 'ok', value: parsed.data };
  }
}
