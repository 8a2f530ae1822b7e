// BENCH collector-ingest-sqlite / collector-ingest-postgres: events per second the collector
// ingests with full verification — HTTP, zod validation of the batch and of every event
// body, device request signature, nonce, sequence, hash chain, canonical form, checkpoint
// signature, session index, and one all-or-nothing transaction (SQLite: WAL,
// synchronous=FULL; PostgreSQL: synchronous_commit on) — one 1000-event batch at a time,
// as a device sends them, over the device's own Node transport (keep-alive HTTP).
// Baseline, measured in the same run and alternated with it (each side first in every
// other round): the same rows (session columns included) stored in the same kind of
// storage with the collector's own insert, one transaction per 1000 rows, i.e. the storage
// floor with no protocol or verification. ratio = baseline rate / measured rate: how many
// times verification and HTTP slow ingest. Requests are built and signed, and baseline
// rows computed, before timing; client and collector share this process.
import { startCollector } from '../../collector/collectorServer';
import { eventRows } from '../../collector/collectorStore';
import { indexBatch } from '../../collector/console/sessionIndex';
import { insertEvents, openDatabase } from '../../collector/database';
import { auditEventBodySchema, GENESIS_LINK_HEX, SYNC_PATHS } from '../../common/audit/syncProtocol';
import { NodeSyncTransport } from '../../main/audit/nodeSyncTransport';
import { STORAGES, type StorageUnderTest } from '../support/collectorStorages';
import { TestDevice } from '../unit/collector/collectorTestDevice';

const BATCH = 1000;
const ROUNDS = 8;
const BATCHES_PER_ROUND = 5;
/** Batches each side takes before timing starts (JIT, statement caches, the first pages). */
const WARMUP = 2;

async function benchOn(storage: StorageUnderTest): Promise<string> {
  const measured = await storage.create();
  const floor = await storage.create();
  const collector = await startCollector({ port: 0, storage: measured.storage, rateLimit: { max: 1_000_000, windowMs: 60_000 } });
  const raw = await openDatabase(floor.storage);
  const transport = new NodeSyncTransport();
  try {
    const device = new TestDevice(collector.url);
    await device.enrollWithCode(collector);
    await raw.insertInto('devices').values({ device_id: device.deviceId, public_key_pem: device.publicKeyPem, device_name: device.name, enrollment_method: 'enrollment-code', enrolled_by: null, enrolled_at: Date.now(), acknowledged_seq: 0, acknowledged_link: GENESIS_LINK_HEX, last_seen_at: null }).execute();

    const batches = Array.from({ length: WARMUP + ROUNDS * BATCHES_PER_ROUND }, () => device.record(BATCH));
    const requests = batches.map((events) => {
      const body = device.batchBody(events);
      return { method: 'POST' as const, url: collector.url + SYNC_PATHS.events, body, headers: { 'content-type': 'application/json', ...device.signedHeaders('POST', SYNC_PATHS.events, body) } };
    });
    const rows = batches.map((events) => eventRows(device.deviceId, events, indexBatch(events.map((e) => ({ ...e, fields: auditEventBodySchema.parse(JSON.parse(e.body)) }))).events, Date.now()));
    const ingest = async (index: number) => {
      const answer = await transport.send(requests[index] as (typeof requests)[number]);
      if (answer.status !== 200) throw new Error(`ingest refused: HTTP ${answer.status} ${answer.body}`);
    };
    const insert = (index: number) => raw.transaction().execute((trx) => insertEvents(trx, rows[index] ?? []));

    for (let i = 0; i < WARMUP; i += 1) {
      await ingest(i);
      await insert(i);
    }
    const ms = { measured: 0, baseline: 0 };
    const timed = async (side: keyof typeof ms, first: number) => {
      const started = performance.now();
      for (let i = first; i < first + BATCHES_PER_ROUND; i += 1) await (side === 'measured' ? ingest(i) : insert(i));
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
    return `BENCH collector-ingest-${storage.name} ${Math.round(rate.measured)} events/s baseline ${Math.round(rate.baseline)} ratio ${(rate.baseline / rate.measured).toFixed(2)}`;
  } finally {
    transport.close();
    await collector.close();
    await raw.destroy();
    await measured.remove();
    await floor.remove();
  }
}

export async function benchCollectorIngest(): Promise<string[]> {
  const lines: string[] = [];
  for (const storage of STORAGES) lines.push(storage.skipReason === null ? await benchOn(storage) : `SKIPPED collector-ingest-${storage.name}: ${storage.skipReason}`);
  return lines;
}
