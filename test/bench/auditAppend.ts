// BENCH audit-append-batched / audit-append-single: durable appends per second to the
// encrypted queue (SQLCipher 4, WAL, synchronous=FULL) against the same queue code on a
// plain, unencrypted SQLite file, measured alternately in the same run.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import type { AuditEvent } from '../../common/audit/auditSink';
import { AuditQueue } from '../../main/audit/auditQueue';

const event = (i: number): AuditEvent => ({ type: 'request.blocked', outcome: 'blocked', appId: 'ehr', origin: 'https://cdn.evil.example', reason: 'origin-not-approved', recordedAt: new Date(1_800_000_000_000 + i).toISOString() });

function withQueues<T>(run: (encrypted: AuditQueue, plain: AuditQueue) => T): T {
  const dir = mkdtempSync(path.join(tmpdir(), 'cordon-bench-'));
  const encrypted = AuditQueue.open(path.join(dir, 'encrypted.db'), randomBytes(32));
  const plain = AuditQueue.onDatabase(new Database(path.join(dir, 'plain.db')));
  try {
    return run(encrypted, plain);
  } finally {
    encrypted.close();
    plain.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Events per second over `rounds`, alternating the two queues so both see the same machine. */
function rates(encrypted: AuditQueue, plain: AuditQueue, rounds: number, perRound: (queue: AuditQueue, offset: number) => number): { encrypted: number; plain: number } {
  const totals = { encrypted: { events: 0, ms: 0 }, plain: { events: 0, ms: 0 } };
  for (let round = 0; round < rounds; round += 1) {
    for (const [name, queue] of [['encrypted', encrypted], ['plain', plain]] as const) {
      const started = performance.now();
      const events = perRound(queue, round * 1_000_000);
      totals[name].ms += performance.now() - started;
      totals[name].events += events;
    }
  }
  return { encrypted: (totals.encrypted.events / totals.encrypted.ms) * 1000, plain: (totals.plain.events / totals.plain.ms) * 1000 };
}

const line = (name: string, value: number, baseline: number) => `BENCH ${name} ${Math.round(value)} events/s baseline ${Math.round(baseline)} ratio ${(baseline / value).toFixed(2)}`;

export function benchAuditAppend(): string[] {
  const BATCH = 1000;
  const batched = withQueues((encrypted, plain) =>
    rates(encrypted, plain, 20, (queue, offset) => queue.appendBatch(Array.from({ length: BATCH }, (_, i) => event(offset + i))).length),
  );
  const single = withQueues((encrypted, plain) =>
    rates(encrypted, plain, 10, (queue, offset) => {
      for (let i = 0; i < 200; i += 1) queue.append(event(offset + i));
      return 200;
    }),
  );
  // ratio = how many times slower encryption makes it (baseline rate / encrypted rate).
  return [line('audit-append-batched', batched.encrypted, batched.plain), line('audit-append-single', single.encrypted, single.plain)];
}
