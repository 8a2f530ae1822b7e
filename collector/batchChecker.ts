// Where a signed batch request's body is checked (readBatch and decideBatch: JSON, schemas,
// canonical form, hash chain, checkpoint signature — about 5 ms per 1000 events). While one
// device is sending, inline on the main thread: the shortest wait for its batch. While
// several are, a request's first check runs on a worker thread, beside the main thread's HTTP
// and storage instead of in turn with them. (Requests cannot be counted in progress instead:
// with SQLite a batch is handled from body to answer without yielding, so the main thread
// never sees a second one until it first hands work off.) The decision is the same either
// way, and a thread that stops or does not answer costs only time: its batches are checked
// inline, and threads rest for a while.
import type { KeyObject } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { decideBatch, readBatch, type BatchCheck, type BatchCheckContext, type ChainHead, type StoredEvent } from './ingestVerifier';

/** One signed batch request: its body and the device whose key signed it. */
export interface BatchRequest {
  body: Buffer;
  deviceId: string;
  publicKey: KeyObject;
  /** The same key, for a worker thread (parsed again there, once per device). */
  publicKeyPem: string;
}

/** The checks of one request against the device's head (more than one: stored events asked for, or the head moved). */
export interface RequestChecks {
  check(head: ChainHead, stored: StoredEvent[] | null): Promise<BatchCheck>;
}

export interface CheckJob {
  id: number;
  body: Uint8Array;
  deviceId: string;
  publicKeyPem: string;
  head: ChainHead;
}

export type CheckReply = { id: number; check: BatchCheck } | { id: number; error: string };

export interface ThreadCounts {
  batchesCheckedOnThreads: number;
  verifyThreadsStopped: number;
}

export interface BatchCheckerOptions {
  /** Threads started on first need; 0 checks every body inline. */
  workers: number;
  clock?: () => number;
  /** Told (the reason only) when a thread stopped or missed its deadline: threads then rest for THREAD_REST_MS. */
  onThreadStopped?: (why: string) => void;
  /** Counted here (the collector's /metrics): batches whose first check a thread answered, threads stopped. */
  counts?: ThreadCounts;
  /** For tests: another worker entry, and a shorter deadline. */
  workerUrl?: URL;
  deadlineMs?: number;
}

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
/** Jobs one thread holds at most (each a copy of a body): beyond, checks run inline. */
export const MAX_JOBS_PER_THREAD = 4;
/** A job unanswered this long means its thread is stuck: it is stopped. */
export const JOB_DEADLINE_MS = 10_000;
/** How long checks stay inline after a thread stopped (not a new thread for every request). */
export const THREAD_REST_MS = 60_000;

// The worker is TypeScript, loaded as the collector is: through tsx.
const TSX_LOADER = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

/** A thread that stopped or missed its deadline: the job is checked inline instead. */
class ThreadLost extends Error {}

interface Slot {
  worker: Worker;
  pending: Map<number, { resolve: (check: BatchCheck) => void; reject: (error: Error) => void; deadline: NodeJS.Timeout }>;
}

export class BatchChecker {
  private readonly slots: Slot[] = [];
  private nextId = 1;
  private lastDevice: string | null = null;
  private lastAt = -Infinity;
  /** When a batch from a device other than the last one was last checked. */
  private otherDeviceAt = -Infinity;
  private restUntil = -Infinity;
  private closed = false;
  private readonly clock: () => number;

  constructor(private readonly options: BatchCheckerOptions) {
    this.clock = options.clock ?? (() => performance.now());
  }

  /** Verification threads running now (started on first need, replaced when one stops). */
  get threads(): number {
    return this.slots.length;
  }

