// BENCH audit-append-batched: durable appends per second to the encrypted queue (SQLCipher
// 4, WAL, synchronous=FULL) in 1000-event batches, against the same queue code on a plain,
// unencrypted SQLite file with the same settings, alternated round by round (each side
// first in every other round). ratio = plain rate / encrypted rate.
// BENCH audit-append-single-p50 / -p99: the latency of one durable append (one event, its
// own transaction and flush) to the encrypted queue, against a bare durable write of the
// same bytes (the event's body and link, written at the next offset of a preallocated file
// on the same disk and fsynced), one of each in turn, 1000 each, after the queue has run
// long enough for its WAL to be checkpointed and reused (a device's steady state: a new
// WAL grows with every commit, and each growth costs the flush more). ratio = queue
// latency / bare write latency.
// NOTE audit-append split: where a batched append's time goes, per event, measured alone
// on this machine in the same run (see splitLine).
import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import type { AuditEvent } from '../../common/audit/auditSink';
import { canonicalJson } from '../../common/policy/canonicalJson';
import { AuditQueue, chainLink, GENESIS_LINK } from '../../main/audit/auditQueue';
import { percentile } from '../support/percentile';

const BATCH = 1000;
const BATCH_ROUNDS = 20;
const SINGLE_SAMPLES = 1000;

const event = (i: number): AuditEvent => ({ type: 'request.blocked', outcome: 'blocked', appId: 'ehr', origin: 'https://cdn.evil.example', reason: 'origin-not-approved', recordedAt: new Date(1_800_000_000_000 + i).toISOString() });
const batchOf = (offset: number) => Array.from({ length: BATCH }, (_, i) => event(offset + i));

