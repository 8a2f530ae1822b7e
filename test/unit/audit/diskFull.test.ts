// A full disk: the queue says `disk-full` (an AuditQueueError), the sink tells main to
// lock exactly once and keeps every later event in memory, and what was written stays
// intact. Two real SQLITE_FULL paths, named for what they are:
// - a real 256 KiB tmpfs (needs root to mount; skipped, and said so, otherwise);
// - SQLite's `PRAGMA max_page_count` on a real SQLCipher connection set up by the queue's
//   own code (AuditQueue.onDatabase), which runs everywhere.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditQueue, type AuditQueueError } from '../../../main/audit/auditQueue';
import { AuditSync } from '../../../main/audit/auditSync';
import { QueueAuditSink } from '../../../main/audit/queueAuditSink';
import { ManualClock, syncPolicy, testDeviceKey } from '../../support/auditSyncFixtures';
import { FakeCollector } from '../../support/fakeCollector';

/** Records events until the sink reports a failure; returns how many went in before it. */
function fillUntilFailure(sink: QueueAuditSink, failures: AuditQueueError[], limit = 100_000): number {
  let recorded = 0;
  while (failures.length === 0 && recorded < limit) {
    sink.record({ type: 'request.blocked', outcome: 'blocked', origin: 'https://cdn.evil.example', reason: `filler-${recorded}` });
    recorded += 1;
  }
  return recorded;
}

function expectLockedWithoutLoss(queue: AuditQueue, sink: QueueAuditSink, failures: AuditQueueError[], recorded: number) {
  expect(failures).toHaveLength(1);
  expect(failures[0]?.code).toBe('disk-full');
  expect(failures[0]?.message).toBe('the disk is full: Cordon cannot record audit events');
  expect(sink.failure).toBe(failures[0]);
  // Every event is either durably in the queue, with an intact chain, or kept in memory.
  sink.record({ type: 'navigation.blocked', outcome: 'blocked', origin: 'https://late.example' });
  expect(failures).toHaveLength(1);
  expect(queue.verifyChain()).toBeNull();
  expect(queue.lastSeq + sink.pending.length).toBe(recorded + 1);
  expect(sink.pending.at(-1)).toMatchObject({ type: 'navigation.blocked' });
  expect(queue.unacknowledged(100_000).map((e) => e.seq)).toEqual(Array.from({ length: queue.lastSeq }, (_, i) => i + 1));
}

describe('a full disk, real filesystem (tmpfs of 256 KiB)', () => {
  let mountPoint: string | null = null;
  let skipReason = '';
  beforeAll(() => {
    const dir = mkdtempSync(path.join(tmpdir(), 'cordon-fullfs-'));
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=256k,mode=0700', 'tmpfs', dir], { stdio: 'pipe' });
      mountPoint = dir;
    } catch (error) {
      skipReason = `cannot mount a small tmpfs here (${error instanceof Error ? error.message.split('\n')[0] : 'error'}); the max_page_count test below covers SQLITE_FULL`;
      rmSync(dir, { recursive: true, force: true });
    }
  });
  afterAll(() => {
    if (mountPoint === null) return;
    execFileSync('umount', [mountPoint]);
    rmSync(mountPoint, { recursive: true, force: true });
  });

  it('locks on disk-full when recording, drops nothing, and the sync reports a failed acknowledgement too', async (context) => {
    if (mountPoint === null) {
      console.log(`SKIPPED disk-full-tmpfs: ${skipReason}`);
      context.skip();
      return;
    }
    const queue = AuditQueue.open(path.join(mountPoint, 'queue.db'), randomBytes(32));
    const collector = new FakeCollector();
    const queueFailures: AuditQueueError[] = [];
    const sync = new AuditSync({ queue, deviceKey: testDeviceKey(), policy: syncPolicy('https://collector.sunrise.example'), transport: collector, audit: { record: () => undefined }, clock: new ManualClock(), onQueueFailure: (e) => queueFailures.push(e) });
    await sync.enrollWithCode('ABCD-EFGH-JKLM-NPQR');

    const failures: AuditQueueError[] = [];
    const sink = new QueueAuditSink((e) => failures.push(e));
    sink.attach(queue);
    const recorded = fillUntilFailure(sink, failures);
    expectLockedWithoutLoss(queue, sink, failures, recorded);

    // The collector stores the batch; marking it delivered needs disk space there is none of.
    const status = await sync.syncNow();
    expect(queueFailures.map((e) => e.code)).toEqual(['disk-full']);
    expect(status).toMatchObject({ state: 'stopped', problem: { code: 'queue-failed' } });
    expect(collector.stored.size).toBe(queue.lastSeq);
    // Still unacknowledged locally: nothing is purged, and re-sending later is harmless.
    expect(queue.unacknowledgedCount()).toBe(queue.lastSeq);
    queue.close();
  });
});

describe("a full disk, SQLite's page limit (PRAGMA max_page_count)", () => {
  it('locks on disk-full when recording, drops nothing, and leaves no half-written batch', () => {
    const db = new Database(path.join(mkdtempSync(path.join(tmpdir(), 'cordon-full-')), 'queue.db'));
    db.pragma("cipher='sqlcipher'");
    db.pragma('legacy=4');
    db.pragma(`key="x'${randomBytes(32).toString('hex')}'"`);
    const queue = AuditQueue.onDatabase(db);
    db.pragma(`max_page_count=${(db.pragma('page_count', { simple: true }) as number) + 8}`);
    const failures: AuditQueueError[] = [];
    const sink = new QueueAuditSink((e) => failures.push(e));
    sink.attach(queue);
    const recorded = fillUntilFailure(sink, failures);
    expect(recorded).toBeGreaterThan(10);
    expectLockedWithoutLoss(queue, sink, failures, recorded);
    // A batch that does not fit goes in whole or not at all.
    const before = queue.lastSeq;
    expect(() => queue.appendBatch(sink.pending)).toThrow(expect.objectContaining({ code: 'disk-full' }));
    expect(queue.lastSeq).toBe(before);
    expect(queue.unacknowledgedCount()).toBe(before);
    queue.close();
  });
});
