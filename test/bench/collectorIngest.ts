// BENCH collector-ingest-sqlite / collector-ingest-postgres: events per second the collector
// ingests with full verification — HTTP, zod validation of the batch and of every event
// body, device request signature, nonce, sequence, hash chain, canonical form, checkpoint
// signature, session index, and one all-or-nothing transaction (SQLite: WAL,
// synchronous=FULL; PostgreSQL: synchronous_commit on) — one 1000-event batch at a time,
// as a device sends them, over the device's own Node transport (keep-alive HTTP) from a
// worker thread (DeviceSenderThread: a device is another machine, and encoding and writing
// its 330 KB body is not the collector's work).
// Baseline, measured in the same run and alternated with it (each side first in every
// other round): the same rows (session columns included) stored in the same kind of
// storage with the collector's own insert, one transaction per 1000 rows, i.e. the storage
// floor with no protocol or verification. ratio = baseline rate / measured rate: how many
// times verification and HTTP slow ingest. Requests are built and signed, and baseline
// rows computed, before timing; collector and storage floor share this process's main
// thread. The events are a
// signed-in VA's (subject and session code), so the session index grows as in use.
// NOTE collector-ingest-<storage> split: where a batch's time goes (see splitLine).
// BENCH collector-ingest-<storage>-4-devices: see concurrentLines.
import { createPublicKey, type KeyObject } from 'node:crypto';
import type { Kysely } from 'kysely';
import { availableParallelism } from 'node:os';
import { performance } from 'node:perf_hooks';
import { sha256Link } from '../../collector/chainDigest';
import { startCollector, type RunningCollector } from '../../collector/collectorServer';
import { eventRows } from '../../collector/collectorStore';
import { indexBatch } from '../../collector/console/sessionIndex';
import { insertEvents, openDatabase, type CollectorDatabase, type EventsTable } from '../../collector/database';
import { parseDeviceBody } from '../../collector/deviceRequestBody';
import { parseEventBody, verifyBatch, type VerifiedEvent } from '../../collector/ingestVerifier';
import { firstChainBreak } from '../../common/audit/hashChain';
import { eventBatchSchema, GENESIS_LINK_HEX, SYNC_PATHS, type ChainedEvent } from '../../common/audit/syncProtocol';
import { STORAGES, type StorageUnderTest } from '../support/collectorStorages';
import { auditBody, TestDevice } from '../unit/collector/collectorTestDevice';
import { DeviceSenderThread } from './deviceSenderThread';

const BATCH = 1000;
const ROUNDS = 8;
const BATCHES_PER_ROUND = 5;
/** Batches each side takes before timing starts (JIT, statement caches, the first pages). */
const WARMUP = 2;

/** Each event as the verifier hands it on, with its body's fields. */
function verified(events: readonly ChainedEvent[]): VerifiedEvent[] {
  return events.map((event) => {
    const parsed = parseEventBody(event.body);
    if ('problem' in parsed) throw new Error(`bench event ${event.seq} ${parsed.problem}`);
    return { ...event, fields: parsed.fields };
  });
}

/**
 * Milliseconds per 1000-event batch of each part of a verified ingest, measured alone on the
 * timed batches after the run, one batch at a time through all parts: the request body read as JSON and checked by the batch
 * schema; verification (sequence, the hash chain, every event body as JSON, audit event
 * schema and canonical form, the checkpoint signature), with the chain and the bodies also
 * alone; the session index and rows; the storage floor (the baseline's time); HTTP (the
 * same bodies posted to the same route without device headers from the same sender thread,
 * the collector reading the whole body before it refuses the request, 401); and the rest of
 * the measured time: the request signature, nonce and device row, and the store's
 * statements beyond the floor's.
 */
function splitLine(name: string, run: { batches: ChainedEvent[][]; bodies: string[]; first: number; deviceId: string; publicKey: KeyObject }, ms: { measured: number; floor: number; http: number }): string {
  const parts = { parse: 0, verification: 0, chain: 0, bodies: 0, rows: 0 };
  const measure = <T>(part: keyof typeof parts, work: () => T): T => {
    const started = performance.now();
    const result = work();
    parts[part] += performance.now() - started;
    return result;
  };
  // One batch at a time, all parts in turn, nothing kept from one batch to the next.
  for (let i = run.first; i < run.batches.length; i += 1) {
    const raw = Buffer.from(run.bodies[i] ?? '');
    const last = run.batches[i - 1]?.at(-1);
    const head = last === undefined ? { seq: 0, link: GENESIS_LINK_HEX } : { seq: last.seq, link: last.link };
    const parsed = measure('parse', () => parseDeviceBody(raw, eventBatchSchema));
    if (!parsed.ok) throw new Error(`bench batch: ${parsed.message}`);
    const decision = measure('verification', () => verifyBatch(parsed.value, { deviceId: run.deviceId, publicKey: run.publicKey, head, stored: new Map() }));
    if (!decision.accepted) throw new Error(`bench batch refused: ${decision.refusal.message}`);
    measure('chain', () => firstChainBreak(sha256Link, head, parsed.value.events));
    measure('bodies', () => parsed.value.events.forEach((event) => parseEventBody(event.body)));
    measure('rows', () => eventRows(run.deviceId, decision.newEvents, indexBatch(decision.newEvents).events, 0));
  }
  const count = run.batches.length - run.first;
  const f = (total: number) => `${Math.max(0, total).toFixed(1)} ms`;
  const per = (part: keyof typeof parts) => f(parts[part] / count);
  const rest = ms.measured - ms.http - (parts.parse + parts.verification + parts.rows) / count - ms.floor;
  return `NOTE collector-ingest-${name} split per 1000-event batch: HTTP ${f(ms.http)}, body JSON and batch schema ${per('parse')}, verification ${per('verification')} (hash chain ${per('chain')}, event bodies ${per('bodies')}), session index and rows ${per('rows')}, storage floor ${f(ms.floor)}, the rest (request signature, nonce, device row, statements beyond the floor's) ${f(rest)}, of ${f(ms.measured)} measured`;
}

