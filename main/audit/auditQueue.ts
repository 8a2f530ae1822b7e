// The local audit queue: an encrypted SQLCipher 4 file (better-sqlite3-multiple-ciphers
// in SQLCipher v4 format, raw 256-bit key), WAL with synchronous=FULL so an append is on
// disk when the call returns. Every event gets a sequence number and a hash-chain link:
// link(n) = SHA-256(link(n-1) || canonical JSON of event n), link(0) = 32 zero bytes.
import { hash } from 'node:crypto';
import { chmodSync, closeSync, existsSync, openSync } from 'node:fs';
import Database from 'better-sqlite3-multiple-ciphers';
import { canonicalJson } from '../../common/policy/canonicalJson';
import type { AuditEvent } from '../../common/audit/auditSink';
import { MIGRATIONS, type Migration } from './migrations';

export type AuditQueueErrorCode = 'no-keychain' | 'wrong-key' | 'corrupt' | 'disk-full' | 'io';

/** A failure the caller must treat as "lock Cordon": nothing may be silently dropped. */
export class AuditQueueError extends Error {
  constructor(
    readonly code: AuditQueueErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'AuditQueueError';
  }
}

export const GENESIS_LINK = Buffer.alloc(32);

/** Where each link's input (the previous link, then the body's UTF-8) is assembled, reused. */
let linkInput = Buffer.allocUnsafe(8192);

export function chainLink(previous: Uint8Array, body: string): Buffer {
  // One-shot hashing of one buffer: a hash object per event costs more than the hashing.
  const longest = previous.length + body.length * 3;
  if (linkInput.length < longest) linkInput = Buffer.allocUnsafe(longest);
  linkInput.set(previous, 0);
  const length = previous.length + linkInput.write(body, previous.length, 'utf8');
  return hash('sha256', linkInput.subarray(0, length), 'buffer');
}

/** Maps SQLite's errors to what Cordon must tell the VA and IT. */
export function classifyQueueError(error: unknown): AuditQueueError {
  if (error instanceof AuditQueueError) return error;
  const code = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : '';
  const message = error instanceof Error ? error.message : String(error);
  if (code === 'SQLITE_NOTADB') return new AuditQueueError('wrong-key', 'the audit queue cannot be decrypted with this device\'s key (wrong key, or not a Cordon queue)', { cause: error });
  if (code === 'SQLITE_CORRUPT') return new AuditQueueError('corrupt', `the audit queue file is damaged: ${message}`, { cause: error });
  if (code === 'SQLITE_FULL') return new AuditQueueError('disk-full', 'the disk is full: Cordon cannot record audit events', { cause: error });
  return new AuditQueueError('io', `the audit queue failed: ${message}`, { cause: error });
}

export interface QueuedEvent {
  seq: number;
  body: string;
  link: Buffer;
}

/** The collector this device enrolled with. */
export interface Enrollment {
  deviceId: string;
  collectorUrl: string;
  /** Epoch milliseconds. */
  enrolledAt: number;
}

/** Events per multi-row insert: one statement call per chunk costs less than one per event. */
const INSERT_CHUNK = 50;

/** The bound values of events `from` to `to` (exclusive), row after row. */
function rowValues(events: readonly QueuedEvent[], from: number, to: number): unknown[] {
  const values: unknown[] = [];
  for (let i = from; i < to; i += 1) {
    const event = events[i] as QueuedEvent;
    values.push(event.seq, event.body, event.link);
  }
  return values;
}