  /**
   * The checks of one request. Its first may run on a thread; any further one (stored events
   * asked for, a moved head: rare) runs inline on the batch read once.
   */
  forRequest(request: BatchRequest): RequestChecks {
    const now = this.clock();
    if (this.lastDevice !== request.deviceId) this.otherDeviceAt = this.lastAt;
    this.lastDevice = request.deviceId;
    this.lastAt = now;
    let slot = now - this.otherDeviceAt < SEVERAL_DEVICES_WINDOW_MS ? this.freeSlot(now) : null;
    let read: ReturnType<typeof readBatch> | null = null;
    return {
      check: async (head, stored) => {
        const onThread = slot;
        slot = null;
        if (onThread !== null && stored === null) {
          try {
            const answer = await this.onThread(onThread, request, head);
            if (this.options.counts !== undefined) this.options.counts.batchesCheckedOnThreads += 1;
            return answer;
          } catch (error) {
            if (!(error instanceof ThreadLost)) throw error;
          }
        }
        const context: BatchCheckContext = { deviceId: request.deviceId, publicKey: request.publicKey, head, stored: stored === null ? null : new Map(stored.map((event) => [event.seq, event])) };
        read ??= readBatch(request.body);
        return 'batch' in read ? decideBatch(read.batch, context) : read;
      },
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    const slots = this.slots.splice(0);
    await Promise.all(slots.map((slot) => slot.worker.terminate()));
  }

  /** An idle thread, else a new one while under the count, else the least busy with room; null when closed, resting or all full. */
  private freeSlot(now: number): Slot | null {
    if (this.closed || this.options.workers === 0 || now < this.restUntil) return null;
    const idle = this.slots.find((slot) => slot.pending.size === 0);
    if (idle !== undefined) return idle;
    if (this.slots.length < this.options.workers) {
      const started = this.startWorker();
      this.slots.push(started);
      return started;
    }
    const free = this.slots.filter((slot) => slot.pending.size < MAX_JOBS_PER_THREAD);
    return free.length === 0 ? null : free.reduce((best, slot) => (slot.pending.size < best.pending.size ? slot : best));
  }

  private onThread(slot: Slot, request: BatchRequest, head: ChainHead): Promise<BatchCheck> {
    const id = this.nextId++;
    // A small body may be a view into Node's shared buffer pool: post its own bytes only.
    const body = request.body.byteLength === request.body.buffer.byteLength ? request.body : new Uint8Array(request.body);
    return new Promise((resolve, reject) => {
      const deadline = setTimeout(() => this.stop(slot, `no answer within ${this.options.deadlineMs ?? JOB_DEADLINE_MS} ms`), this.options.deadlineMs ?? JOB_DEADLINE_MS);
      slot.pending.set(id, { resolve, reject, deadline });
      try {
        slot.worker.postMessage({ id, body, deviceId: request.deviceId, publicKeyPem: request.publicKeyPem, head } satisfies CheckJob);
      } catch (error) {
        clearTimeout(deadline);
        slot.pending.delete(id);
        reject(new ThreadLost(error instanceof Error ? error.message : String(error)));
      }
    });
  }

  private startWorker(): Slot {
    const worker = new Worker(this.options.workerUrl ?? new URL('./batchCheckWorker.ts', import.meta.url), { execArgv: ['--import', TSX_LOADER] });
    // Never what keeps the process alive: the server does that.
    worker.unref();
    const slot: Slot = { worker, pending: new Map() };
    worker.on('message', (reply: CheckReply) => {
      const job = slot.pending.get(reply.id);
      if (job === undefined) return;
      slot.pending.delete(reply.id);
      clearTimeout(job.deadline);
      if ('check' in reply) job.resolve(reply.check);
      else job.reject(new Error(reply.error));
    });
    worker.on('error', (error) => this.stop(slot, error.message));
    worker.on('messageerror', (error) => this.stop(slot, error.message));
    worker.on('exit', (code) => this.stop(slot, `exit code ${code}`));
    return slot;
  }

  /** Takes a thread out: its jobs are checked inline, and threads rest unless the checker is closing. */
  private stop(slot: Slot, why: string): void {
    const index = this.slots.indexOf(slot);
    if (index >= 0) this.slots.splice(index, 1);
    for (const job of slot.pending.values()) {
      clearTimeout(job.deadline);
      job.reject(new ThreadLost(why));
    }
    slot.pending.clear();
    if (index < 0 || this.closed) return;
    void slot.worker.terminate();
    this.restUntil = this.clock() + THREAD_REST_MS;
    if (this.options.counts !== undefined) this.options.counts.verifyThreadsStopped += 1;
    this.options.onThreadStopped?.(why);
  }
}