const CONCURRENT_DEVICES = 4;
const CONCURRENT_ROUNDS = 4;
const CONCURRENT_BATCHES_PER_ROUND = 3;

/** The device's row in the floor's database, as enrollment would have written it. */
function floorDevice(raw: Kysely<CollectorDatabase>, device: TestDevice) {
  return raw.insertInto('devices').values({ device_id: device.deviceId, public_key_pem: device.publicKeyPem, device_name: device.name, enrollment_method: 'enrollment-code', enrolled_by: null, enrolled_at: Date.now(), acknowledged_seq: 0, acknowledged_link: GENESIS_LINK_HEX, last_seen_at: null }).execute();
}

/**
 * BENCH collector-ingest-<storage>-4-devices: the same collector taking batches from
 * CONCURRENT_DEVICES devices at once, each one batch at a time from its own thread — a
 * collector's capacity, where several batches can be in progress (and verified on worker
 * threads, collector/batchChecker.ts). Baseline, alternated with it: the same rows stored by
 * as many concurrent writers with the collector's own insert, one transaction per batch. Also
 * how busy the collector's main thread was (100%: one process can go no faster here) and how
 * many cores this process used (all of them: the machine can go no faster).
 */
async function concurrentLines(name: string, collector: RunningCollector, raw: Kysely<CollectorDatabase>): Promise<string[]> {
  const senders: DeviceSenderThread[] = [];
  const devices: TestDevice[] = [];
  const rows: EventsTable[][][] = [];
  const batches = WARMUP + CONCURRENT_ROUNDS * CONCURRENT_BATCHES_PER_ROUND;
  try {
    for (let d = 0; d < CONCURRENT_DEVICES; d += 1) {
      const device = new TestDevice(collector.url);
      await device.enrollWithCode(collector);
      await floorDevice(raw, device);
      devices.push(device);
      const chains = Array.from({ length: batches }, () => device.record(BATCH, () => auditBody({ subject: `va-${d}`, session: `K7QH-3M${d}X` })));
      rows.push(chains.map((events) => eventRows(device.deviceId, events, indexBatch(verified(events)).events, Date.now())));
      senders.push(new DeviceSenderThread(chains.map((events) => device.batchBody(events)).map((body) => ({ method: 'POST' as const, url: collector.url + SYNC_PATHS.events, body, headers: { 'content-type': 'application/json', ...device.signedHeaders('POST', SYNC_PATHS.events, body) } }))));
    }
    const send = (from: number, to: number) => Promise.all(senders.map((sender) => sender.send(from, to, 200)));
    const insert = (from: number, to: number) =>
      Promise.all(rows.map(async (device) => {
        for (let i = from; i < to; i += 1) await raw.transaction().execute((trx) => insertEvents(trx, device[i] ?? []));
      }));
    await send(0, WARMUP);
    await insert(0, WARMUP);
    const ms = { measured: 0, baseline: 0 };
    let busy = 0;
    let cpuMicros = 0;
    for (let round = 0; round < CONCURRENT_ROUNDS; round += 1) {
      const from = WARMUP + round * CONCURRENT_BATCHES_PER_ROUND;
      const to = from + CONCURRENT_BATCHES_PER_ROUND;
      for (const side of round % 2 === 0 ? (['measured', 'baseline'] as const) : (['baseline', 'measured'] as const)) {
        const busyBefore = performance.eventLoopUtilization();
        const cpuBefore = process.cpuUsage();
        const started = performance.now();
        await (side === 'measured' ? send(from, to) : insert(from, to));
        ms[side] += performance.now() - started;
        if (side === 'measured') {
          busy += performance.eventLoopUtilization(busyBefore).active;
          const cpu = process.cpuUsage(cpuBefore);
          cpuMicros += cpu.user + cpu.system;
        }
      }
    }
    for (const device of devices) {
      const stored = await collector.deviceStatus(device.deviceId);
      if (stored?.acknowledgedSeq !== batches * BATCH) throw new Error(`the collector holds ${stored?.acknowledgedSeq ?? 'no'} events of a concurrent device, not ${batches * BATCH}`);
    }
    const events = CONCURRENT_DEVICES * CONCURRENT_ROUNDS * CONCURRENT_BATCHES_PER_ROUND * BATCH;
    const rate = { measured: (events / ms.measured) * 1000, baseline: (events / ms.baseline) * 1000 };
    return [
      `BENCH collector-ingest-${name}-${CONCURRENT_DEVICES}-devices ${Math.round(rate.measured)} events/s baseline ${Math.round(rate.baseline)} ratio ${(rate.baseline / rate.measured).toFixed(2)}`,
      `NOTE collector-ingest-${name}-${CONCURRENT_DEVICES}-devices: the collector's main thread was busy ${Math.round((busy / ms.measured) * 100)}% of the measured time; this process (collector, its verification threads and the devices' threads) used ${(cpuMicros / 1000 / ms.measured).toFixed(2)} of the machine's ${availableParallelism()} cores${name === 'postgres' ? ', PostgreSQL the rest' : ''}`,
    ];
  } finally {
    for (const sender of senders) await sender.close();
  }
}