/** The statements every append or delivery round runs, prepared once per open queue. */
function prepareStatements(db: Database.Database) {
  return {
    insert: db.prepare<[unknown[]]>('INSERT INTO events (seq, body, link) VALUES (?, ?, ?)'),
    insertChunk: db.prepare<[unknown[]]>(`INSERT INTO events (seq, body, link) VALUES ${Array.from({ length: INSERT_CHUNK }, () => '(?, ?, ?)').join(', ')}`),
    acknowledge: db.prepare<[number, number]>('INSERT INTO deliveries (up_to_seq, acked_at) VALUES (?, ?)'),
    // Where the collector's copy ends: the last acknowledgement, or the purged prefix's end.
    delivered: db.prepare<[], { seq: number }>('SELECT max(coalesce((SELECT max(up_to_seq) FROM deliveries), 0), coalesce((SELECT seq FROM chain_anchor WHERE id = 1), 0)) AS seq'),
    eventsAfter: db.prepare<[number, number], QueuedEvent>('SELECT seq, body, link FROM events WHERE seq > ? ORDER BY seq LIMIT ?'),
    eventLink: db.prepare<[number], { link: Buffer }>('SELECT link FROM events WHERE seq = ?'),
    anchorLink: db.prepare<[number], { link: Buffer }>('SELECT link FROM chain_anchor WHERE id = 1 AND seq = ?'),
    enrollment: db.prepare<[], Enrollment>('SELECT device_id AS deviceId, collector_url AS collectorUrl, enrolled_at AS enrolledAt FROM enrollment WHERE id = 1'),
  };
}

export class AuditQueue {
  private readonly statements: ReturnType<typeof prepareStatements>;
  private head: { seq: number; link: Buffer };

  private constructor(private readonly db: Database.Database) {
    this.statements = prepareStatements(db);
    const last = db.prepare('SELECT seq, link FROM events ORDER BY seq DESC LIMIT 1').get() as { seq: number; link: Buffer } | undefined;
    const anchor = db.prepare('SELECT seq, link FROM chain_anchor WHERE id = 1').get() as { seq: number; link: Buffer } | undefined;
    // After everything was delivered and purged, the chain continues from the anchor.
    this.head = last ?? anchor ?? { seq: 0, link: GENESIS_LINK };
    // Acknowledgements are capped at the head when made: one beyond it means a damaged file.
    if (this.acknowledgedSeq > this.head.seq) throw new AuditQueueError('corrupt', `the audit queue file is damaged: events up to ${this.acknowledgedSeq} are marked delivered, but it holds only ${this.head.seq}`);
  }

  /**
   * Opens (or creates, 0600) the queue keyed with a raw 32-byte key. A wrong key or a
   * damaged file fails here, with an AuditQueueError, before anything is written.
   */
  static open(file: string, key: Buffer): AuditQueue {
    if (key.length !== 32) throw new AuditQueueError('wrong-key', 'the audit queue key must be 32 random bytes');
    if (!existsSync(file)) closeSync(openSync(file, 'a', 0o600));
    chmodSync(file, 0o600);
    let db: Database.Database | null = null;
    try {
      db = new Database(file);
      db.pragma("cipher='sqlcipher'");
      db.pragma('legacy=4');
      db.pragma(`key="x'${key.toString('hex')}'"`);
      // First read: fails with SQLITE_NOTADB on a wrong key.
      db.prepare('SELECT count(*) FROM sqlite_master').get();
      const queue = AuditQueue.onDatabase(db);
      for (const side of ['-wal', '-shm']) if (existsSync(file + side)) chmodSync(file + side, 0o600);
      return queue;
    } catch (error) {
      db?.close();
      throw classifyQueueError(error);
    }
  }

  /**
   * Sets up the queue on an already open database handle (durability settings,
   * migrations). Cordon opens its queue only through open(); the benchmark uses this on
   * a plain SQLite file to measure what encryption costs.
   */
  static onDatabase(db: Database.Database): AuditQueue {
    db.pragma('journal_mode=WAL');
    db.pragma('synchronous=FULL');
    db.pragma('secure_delete=ON');
    // SQLite's own default page cache (2 MiB), not this build's 16 MiB: the queue appends and
    // reads forward, so a bigger cache only holds more decrypted pages in the device's memory.
    db.pragma('cache_size=-2000');
    migrate(db, MIGRATIONS);
    return new AuditQueue(db);
  }

  get lastSeq(): number {
    return this.head.seq;
  }

  /** Appends one event; durable (fsynced) when this returns. */
  append(event: AuditEvent): QueuedEvent {
    const [queued] = this.appendBatch([event]);
    if (queued === undefined) throw new AuditQueueError('io', 'append produced nothing');
    return queued;
  }

