// Worker entry for DeviceSenderThread: sends the requests it was given over the device's
// own Node transport, one after the other, and answers with the milliseconds they took.
import { parentPort, workerData } from 'node:worker_threads';
import type { SyncRequest } from '../../main/audit/syncTransport';
import { NodeSyncTransport } from '../../main/audit/nodeSyncTransport';
import type { SenderCommand, SenderReply } from './deviceSenderThread';

const requests = (workerData as { requests: SyncRequest[] }).requests;
const transport = new NodeSyncTransport();
const port = parentPort;
if (port === null) throw new Error('deviceSenderWorker runs only as a worker thread');

port.on('message', (command: SenderCommand) => {
  if (command.kind === 'close') {
    transport.close();
    port.close();
    return;
  }
  void (async (): Promise<SenderReply> => {
    const started = performance.now();
    for (let i = command.from; i < command.to; i += 1) {
      const answer = await transport.send(requests[i] as SyncRequest);
      if (answer.status !== command.status) return { ok: false, message: `request ${i} was answered HTTP ${answer.status}, not ${command.status}: ${answer.body}` };
    }
    return { ok: true, ms: performance.now() - started };
  })().then(
    (reply) => port.postMessage(reply),
    (error: unknown) => port.postMessage({ ok: false, message: error instanceof Error ? error.message : String(error) } satisfies SenderReply),
  );
});
