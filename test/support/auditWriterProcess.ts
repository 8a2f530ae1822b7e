// A separate process that appends audit events one at a time and prints "ACK <seq>"
// after each append has returned (i.e. is durable). The crash test kills it with SIGKILL.
import { AuditQueue } from '../../main/audit/auditQueue';

const [file, keyHex, batchArg] = process.argv.slice(2);
if (file === undefined || keyHex === undefined) throw new Error('usage: auditWriterProcess <file> <keyHex> [batch]');
const batch = Number(batchArg ?? '1');
const queue = AuditQueue.open(file, Buffer.from(keyHex, 'hex'));
for (let i = 0; ; i += 1) {
  const events = Array.from({ length: batch }, (_, j) => ({ type: 'request.blocked' as const, outcome: 'blocked' as const, origin: 'https://evil.example', reason: `n${i}-${j}`, recordedAt: new Date().toISOString() }));
  const queued = queue.appendBatch(events);
  process.stdout.write(`ACK ${queued.at(-1)?.seq ?? 0}\n`);
}