  /** Appends events in one transaction: all of them, or (on failure) none. */
  appendBatch(events: readonly AuditEvent[]): QueuedEvent[] {
    try {
      const queued: QueuedEvent[] = [];
      let { seq, link } = this.head;
      for (const event of events) {
        const body = canonicalJson(event);
        seq += 1;
        link = chainLink(link, body);
        queued.push({ seq, body, link });
      }
      this.db.transaction(() => {
        let i = 0;
        for (; i + INSERT_CHUNK <= queued.length; i += INSERT_CHUNK) this.statements.insertChunk.run(rowValues(queued, i, i + INSERT_CHUNK));
        for (; i < queued.length; i += 1) this.statements.insert.run(rowValues(queued, i, i + 1));
      })();
      this.head = { seq, link };
      return queued;
    } catch (error) {
      throw classifyQueueError(error);
    }
  }

  /** Records a checkpoint of the current head, signed by the device key. */
  checkpoint(sign: (seq: number, link: Buffer) => Buffer, now = Date.now()): { seq: number; link: Buffer; signature: Buffer } {
    const { seq, link } = this.head;
    const signature = sign(seq, link);
    try {
      this.db.prepare('INSERT OR REPLACE INTO checkpoints (seq, link, signature, created_at) VALUES (?, ?, ?, ?)').run(seq, link, signature, now);
    } catch (error) {
      throw classifyQueueError(error);
    }
    return { seq, link, signature };
  }

  /**
   * Marks events up to `seq` as acknowledged by the collector; returns how many were not
   * yet. One row per acknowledgement, and its commit does not wait for the disk: a mark lost
   * in a power cut is set again from the collector's own view (the sync reconciles after
   * every start) and only keeps events longer before purging, while the next append's flush
   * makes it durable anyway. Appends always wait for the disk.
   */
  acknowledge(seq: number, now = Date.now()): number {
    try {
      const from = this.acknowledgedSeq;
      const to = Math.min(seq, this.head.seq);
      if (to <= from) return 0;
      this.db.pragma('synchronous=NORMAL');
      try {
        this.statements.acknowledge.run(to, now);
      } finally {
        this.db.pragma('synchronous=FULL');
      }
      return to - from;
    } catch (error) {
      throw classifyQueueError(error);
    }
  }

  /**
   * Deletes events the collector acknowledged at least `retentionMs` ago (secure_delete
   * overwrites them), oldest first and only as a prefix of the chain, and moves the chain
   * anchor to the last deleted event. Unacknowledged events are never deleted.
   */
  purgeDelivered(retentionMs: number, now = Date.now()): number {
    try {
      return this.db.transaction(() => {
        // An event's delivery time is that of the first acknowledgement covering it: the
        // acknowledgements before the first too recent one cover only events old enough.
        const limit = (this.db.prepare('SELECT coalesce(max(up_to_seq), 0) AS seq FROM deliveries WHERE up_to_seq < coalesce((SELECT min(up_to_seq) FROM deliveries WHERE acked_at > ?), 9007199254740991)').get(now - retentionMs) as { seq: number }).seq;
        const last = this.db.prepare('SELECT seq, link FROM events WHERE seq <= ? ORDER BY seq DESC LIMIT 1').get(limit) as { seq: number; link: Buffer } | undefined;
        if (last === undefined) return 0;
        const deleted = this.db.prepare('DELETE FROM events WHERE seq <= ?').run(last.seq).changes;
        this.db.prepare('INSERT INTO chain_anchor (id, seq, link) VALUES (1, ?, ?) ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, link = excluded.link').run(last.seq, last.link);
        // Acknowledgements inside the purged prefix say nothing any more (the anchor does).
        this.db.prepare('DELETE FROM deliveries WHERE up_to_seq < ?').run(last.seq);
        return deleted;
      })();
    } catch (error) {
      throw classifyQueueError(error);
    }
  }

  /** Where the collector's copy is believed to end (acknowledge() and purgeDelivered() only ever act on a prefix). */
  get acknowledgedSeq(): number {
    return this.read(() => this.statements.delivered.get() as { seq: number }).seq;
  }

  /** The chain link at `seq` (0 is the genesis), or null when it was purged or never written. */
  linkAt(seq: number): Buffer | null {
    if (seq === 0) return GENESIS_LINK;
    const row = this.read(() => this.statements.eventLink.get(seq) ?? this.statements.anchorLink.get(seq));
    return row?.link ?? null;
  }

