// The acknowledgement mark's commit does not wait for the disk (AuditQueue.acknowledge):
// everything else the queue commits still does, also after an acknowledgement that failed.
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { describe, expect, it } from 'vitest';
import { AuditQueue, AuditQueueError } from '../../../main/audit/auditQueue';
import { auditEvent } from '../../support/auditSyncFixtures';

/** A real encrypted queue file, opened on a handle the test keeps to read the connection's setting. */
function keyedQueue(): { queue: AuditQueue; db: Database.Database } {
  const db = new Database(path.join(mkdtempSync(path.join(tmpdir(), 'cordon-ack-')), 'queue.db'));
  db.pragma("cipher='sqlcipher'");
  db.pragma('legacy=4');
  db.pragma(`key="x'${randomBytes(32).toString('hex')}'"`);
  return { queue: AuditQueue.onDatabase(db), db };
}

const FULL = 2;

describe('acknowledgement commits', () => {
  it('mark events delivered, and leave the connection committing durably', () => {
    const { queue, db } = keyedQueue();
    queue.appendBatch([auditEvent(1), auditEvent(2), auditEvent(3)]);
    expect(queue.acknowledge(2, 1_800_000_000_000)).toBe(2);
    expect(queue.unacknowledged(10).map((e) => e.seq)).toEqual([3]);
    expect(queue.acknowledgedSeq).toBe(2);
    expect(db.pragma('synchronous', { simple: true })).toBe(FULL);
    queue.append(auditEvent(4));
    expect(db.pragma('synchronous', { simple: true })).toBe(FULL);
    queue.close();
  });

  it('leave the connection committing durably after one that failed, and mark nothing', () => {
    const { queue, db } = keyedQueue();
    queue.appendBatch([auditEvent(1), auditEvent(2)]);
    db.exec("CREATE TRIGGER refuse_ack BEFORE INSERT ON deliveries BEGIN SELECT RAISE(ABORT, 'the disk said no'); END");
    let caught: unknown;
    try {
      queue.acknowledge(2);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(AuditQueueError);
    expect(db.pragma('synchronous', { simple: true })).toBe(FULL);
    expect(queue.unacknowledgedCount()).toBe(2);
    queue.close();
  });
});
