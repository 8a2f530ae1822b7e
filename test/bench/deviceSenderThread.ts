// A device's side of a benchmark on its own thread, as a device is its own machine: the
// requests, built and signed before timing, are sent from a worker thread, so the bench's
// process spends its main thread on the collector only (encoding and writing a 330 KB body
// is the client's work, not the collector's).
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { SyncRequest } from '../../main/audit/syncTransport';

export type SenderCommand = { kind: 'send'; from: number; to: number; status: number } | { kind: 'close' };
export type SenderReply = { ok: true; ms: number } | { ok: false; message: string };

const root = path.resolve(import.meta.dirname, '../..');
const tsxLoader = pathToFileURL(path.join(root, 'node_modules/tsx/dist/loader.mjs')).href;

export class DeviceSenderThread {
  private readonly worker: Worker;

  constructor(requests: readonly SyncRequest[]) {
    this.worker = new Worker(path.join(import.meta.dirname, 'deviceSenderWorker.ts'), { workerData: { requests }, execArgv: ['--import', tsxLoader] });
  }

  /** Sends requests [from, to) in order; the milliseconds they took, each answered with `status`. */
  send(from: number, to: number, status: number): Promise<number> {
    return new Promise((resolve, reject) => {
      const failed = (error: Error) => reject(error);
      this.worker.once('error', failed);
      this.worker.once('message', (reply: SenderReply) => {
        this.worker.off('error', failed);
        if (reply.ok) resolve(reply.ms);
        else reject(new Error(reply.message));
      });
      this.worker.postMessage({ kind: 'send', from, to, status } satisfies SenderCommand);
    });
  }

  async close(): Promise<void> {
    const exited = new Promise((resolve) => this.worker.once('exit', resolve));
    this.worker.postMessage({ kind: 'close' } satisfies SenderCommand);
    await exited;
  }
}
