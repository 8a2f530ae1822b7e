// The audit queue against the real SQLCipher: files written by better-sqlite3-multiple-ciphers
// (SQLCipher 4 format) open with @journeyapps/sqlcipher (SQLCipher 4.14 community) and
// the same raw key, and refuse a wrong one.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sqlcipher from '@journeyapps/sqlcipher';
import Database from 'better-sqlite3-multiple-ciphers';
import { describe, expect, it } from 'vitest';
import type { AuditEvent } from '../../../common/audit/auditSink';
import { canonicalJson } from '../../../common/policy/canonicalJson';
import { AuditQueue, AuditQueueError, chainLink, GENESIS_LINK, migrate } from '../../../main/audit/auditQueue';
import { MIGRATIONS } from '../../../main/audit/migrations';

const queueFile = () => path.join(mkdtempSync(path.join(tmpdir(), 'cordon-queue-')), 'audit.db');
const event = (i: number): AuditEvent => ({ type: 'navigation.blocked', outcome: 'blocked', appId: 'ehr', origin: 'https://evil.example', reason: `r${i}`, recordedAt: new Date(1_800_000_000_000 + i).toISOString() });

/**
 * Runs a query through the reference SQLCipher 4 library. With `log`, SQLCipher's own
 * error lines, which it writes straight to the process's stderr, go to that file instead.
 */
function readWithSqlcipher(file: string, keyHex: string, sql: string, log?: string): Promise<unknown[]> {
  return new Promise((resolve, reject) => {
    const db = new sqlcipher.Database(file, (openError) => {
      if (openError) return reject(openError);
      db.serialize(() => {
        if (log !== undefined) db.run(`PRAGMA cipher_log = '${log}'`);
        db.run(`PRAGMA key = "x'${keyHex}'"`);
        db.all(sql, (error: Error | null, rows: unknown[]) => {
          // Back to stderr: this closes (and so flushes) the log file.
          if (log !== undefined) db.run('PRAGMA cipher_log = stderr');
          db.close(() => (error ? reject(error) : resolve(rows)));
        });
      });
    });
  });
}

/** The queue file opened directly, as an attacker holding the key could, to tamper with it. */
function openRaw(file: string, key: Buffer): Database.Database {
  const raw = new Database(file);
  raw.pragma("cipher='sqlcipher'");
  raw.pragma('legacy=4');
  raw.pragma(`key="x'${key.toString('hex')}'"`);
  return raw;
}

