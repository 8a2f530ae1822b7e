// A Cordon device as the sync protocol describes it, written independently of the
// collector's code: an Ed25519 key from node:crypto, the id derived from its SPKI, a local
// hash chain, signed requests and batches; plus plain HTTP helpers. No test framework
// here, so the benchmark can use it too.
import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import {
  checkpointMessage,
  DEVICE_HEADERS,
  enrollmentMessage,
  GENESIS_LINK_HEX,
  requestMessage,
  SYNC_PATHS,
  type ChainedEvent,
  type EnrollmentRequest,
} from '../../../common/audit/syncProtocol';
import { canonicalJson } from '../../../common/policy/canonicalJson';
import type { RunningCollector } from '../../../collector/collectorServer';

export interface Reply {
  status: number;
  json: Record<string, unknown>;
  text: string;
}

export async function send(url: string, init: RequestInit = {}): Promise<Reply> {
  const response = await fetch(url, init);
  const text = await response.text();
  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    // Not JSON (e.g. /metrics): tests read `text`.
  }
  return { status: response.status, json, text };
}

export function postJson(url: string, body: string, headers: Record<string, string> = {}): Promise<Reply> {
  return send(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
}

/** link(n) = SHA-256(link(n-1) || body(n)), written out here rather than imported from the collector. */
export function link(previousHex: string, body: string): string {
  return createHash('sha256').update(Buffer.from(previousHex, 'hex')).update(body, 'utf8').digest('hex');
}

let clock = Date.parse('2026-03-01T09:00:00.000Z');
export function auditBody(overrides: Record<string, unknown> = {}): string {
  clock += 1000;
  return canonicalJson({ type: 'request.blocked', outcome: 'blocked', appId: 'ehr', origin: 'https://cdn.example.org', reason: 'origin-not-approved', recordedAt: new Date(clock).toISOString(), ...overrides });
}

export interface SignOptions {
  timestamp?: string;
  nonce?: string;
  /** Sign with another key (a forger). */
  key?: KeyObject;
  deviceId?: string;
}

export interface BatchOptions {
  checkpoint?: { seq: number; link: string; signature?: string };
  deviceId?: string;
}

/** A device as the protocol describes it: Ed25519 key, id from its SPKI, a local hash chain. */
export class TestDevice {
  readonly privateKey: KeyObject;
  readonly publicKeyPem: string;
  readonly deviceId: string;
  readonly name: string;
  /** The device's whole chain, oldest first. */
  readonly chain: ChainedEvent[] = [];

  constructor(
    readonly url: string,
    name = 'Front desk laptop',
  ) {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    this.privateKey = privateKey;
    this.publicKeyPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
    this.deviceId = createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest('hex').slice(0, 32);
    this.name = name;
  }

  get head(): { seq: number; link: string } {
    const last = this.chain.at(-1);
    return last === undefined ? { seq: 0, link: GENESIS_LINK_HEX } : { seq: last.seq, link: last.link };
  }

  /** Appends `count` events to the local chain and returns them. */
  record(count: number, body: (i: number) => string = () => auditBody()): ChainedEvent[] {
    const added: ChainedEvent[] = [];
    for (let i = 0; i < count; i += 1) {
      const { seq, link: previous } = this.head;
      const text = body(i);
      const event = { seq: seq + 1, body: text, link: link(previous, text) };
      this.chain.push(event);
      added.push(event);
    }
    return added;
  }

  events(fromSeq: number, toSeq: number): ChainedEvent[] {
    return this.chain.filter((e) => e.seq >= fromSeq && e.seq <= toSeq);
  }

  signText(text: string, key: KeyObject = this.privateKey): string {
    return sign(null, Buffer.from(text, 'utf8'), key).toString('base64url');
  }

  enrollmentRequest(proof: EnrollmentRequest['proof'], overrides: Partial<EnrollmentRequest> = {}): EnrollmentRequest {
    const base = { deviceId: this.deviceId, publicKeyPem: this.publicKeyPem, deviceName: this.name, ...overrides };
    return { ...base, proof, signature: overrides.signature ?? this.signText(enrollmentMessage(base)) };
  }

  enroll(proof: EnrollmentRequest['proof'], overrides: Partial<EnrollmentRequest> = {}): Promise<Reply> {
    return postJson(this.url + SYNC_PATHS.enroll, JSON.stringify(this.enrollmentRequest(proof, overrides)));
  }

  async enrollWithCode(collector: RunningCollector): Promise<void> {
    const reply = await this.enroll({ kind: 'enrollment-code', code: await collector.issueEnrollmentCode() });
    if (reply.status !== 201) throw new Error(`enrollment failed: ${reply.text}`);
  }

  signedHeaders(method: string, requestPath: string, body: string, options: SignOptions = {}): Record<string, string> {
    const timestamp = options.timestamp ?? new Date().toISOString();
    const nonce = options.nonce ?? randomBytes(16).toString('base64url');
    const bodySha256 = createHash('sha256').update(body, 'utf8').digest('hex');
    return {
      [DEVICE_HEADERS.device]: options.deviceId ?? this.deviceId,
      [DEVICE_HEADERS.timestamp]: timestamp,
      [DEVICE_HEADERS.nonce]: nonce,
      [DEVICE_HEADERS.signature]: this.signText(requestMessage({ method, path: requestPath, timestamp, nonce, bodySha256 }), options.key),
    };
  }

  batchBody(events: ChainedEvent[], options: BatchOptions = {}): string {
    const last = events.at(-1) ?? { seq: 0, link: GENESIS_LINK_HEX };
    const checkpoint = options.checkpoint ?? { seq: last.seq, link: last.link };
    const signature = checkpoint.signature ?? this.signText(checkpointMessage(checkpoint.seq, checkpoint.link));
    return JSON.stringify({ deviceId: options.deviceId ?? this.deviceId, events, checkpoint: { seq: checkpoint.seq, link: checkpoint.link, signature } });
  }

  /** POSTs a raw body to /v1/events with valid (or `sign`-altered) device headers. */
  postEvents(body: string, sign: SignOptions = {}): Promise<Reply> {
    return postJson(this.url + SYNC_PATHS.events, body, this.signedHeaders('POST', SYNC_PATHS.events, body, sign));
  }

  sendBatch(events: ChainedEvent[], options: BatchOptions = {}, sign: SignOptions = {}): Promise<Reply> {
    return this.postEvents(this.batchBody(events, options), sign);
  }

  status(sign: SignOptions = {}): Promise<Reply> {
    return send(this.url + SYNC_PATHS.status, { headers: this.signedHeaders('GET', SYNC_PATHS.status, '', sign) });
  }
}
