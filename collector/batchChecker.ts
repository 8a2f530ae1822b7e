// Where a signed batch request's body is checked (checkBatchBody: JSON, schemas, canonical
// form, hash chain, checkpoint signature — about 5 ms per 1000 events). While one device is
// sending, inline on the main thread: the shortest wait for its batch. While several are, on
// worker threads, so that verification runs beside the main thread's HTTP and storage instead
// of in turn with them. (Requests cannot be counted in progress instead: with SQLite a batch
// is handled from body to answer without yielding, so the main thread never sees a second
// one until it first hands work off.) The decision is the same function either way.
import type { KeyObject } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { checkBatchBody, type BatchCheck, type ChainHead, type StoredEvent } from './ingestVerifier';

/** A worker failed while checking: nothing was decided, the device should try again later. */
export class VerificationUnavailable extends Error {}

export interface CheckInput {
  body: Buffer;
  deviceId: string;
  publicKey: KeyObject;
  /** The same key, for a worker thread (KeyObjects are parsed again there, once per device). */
  publicKeyPem: string;
  head: ChainHead;
  /** The stored events a 'needs-stored' answer asked for, or null. */
  stored: StoredEvent[] | null;
}

export interface CheckJob {
  id: number;
  body: Uint8Array;
  deviceId: string;
  publicKeyPem: string;
  head: ChainHead;
  stored: StoredEvent[] | null;
}

export type CheckReply = { id: number; check: BatchCheck } | { id: number; error: string };

/**
 * With SQLite, whose statements and commits run on the main thread, one core for that thread
 * and the rest (at most 4) for verification. With PostgreSQL none: storage waits off the
 * main thread (busy 60-70% with four devices here), so threads added only copying, memory
 * and contention with the database (measured: fewer events/s and a longer p99 in the
 * scale-out run, 70 MB more per collector).
 */
export function defaultVerifyWorkers(storage: 'sqlite' | 'postgres'): number {
  return storage === 'sqlite' ? Math.max(0, Math.min(4, availableParallelism() - 1)) : 0;
}
/** Another device's batch checked this recently means several devices are sending. */
export const SEVERAL_DEVICES_WINDOW_MS = 100;

// The worker is TypeScript, loaded as the collector is: through tsx.
const TSX_LOADER = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

interface Slot {
  worker: Worker;
  pending: Map<number, { resolve: (check: BatchCheck) => void; reject: (error: Error) => void }>;
}

export class BatchChecker {
  private readonly slots: Slot[] = [];
  private nextId = 1;
  private lastDevice: string | null = null;
  private lastAt = -Infinity;
  /** When a batch from a device other than the last one was last checked. */
  private otherDeviceAt = -Infinity;

  /** `workers`: threads started on first need; 0 checks every body inline. */
  constructor(
    private readonly workers: number,
    private readonly clock: () => number = () => performance.now(),
  ) {}

  async check(input: CheckInput): Promise<BatchCheck> {
    const now = this.clock();
    if (this.lastDevice !== input.deviceId) this.otherDeviceAt = this.lastAt;
    this.lastDevice = input.deviceId;
    this.lastAt = now;
    if (this.workers === 0 || now - this.otherDeviceAt >= SEVERAL_DEVICES_WINDOW_MS) {
      const stored = input.stored === null ? null : new Map(input.stored.map((event) => [event.seq, event]));
      return checkBatchBody(input.body, { deviceId: input.deviceId, publicKey: input.publicKey, head: input.head, stored });
    }
    const slot = this.leastBusy();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      slot.pending.set(id, { resolve, reject });
      slot.worker.postMessage({ id, body: input.body, deviceId: input.deviceId, publicKeyPem: input.publicKeyPem, head: input.head, stored: input.stored } satisfies CheckJob);
    });
  }

  /** Verification threads running now (started on first need, replaced when one stops). */
  get threads(): number {
    return this.slots.length;
  }

  async close(): Promise<void> {
    const slots = this.slots.splice(0);
    await Promise.all(slots.map((slot) => slot.worker.terminate()));
  }

  private leastBusy(): Slot {
    if (this.slots.length < this.workers && this.slots.every((slot) => slot.pending.size > 0)) this.slots.push(this.startWorker());
    return this.slots.reduce((best, slot) => (slot.pending.size < best.pending.size ? slot : best));
  }

  private startWorker(): Slot {
    const worker = new Worker(new URL('./batchCheckWorker.ts', import.meta.url), { execArgv: ['--import', TSX_LOADER] });
    // Never what keeps the process alive: the server does that.
    worker.unref();
    const slot: Slot = { worker, pending: new Map() };
    worker.on('message', (reply: CheckReply) => {
      const job = slot.pending.get(reply.id);
      slot.pending.delete(reply.id);
      if ('check' in reply) job?.resolve(reply.check);
      else job?.reject(new Error(reply.error));
    });
    // A worker that died decided nothing: its jobs fail (503, try later) and it is replaced on next need.
    const lost = (why: string) => {
      const index = this.slots.indexOf(slot);
      if (index >= 0) this.slots.splice(index, 1);
      for (const job of slot.pending.values()) job.reject(new VerificationUnavailable(`a verification thread stopped (${why})`));
      slot.pending.clear();
    };
    worker.on('error', (error) => lost(error.message));
    worker.on('exit', (code) => lost(`exit code ${code}`));
    return slot;
  }
}