function expectQueueError(run: () => unknown, code: string) {
  let caught: unknown;
  try {
    run();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(AuditQueueError);
  expect((caught as AuditQueueError).code).toBe(code);
}

describe('audit queue file', () => {
  it('is a real SQLCipher 4 file: the reference library opens it with the key and refuses a wrong one', async () => {
    const file = queueFile();
    const key = randomBytes(32);
    const queue = AuditQueue.open(file, key);
    queue.appendBatch([event(1), event(2), event(3)]);
    queue.close();
    const rows = (await readWithSqlcipher(file, key.toString('hex'), 'SELECT seq, body FROM events ORDER BY seq')) as { seq: number; body: string }[];
    expect(rows.map((r) => r.seq)).toEqual([1, 2, 3]);
    expect(JSON.parse(rows[0]?.body ?? '{}')).toMatchObject({ type: 'navigation.blocked', reason: 'r1' });
    const log = path.join(path.dirname(file), 'sqlcipher.log');
    await expect(readWithSqlcipher(file, randomBytes(32).toString('hex'), 'SELECT count(*) FROM events', log)).rejects.toThrow(/not a database|SQLITE_NOTADB/);
    // SQLCipher logs the refusal itself; kept out of the test output, and checked here.
    expect(readFileSync(log, 'utf8')).toContain('hmac check failed for pgno=1');
    // Nothing readable without the key.
    expect(readFileSync(file).includes(Buffer.from('navigation.blocked'))).toBe(false);
  });

  it('is created readable by its owner only', () => {
    const file = queueFile();
    AuditQueue.open(file, randomBytes(32)).close();
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('refuses a wrong key and a file that is not a queue with a clear error, and a short key outright', () => {
    const file = queueFile();
    AuditQueue.open(file, randomBytes(32)).close();
    expectQueueError(() => AuditQueue.open(file, randomBytes(32)), 'wrong-key');
    const junk = queueFile();
    writeFileSync(junk, randomBytes(8192));
    expectQueueError(() => AuditQueue.open(junk, randomBytes(32)), 'wrong-key');
    expectQueueError(() => AuditQueue.open(queueFile(), randomBytes(16)), 'wrong-key');
  });

  it('detects a damaged page of an encrypted file instead of reading garbage', () => {
    const file = queueFile();
    const key = randomBytes(32);
    const queue = AuditQueue.open(file, key);
    queue.appendBatch(Array.from({ length: 200 }, (_, i) => event(i)));
    queue.close();
    const bytes = readFileSync(file);
    bytes.fill(0x41, 4096 + 100, 4096 + 200); // inside the second page
    writeFileSync(file, bytes);
    let caught: unknown;
    try {
      const reopened = AuditQueue.open(file, key);
      reopened.verifyChain();
      reopened.unacknowledged(1000);
      reopened.close();
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(AuditQueueError);
    // SQLCipher's per-page HMAC catches the damage.
    expect((caught as AuditQueueError).code).toBe('corrupt');
  });
});

describe('hash chain', () => {
  it('links every event to the previous one and survives reopening', () => {
    const file = queueFile();
    const key = randomBytes(32);
    const queue = AuditQueue.open(file, key);
    const first = queue.append(event(1));
    expect(first.seq).toBe(1);
    expect(first.link.equals(chainLink(GENESIS_LINK, first.body))).toBe(true);
    queue.appendBatch([event(2), event(3)]);
    queue.close();
    const reopened = AuditQueue.open(file, key);
    expect(reopened.lastSeq).toBe(3);
    const fourth = reopened.append(event(4));
    expect(fourth.seq).toBe(4);
    expect(reopened.verifyChain()).toBeNull();
    expect(reopened.unacknowledged(10).map((e) => e.seq)).toEqual([1, 2, 3, 4]);
    reopened.close();
  });

  it('finds an edited event and a deleted one', () => {
    const file = queueFile();
    const key = randomBytes(32);
    const queue = AuditQueue.open(file, key);
    queue.appendBatch([event(1), event(2), event(3), event(4)]);
    queue.close();
    const raw = openRaw(file, key);
    raw.prepare("UPDATE events SET body = replace(body, 'r2', 'rX') WHERE seq = 2").run();
    raw.close();
    let reopened = AuditQueue.open(file, key);
    expect(reopened.verifyChain()).toBe(2);
    reopened.close();
    const raw2 = openRaw(file, key);
    raw2.prepare('DELETE FROM events WHERE seq IN (2)').run();
    raw2.close();
    reopened = AuditQueue.open(file, key);
    expect(reopened.verifyChain()).toBe(2);
    reopened.close();
  });
});

describe('migrations (one test each)', () => {
  const fresh = () => new Database(':memory:');

  it('001 creates the events table with its chain-link check', () => {
    const db = fresh();
    migrate(db, MIGRATIONS.slice(0, 1));
    expect(db.pragma('user_version', { simple: true })).toBe(1);
    db.prepare('INSERT INTO events (seq, body, link) VALUES (1, ?, ?)').run('{}', Buffer.alloc(32));
    expect(() => db.prepare('INSERT INTO events (seq, body, link) VALUES (2, ?, ?)').run('{}', Buffer.alloc(31))).toThrow(/CHECK/);
  });

  it('002 adds signed checkpoints on top of 001, and re-running changes nothing', () => {
    const db = fresh();
    migrate(db, MIGRATIONS.slice(0, 1));
    expect(migrate(db, MIGRATIONS.slice(0, 2))).toBe(2);
    db.prepare('INSERT INTO checkpoints (seq, link, signature, created_at) VALUES (1, ?, ?, 0)').run(Buffer.alloc(32), Buffer.alloc(64));
    expect(migrate(db, MIGRATIONS.slice(0, 2))).toBe(2);
    expect(db.prepare('SELECT count(*) AS n FROM checkpoints').get()).toEqual({ n: 1 });
  });

  it('003 adds a single-row chain anchor, keeping data from 001 and 002', () => {
    const db = fresh();
    migrate(db, MIGRATIONS.slice(0, 2));
    db.prepare('INSERT INTO events (seq, body, link) VALUES (1, ?, ?)').run('{}', Buffer.alloc(32));
    expect(migrate(db, MIGRATIONS.slice(0, 3))).toBe(3);
    expect(db.prepare('SELECT count(*) AS n FROM events').get()).toEqual({ n: 1 });
    db.prepare('INSERT INTO chain_anchor (id, seq, link) VALUES (1, 0, ?)').run(Buffer.alloc(32));
    expect(() => db.prepare('INSERT INTO chain_anchor (id, seq, link) VALUES (2, 0, ?)').run(Buffer.alloc(32))).toThrow(/CHECK/);
  });

  it('004 adds a single-row enrollment record, keeping the chain from 001-003', () => {
    const db = fresh();
    migrate(db, MIGRATIONS.slice(0, 3));
    db.prepare('INSERT INTO events (seq, body, link) VALUES (1, ?, ?)').run('{}', Buffer.alloc(32));
    expect(migrate(db, MIGRATIONS.slice(0, 4))).toBe(4);
    expect(db.prepare('SELECT count(*) AS n FROM events').get()).toEqual({ n: 1 });
    db.prepare("INSERT INTO enrollment (id, device_id, collector_url, enrolled_at) VALUES (1, ?, 'https://c.example', 0)").run('a'.repeat(32));
    expect(() => db.prepare("INSERT INTO enrollment (id, device_id, collector_url, enrolled_at) VALUES (2, ?, 'https://c.example', 0)").run('a'.repeat(32))).toThrow(/CHECK/);
    expect(() => db.prepare("UPDATE enrollment SET device_id = 'short' WHERE id = 1").run()).toThrow(/CHECK/);
  });
});

describe('migration 007: acknowledgements as rows', () => {
  const day = 24 * 3600_000;

  /**
   * An encrypted queue file as the schema before 007 left it: events 1-2 delivered and
   * purged behind the anchor, 3 acknowledged on day 0, 4-5 on day 40, 6-7 on day 0 again
   * (the clock was set back), 8-10 not yet, with the statements that schema's queue ran.
   */
  function previousSchemaFile(key: Buffer): string {
    const file = queueFile();
    const raw = openRaw(file, key);
    raw.pragma('journal_mode=WAL');
    migrate(raw, MIGRATIONS.filter((m) => m.version <= 6));
    let link: Buffer = GENESIS_LINK;
    const links: Buffer[] = [];
    for (let seq = 1; seq <= 10; seq += 1) {
      const body = canonicalJson(event(seq));
      link = chainLink(link, body);
      links.push(link);
      raw.prepare('INSERT INTO events (seq, body, link) VALUES (?, ?, ?)').run(seq, body, link);
    }
    const acknowledge = raw.prepare('UPDATE events SET acked_at = ? WHERE seq <= ? AND acked_at IS NULL');
    acknowledge.run(0, 3);
    raw.prepare('DELETE FROM events WHERE seq <= 2').run();
    raw.prepare('INSERT INTO chain_anchor (id, seq, link) VALUES (1, 2, ?)').run(links[1]);
    acknowledge.run(40 * day, 5);
    acknowledge.run(0, 7);
    raw.close();
    return file;
  }

  it('upgrades a file the previous schema wrote: same delivered prefix, same times for purging, chain intact, readable by SQLCipher 4', async () => {
    const key = randomBytes(32);
    const file = previousSchemaFile(key);
    const queue = AuditQueue.open(file, key);
    expect(queue.acknowledgedSeq).toBe(7);
    expect(queue.unacknowledged(10).map((e) => e.seq)).toEqual([8, 9, 10]);
    expect(queue.unacknowledgedCount()).toBe(3);
    expect(queue.verifyChain()).toBeNull();
    // Day 50, 30 days' retention: event 3 (day 0) is old enough, 4-5 (day 40) are not, so 6-7 (day 0) stay too.
    expect(queue.purgeDelivered(30 * day, 50 * day)).toBe(1);
    expect(queue.purgeDelivered(30 * day, 71 * day)).toBe(4);
    expect(queue.unacknowledged(10).map((e) => e.seq)).toEqual([8, 9, 10]);
    expect(queue.append(event(11)).seq).toBe(11);
    expect(queue.verifyChain()).toBeNull();
    queue.close();
    const rows = (await readWithSqlcipher(file, key.toString('hex'), 'SELECT (SELECT user_version FROM pragma_user_version) AS version, (SELECT group_concat(name) FROM pragma_table_info(\'events\')) AS columns, (SELECT max(up_to_seq) FROM deliveries) AS delivered')) as unknown[];
    expect(rows).toEqual([{ version: MIGRATIONS.at(-1)?.version, columns: 'seq,body,link', delivered: 7 }]);
  });

  it('carries over only the acknowledged prefix of a file whose marks have a gap', () => {
    const key = randomBytes(32);
    const file = previousSchemaFile(key);
    const raw = openRaw(file, key);
    raw.prepare('UPDATE events SET acked_at = ? WHERE seq = 9').run(day);
    raw.close();
    const queue = AuditQueue.open(file, key);
    expect(queue.acknowledgedSeq).toBe(7);
    expect(queue.unacknowledged(10).map((e) => e.seq)).toEqual([8, 9, 10]);
    expect(queue.purgeDelivered(1, 1e12)).toBe(5);
    queue.close();
  });
});

describe('delivery state for the sync', () => {
  it('knows where the collector is believed to stand, and each link, across purges', () => {
    const queue = AuditQueue.open(queueFile(), randomBytes(32));
    expect(queue.acknowledgedSeq).toBe(0);
    expect(queue.linkAt(0)?.equals(GENESIS_LINK)).toBe(true);
    const events = queue.appendBatch([1, 2, 3, 4, 5].map(event));
    expect(queue.acknowledgedSeq).toBe(0);
    queue.acknowledge(3, 0);
    expect(queue.acknowledgedSeq).toBe(3);
    expect(queue.linkAt(4)?.equals(events[3]?.link ?? Buffer.alloc(0))).toBe(true);
    expect(queue.linkAt(6)).toBeNull();
    queue.purgeDelivered(1, 10);
    // Purged: the last purged link survives as the anchor, earlier ones are gone.
    expect(queue.linkAt(3)?.equals(events[2]?.link ?? Buffer.alloc(0))).toBe(true);
    expect(queue.linkAt(2)).toBeNull();
    queue.acknowledge(5, 20);
    expect(queue.acknowledgedSeq).toBe(5);
    queue.close();
  });

  it('reopens delivered events for a collector that lost them, unless they were purged', () => {
    const queue = AuditQueue.open(queueFile(), randomBytes(32));
    queue.appendBatch([1, 2, 3, 4, 5, 6].map(event));
    queue.acknowledge(6, 0);
    expect(queue.reopenAfter(4)).toBe(true);
    expect(queue.unacknowledged(10).map((e) => e.seq)).toEqual([5, 6]);
    queue.acknowledge(6, 0);
    queue.purgeDelivered(1, 10);
    queue.appendBatch([event(7)]);
    expect(queue.reopenAfter(2)).toBe(false);
    expect(queue.unacknowledged(10).map((e) => e.seq)).toEqual([7]);
    expect(queue.reopenAfter(6)).toBe(true);
    queue.close();
  });

  it('keeps the time of the acknowledgement a reopening cuts short, for purging', () => {
    const queue = AuditQueue.open(queueFile(), randomBytes(32));
    queue.appendBatch([1, 2, 3, 4, 5, 6].map(event));
    queue.acknowledge(2, 0);
    queue.acknowledge(6, 100);
    expect(queue.reopenAfter(4)).toBe(true);
    expect(queue.acknowledgedSeq).toBe(4);
    expect(queue.purgeDelivered(50, 120)).toBe(2); // 3-4 were acknowledged at 100, too recent
    expect(queue.purgeDelivered(50, 150)).toBe(2);
    expect(queue.unacknowledged(10).map((e) => e.seq)).toEqual([5, 6]);
    queue.close();
  });

  it('refuses to open a file that marks more events delivered than it holds', () => {
    const file = queueFile();
    const key = randomBytes(32);
    const queue = AuditQueue.open(file, key);
    queue.appendBatch([1, 2, 3].map(event));
    queue.close();
    const raw = openRaw(file, key);
    raw.prepare('INSERT INTO deliveries (up_to_seq, acked_at) VALUES (9, 0)').run();
    raw.close();
    expectQueueError(() => AuditQueue.open(file, key), 'corrupt');
  });

  it('keeps the enrollment encrypted with the events, replaces and forgets it', () => {
    const file = queueFile();
    const key = randomBytes(32);
    const queue = AuditQueue.open(file, key);
    expect(queue.enrollment()).toBeNull();
    queue.recordEnrollment({ deviceId: 'b'.repeat(32), collectorUrl: 'https://collector.sunrise.example', enrolledAt: 5 });
    queue.recordEnrollment({ deviceId: 'c'.repeat(32), collectorUrl: 'https://collector2.sunrise.example', enrolledAt: 6 });
    queue.close();
    expect(readFileSync(file).includes(Buffer.from('collector2.sunrise'))).toBe(false);
    const reopened = AuditQueue.open(file, key);
    expect(reopened.enrollment()).toEqual({ deviceId: 'c'.repeat(32), collectorUrl: 'https://collector2.sunrise.example', enrolledAt: 6 });
    reopened.forgetEnrollment();
    expect(reopened.enrollment()).toBeNull();
    reopened.close();
  });
});

describe('delivery and retention', () => {
  it('deletes only acknowledged events past retention, as a prefix, and the chain still verifies and continues', () => {
    const file = queueFile();
    const key = randomBytes(32);
    const queue = AuditQueue.open(file, key);
    queue.appendBatch([1, 2, 3, 4, 5].map(event));
    const day = 24 * 3600_000;
    expect(queue.acknowledge(3, 0)).toBe(3);
    expect(queue.unacknowledgedCount()).toBe(2);
    expect(queue.purgeDelivered(30 * day, 10 * day)).toBe(0); // retention not yet over
    expect(queue.purgeDelivered(30 * day, 31 * day)).toBe(3);
    expect(queue.unacknowledged(10).map((e) => e.seq)).toEqual([4, 5]);
    expect(queue.verifyChain()).toBeNull();
    queue.acknowledge(5, 40 * day);
    expect(queue.purgeDelivered(30 * day, 71 * day)).toBe(2);
    queue.close();
    // Everything delivered and purged: a reopened queue continues the chain, it does not restart it.
    const reopened = AuditQueue.open(file, key);
    expect(reopened.append(event(6)).seq).toBe(6);
    expect(reopened.verifyChain()).toBeNull();
    reopened.close();
  });

  it('never deletes an unacknowledged event, even long past retention', () => {
    const queue = AuditQueue.open(queueFile(), randomBytes(32));
    queue.appendBatch([1, 2, 3].map(event));
    queue.acknowledge(1, 0);
    expect(queue.purgeDelivered(1, 1e12)).toBe(1);
    expect(queue.unacknowledged(10).map((e) => e.seq)).toEqual([2, 3]);
    queue.close();
  });
});
