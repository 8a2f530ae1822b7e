// A BatchChecker worker thread: runs checkBatchBody() on the request bodies posted to it and
// answers each job by its id. Runs under tsx, like the collector itself.
import type { KeyObject } from 'node:crypto';
import { parentPort } from 'node:worker_threads';
import type { CheckJob, CheckReply } from './batchChecker';
import { parseDevicePublicKey } from './deviceIdentity';
import { checkBatchBody } from './ingestVerifier';

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
    // Posted as a Buffer, received as its bytes: the same bytes, no copy.
    const body = Buffer.from(job.body.buffer, job.body.byteOffset, job.body.byteLength);
    const stored = job.stored === null ? null : new Map(job.stored.map((event) => [event.seq, event]));
    reply = { id: job.id, check: checkBatchBody(body, { deviceId: job.deviceId, publicKey: keyOf(job.publicKeyPem), head: job.head, stored }) };
  } catch (error) {
    reply = { id: job.id, error: error instanceof Error ? error.message : String(error) };
  }
  port.postMessage(reply);
});