/** The queue's own encrypted file (AuditQueue.open) and a plain one set up by the same code. */
function withQueues<T>(run: (encrypted: AuditQueue, plain: AuditQueue, dir: string) => T): T {
  const dir = mkdtempSync(path.join(tmpdir(), 'cordon-bench-'));
  const encrypted = AuditQueue.open(path.join(dir, 'encrypted.db'), randomBytes(32));
  const plain = AuditQueue.onDatabase(new Database(path.join(dir, 'plain.db')));
  try {
    return run(encrypted, plain, dir);
  } finally {
    encrypted.close();
    plain.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Events per second of 1000-event batches, the two queues alternated round by round. */
function batchedRates(): { encrypted: number; plain: number } {
  return withQueues((encrypted, plain) => {
    const ms = { encrypted: 0, plain: 0 };
    const sides = [['encrypted', encrypted] as const, ['plain', plain] as const];
    for (let round = 0; round < BATCH_ROUNDS; round += 1) {
      // Built before timing: the events are the caller's, the appends are what is measured.
      const events = batchOf(round * BATCH);
      for (const [name, queue] of round % 2 === 0 ? sides : [...sides].reverse()) {
        const started = performance.now();
        queue.appendBatch(events);
        ms[name] += performance.now() - started;
      }
    }
    const events = BATCH_ROUNDS * BATCH;
    return { encrypted: (events / ms.encrypted) * 1000, plain: (events / ms.plain) * 1000 };
  });
}

/** Milliseconds per single durable append, and per bare fsynced write of the same bytes, taken in turn. */
function singleLatencies(): { append: number[]; bare: number[] } {
  return withQueues((encrypted, _plain, dir) => {
    // A queue that has been running: its WAL checkpointed and reused, no longer growing.
    // The bare file likewise: written and flushed once before timing, then overwritten.
    for (let round = 0; round < 20; round += 1) encrypted.appendBatch(batchOf(round * BATCH));
    const file = openSync(path.join(dir, 'bare.log'), 'w');
    writeSync(file, Buffer.alloc(SINGLE_SAMPLES * 1024));
    fsyncSync(file);
    const samples = { append: [] as number[], bare: [] as number[] };
    let offset = 0;
    try {
      for (let i = 0; i < SINGLE_SAMPLES; i += 1) {
        const next = event(i);
        let started = performance.now();
        const queued = encrypted.append(next);
        samples.append.push(performance.now() - started);
        const bytes = Buffer.concat([Buffer.from(queued.body, 'utf8'), queued.link]);
        started = performance.now();
        writeSync(file, bytes, 0, bytes.length, offset);
        fsyncSync(file);
        samples.bare.push(performance.now() - started);
        offset += bytes.length;
      }
    } finally {
      closeSync(file);
    }
    return samples;
  });
}

/** Microseconds per event of `work` over one batch: the fastest of `rounds` (CPU work, least disturbed by other load). */
function fastest(rounds: number, work: (round: number) => void): number {
  let best = Number.POSITIVE_INFINITY;
  for (let round = 0; round < rounds; round += 1) {
    const started = performance.now();
    work(round);
    best = Math.min(best, ((performance.now() - started) * 1000) / BATCH);
  }
  return best;
}

/** A queue (the real code) on a plain or encrypted file, its commits flushed or not: the handle is the test's, to change that. */
function benchQueue(file: string, key: Buffer | null, synchronous: 'OFF' | 'FULL'): AuditQueue {
  const db = new Database(file);
  if (key !== null) {
    db.pragma("cipher='sqlcipher'");
    db.pragma('legacy=4');
    db.pragma(`key="x'${key.toString('hex')}'"`);
  }
  const queue = AuditQueue.onDatabase(db);
  db.pragma(`synchronous=${synchronous}`);
  return queue;
}

/**
 * Per event of a 1000-event encrypted append: canonical JSON and the chain hash (the fastest
 * of 20 rounds), then over 40 rounds, checkpoints included, each with the queue's own code,
 * the three queues taking turns (each first in every third round): the SQLite statements (a
 * plain queue whose commits are not flushed, less the two parts before), page encryption
 * (the same on an encrypted file, less the plain one: WAL frames and checkpoints), and the
 * WAL commit with its fsync (a plain queue flushing its commits, less the one that does
 * not). Measured apart, so they add up only roughly.
 */
function splitLine(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'cordon-bench-split-'));
  const queues = [benchQueue(path.join(dir, 'plain.db'), null, 'OFF'), benchQueue(path.join(dir, 'encrypted.db'), randomBytes(32), 'OFF'), benchQueue(path.join(dir, 'plain-flushed.db'), null, 'FULL')];
  try {
    const events = batchOf(0);
    const bodies = events.map((e) => canonicalJson(e));
    const canonical = fastest(20, () => events.forEach((e) => canonicalJson(e)));
    const hashing = fastest(20, () => bodies.reduce<Buffer>((previous, body) => chainLink(previous, body), GENESIS_LINK));
    const ms = [0, 0, 0];
    const ROUNDS = 40;
    for (let round = 0; round < ROUNDS; round += 1) {
      const batch = batchOf(round * BATCH);
      for (let turn = 0; turn < queues.length; turn += 1) {
        const which = (round + turn) % queues.length;
        const started = performance.now();
        queues[which]?.appendBatch(batch);
        ms[which] = (ms[which] ?? 0) + performance.now() - started;
      }
    }
    const [unflushed, encryptedUnflushed, flushed] = ms.map((total) => (total * 1000) / (ROUNDS * BATCH)) as [number, number, number];
    const us = (n: number) => `${Math.max(0, n).toFixed(2)} us`;
    return `NOTE audit-append split per event (1000-event batches): canonical JSON ${us(canonical)}, hashing ${us(hashing)}, SQLite statements ${us(unflushed - canonical - hashing)}, page encryption ${us(encryptedUnflushed - unflushed)}, WAL commit and fsync ${us(flushed - unflushed)}`;
  } finally {
    for (const queue of queues) queue.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const rateLine = (name: string, value: number, baseline: number) => `BENCH ${name} ${Math.round(value)} events/s baseline ${Math.round(baseline)} ratio ${(baseline / value).toFixed(2)}`;
const latencyLine = (name: string, value: number, baseline: number) => `BENCH ${name} ${value.toFixed(3)} ms baseline ${baseline.toFixed(3)} ms ratio ${(value / baseline).toFixed(2)}`;

export function benchAuditAppend(): string[] {
  const batched = batchedRates();
  const single = singleLatencies();
  return [
    rateLine('audit-append-batched', batched.encrypted, batched.plain),
    latencyLine('audit-append-single-p50', percentile(single.append, 50), percentile(single.bare, 50)),
    latencyLine('audit-append-single-p99', percentile(single.append, 99), percentile(single.bare, 99)),
    splitLine(),
  ];
}
