// Shared pieces for the audit sync tests: real encrypted queues and Ed25519 device keys,
// events, a controllable clock, and transport wrappers that count (or lose) real traffic.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { AuditEvent } from '../../common/audit/auditSink';
import type { Policy } from '../../common/policy/policySchema';
import { AuditQueue } from '../../main/audit/auditQueue';
import type { SyncClock } from '../../main/audit/auditSync';
import type { DeviceKey } from '../../main/audit/deviceKey';
import { TransportError, type SyncRequest, type SyncResponse, type SyncTransport } from '../../main/audit/syncTransport';

export function testDeviceKey(): DeviceKey {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return { privateKey, publicKeyPem: publicKey.export({ format: 'pem', type: 'spki' }).toString() };
}

/** A real encrypted queue in a fresh folder, re-openable with the same key (a device restart). */
export function testQueue(): { queue: AuditQueue; reopen(): AuditQueue; file: string } {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'cordon-sync-')), 'queue.db');
  const key = randomBytes(32);
  return { queue: AuditQueue.open(file, key), reopen: () => AuditQueue.open(file, key), file };
}

export const auditEvent = (i: number): AuditEvent => ({ type: 'request.blocked', outcome: 'blocked', appId: 'ehr', origin: 'https://cdn.evil.example', reason: `origin-not-approved-${i}`, recordedAt: new Date(1_800_000_000_000 + i).toISOString() });

export function appendEvents(queue: AuditQueue, count: number, from = queue.lastSeq + 1): void {
  for (let done = 0; done < count; done += 1000) queue.appendBatch(Array.from({ length: Math.min(1000, count - done) }, (_, i) => auditEvent(from + done + i)));
}

export function syncPolicy(collectorUrl: string, overrides: Partial<Policy['audit']> = {}): Policy['audit'] {
  return { collectorUrl, retentionDays: 30, queueSoftLimit: 50_000, queueHardLimit: 100_000, ...overrides };
}

/** A clock the test moves by hand; timers fire only from advance(). */
export class ManualClock implements SyncClock {
  private timers: { at: number; callback: () => void; cancelled: boolean }[] = [];
  constructor(public time = 1_800_000_000_000) {}
  now(): number {
    return this.time;
  }
  setTimer(callback: () => void, ms: number): { cancel(): void } {
    const timer = { at: this.time + ms, callback, cancelled: false };
    this.timers.push(timer);
    return { cancel: () => (timer.cancelled = true) };
  }
  /** Moves time forward, firing due timers in order. */
  advance(ms: number): void {
    const end = this.time + ms;
    for (;;) {
      const due = this.timers.filter((t) => !t.cancelled && t.at <= end).sort((a, b) => a.at - b.at)[0];
      if (due === undefined) break;
      this.timers = this.timers.filter((t) => t !== due);
      this.time = Math.max(this.time, due.at);
      due.callback();
    }
    this.time = end;
  }
  get pending(): number {
    return this.timers.filter((t) => !t.cancelled).length;
  }
}

/** Wraps a real transport: records each request, and can lose answers (the request still happened). */
export class RecordingTransport implements SyncTransport {
  readonly requests: SyncRequest[] = [];
  /** How many of the next answers to lose after the collector processed the request. */
  loseAnswers = 0;
  constructor(private readonly inner: SyncTransport) {}
  async send(request: SyncRequest): Promise<SyncResponse> {
    this.requests.push(request);
    const response = await this.inner.send(request);
    if (this.loseAnswers > 0) {
      this.loseAnswers -= 1;
      throw new TransportError('connection reset before the answer arrived (test)');
    }
    return response;
  }
  count(method: SyncRequest['method'], pathEnd: string): number {
    return this.requests.filter((r) => r.method === method && r.url.endsWith(pathEnd)).length;
  }
}

/** Polls `condition` until true; fails with `what` after `timeoutMs` (a bound, not an assertion on speed). */
export async function waitFor(what: string, condition: () => boolean | Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
