// A BatchChecker worker thread: reads and decides the request bodies posted to it (a
// request's first check, with no stored events: any further one is the main thread's) and
// answers each job by its id. Runs under tsx, like the collector itself.
import type { KeyObject } from 'node:crypto';
import { parentPort } from 'node:worker_threads';
import type { CheckJob, CheckReply } from './batchChecker';
import { parseDevicePublicKey } from './deviceIdentity';
import { decideBatch, readBatch } from './ingestVerifier';

/** Parsed device keys by PEM: a device sends many batches. Bounded, as devices come and go. */
const keys = new Map<string, KeyObject>();
const MAX_KEYS = 4096;

function keyOf(pem: string): KeyObject {
  const known = keys.get(pem);
  if (known !== undefined) return known;
  const key = parseDevicePublicKey(pem);
  if (key === null) throw new Error('a stored device key is not an Ed25519 key');
  if (keys.size >= MAX_KEYS) keys.clear();
  keys.set(pem, key);
  return key;
}

const port = parentPort;
if (port === null) throw new Error('batchCheckWorker runs only as a worker thread');
port.on('message', (job: CheckJob) => {
  let reply: CheckReply;
  try {
    // Posted as a Buffer, received as its bytes: wrapped, not copied.
    const read = readBatch(Buffer.from(job.body.buffer, job.body.byteOffset, job.body.byteLength));
    reply = { id: job.id, check: 'batch' in read ? decideBatch(read.batch, { deviceId: job.deviceId, publicKey: keyOf(job.publicKeyPem), head: job.head, stored: null }) : read };
  } catch (error) {
    reply = { id: job.id, error: error instanceof Error ? error.message : String(error) };
  }
  port.postMessage(reply);
});