async function benchOn(storage: StorageUnderTest): Promise<string[]> {
  const measured = await storage.create();
  const floor = await storage.create();
  const collector = await startCollector({ port: 0, storage: measured.storage, rateLimit: { max: 1_000_000, windowMs: 60_000 } });
  const raw = await openDatabase(floor.storage);
  let sender: DeviceSenderThread | null = null;
  try {
    const device = new TestDevice(collector.url);
    await device.enrollWithCode(collector);
    await floorDevice(raw, device);

    const batches = Array.from({ length: WARMUP + ROUNDS * BATCHES_PER_ROUND }, (_, b) => device.record(BATCH, () => auditBody({ subject: `va-${b % 3}`, session: `K7QH-2M${b % 3}X` })));
    const bodies = batches.map((events) => device.batchBody(events));
    const signed = bodies.map((body) => ({ method: 'POST' as const, url: collector.url + SYNC_PATHS.events, body, headers: { 'content-type': 'application/json', ...device.signedHeaders('POST', SYNC_PATHS.events, body) } }));
    // After the signed ones, the timed bodies again without device headers, for the HTTP share.
    const unsigned = bodies.slice(WARMUP).map((body) => ({ method: 'POST' as const, url: collector.url + SYNC_PATHS.events, body, headers: { 'content-type': 'application/json' } }));
    sender = new DeviceSenderThread([...signed, ...unsigned]);
    const rows = batches.map((events) => eventRows(device.deviceId, events, indexBatch(verified(events)).events, Date.now()));
    const insert = async (from: number, to: number) => {
      for (let i = from; i < to; i += 1) await raw.transaction().execute((trx) => insertEvents(trx, rows[i] ?? []));
    };

    await sender.send(0, WARMUP, 200);
    await insert(0, WARMUP);
    const ms = { measured: 0, baseline: 0 };
    const timed = async (side: keyof typeof ms, first: number) => {
      const started = performance.now();
      await (side === 'measured' ? (sender as DeviceSenderThread).send(first, first + BATCHES_PER_ROUND, 200) : insert(first, first + BATCHES_PER_ROUND));
      ms[side] += performance.now() - started;
    };
    for (let round = 0; round < ROUNDS; round += 1) {
      const first = WARMUP + round * BATCHES_PER_ROUND;
      for (const side of round % 2 === 0 ? (['measured', 'baseline'] as const) : (['baseline', 'measured'] as const)) await timed(side, first);
    }
    const stored = await collector.deviceStatus(device.deviceId);
    if (stored?.acknowledgedSeq !== batches.length * BATCH) throw new Error(`the collector holds ${stored?.acknowledgedSeq ?? 'no'} events, not ${batches.length * BATCH}`);
    const events = ROUNDS * BATCHES_PER_ROUND * BATCH;
    const rate = { measured: (events / ms.measured) * 1000, baseline: (events / ms.baseline) * 1000 };
    const timedBatches = ROUNDS * BATCHES_PER_ROUND;
    const httpStarted = performance.now();
    await sender.send(signed.length, signed.length + unsigned.length, 401);
    const http = (performance.now() - httpStarted) / timedBatches;
    return [
      `BENCH collector-ingest-${storage.name} ${Math.round(rate.measured)} events/s baseline ${Math.round(rate.baseline)} ratio ${(rate.baseline / rate.measured).toFixed(2)}`,
      splitLine(storage.name, { batches, bodies, first: WARMUP, deviceId: device.deviceId, publicKey: createPublicKey(device.publicKeyPem) }, { measured: ms.measured / timedBatches, floor: ms.baseline / timedBatches, http }),
      ...(await concurrentLines(storage.name, collector, raw)),
    ];
  } finally {
    await sender?.close();
    await collector.close();
    await raw.destroy();
    await measured.remove();
    await floor.remove();
  }
}

export async function benchCollectorIngest(): Promise<string[]> {
  const lines: string[] = [];
  for (const storage of STORAGES) lines.push(...(storage.skipReason === null ? await benchOn(storage) : [`SKIPPED collector-ingest-${storage.name}: ${storage.skipReason}`]));
  return lines;
}