  /**
   * Marks the events after `seq` as not acknowledged again, for a collector that lost
   * them. Returns false (and changes nothing) when some of them were already purged.
   */
  reopenAfter(seq: number): boolean {
    try {
      return this.db.transaction(() => {
        const anchor = this.db.prepare('SELECT seq FROM chain_anchor WHERE id = 1').get() as { seq: number } | undefined;
        if (anchor !== undefined && anchor.seq > seq) return false;
        // The acknowledgement that covered `seq` still does, up to `seq`, at its own time.
        const covering = this.db.prepare('SELECT acked_at AS ackedAt FROM deliveries WHERE up_to_seq > ? ORDER BY up_to_seq LIMIT 1').get(seq) as { ackedAt: number } | undefined;
        this.db.prepare('DELETE FROM deliveries WHERE up_to_seq > ?').run(seq);
        if (covering !== undefined && seq > 0) this.db.prepare('INSERT OR IGNORE INTO deliveries (up_to_seq, acked_at) VALUES (?, ?)').run(seq, covering.ackedAt);
        return true;
      })();
    } catch (error) {
      throw classifyQueueError(error);
    }
  }

  enrollment(): Enrollment | null {
    const row = this.read(() => this.statements.enrollment.get());
    return row ?? null;
  }

  recordEnrollment(enrollment: Enrollment): void {
    try {
      this.db
        .prepare('INSERT INTO enrollment (id, device_id, collector_url, enrolled_at) VALUES (1, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET device_id = excluded.device_id, collector_url = excluded.collector_url, enrolled_at = excluded.enrolled_at')
        .run(enrollment.deviceId, enrollment.collectorUrl, enrollment.enrolledAt);
    } catch (error) {
      throw classifyQueueError(error);
    }
  }

  /** The collector no longer knows this device: enroll again before sending. */
  forgetEnrollment(): void {
    try {
      this.db.prepare('DELETE FROM enrollment WHERE id = 1').run();
    } catch (error) {
      throw classifyQueueError(error);
    }
  }

  /** How many events still wait for the collector. */
  unacknowledgedCount(): number {
    // The file holds every event after the purged prefix, numbered without gaps (verifyChain
    // checks it): no need to count a backlog's rows, which would read and decrypt every page.
    return this.head.seq - this.acknowledgedSeq;
  }

  /** Events not yet acknowledged by the collector, oldest first (after sequence `after`). */
  unacknowledged(limit: number, after = 0): QueuedEvent[] {
    return this.read(() => this.statements.eventsAfter.all(Math.max(after, this.acknowledgedSeq), limit));
  }

  /** Re-derives every link from the stored bodies; returns the first broken sequence, or null. */
  verifyChain(): number | null {
    const anchor = this.db.prepare('SELECT seq, link FROM chain_anchor WHERE id = 1').get() as { seq: number; link: Buffer } | undefined;
    let previous: Buffer = anchor?.link ?? GENESIS_LINK;
    let expectedSeq = (anchor?.seq ?? 0) + 1;
    for (const row of this.db.prepare('SELECT seq, body, link FROM events ORDER BY seq').iterate() as Iterable<QueuedEvent>) {
      if (row.seq !== expectedSeq) return expectedSeq;
      const link = chainLink(previous, row.body);
      if (!link.equals(row.link)) return row.seq;
      previous = link;
      expectedSeq += 1;
    }
    return null;
  }

  close(): void {
    this.db.close();
  }

  /** A read whose failure (a closed or damaged file) comes back as an AuditQueueError. */
  private read<T>(query: () => T): T {
    try {
      return query();
    } catch (error) {
      throw classifyQueueError(error);
    }
  }
}

/** Applies every migration newer than the file's user_version, each in its own transaction. */
export function migrate(db: Database.Database, migrations: readonly Migration[]): number {
  const current = db.pragma('user_version', { simple: true }) as number;
  for (const migration of migrations) {
    if (migration.version <= current) continue;
    db.transaction(() => {
      db.exec(migration.sql);
      db.pragma(`user_version=${migration.version}`);
    })();
  }
  return db.pragma('user_version', { simple: true }) as number;
}
