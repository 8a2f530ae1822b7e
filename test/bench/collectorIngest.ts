// BENCH collector-ingest: events per second the collector ingests with full verification
// — HTTP, zod validation, device request signature, nonce, hash chain, canonical event
// check, checkpoint signature and an all-or-nothing SQLite transaction (WAL,
// synchronous=FULL) — one 1000-event batch at a time, as a device sends them.
// Baseline, measured alternately in the same run: the same rows inserted straight through
// Kysely into the same kind of storage (collector schema and SQLite settings, one
// transaction per 1000 rows), i.e. the storage floor with no protocol or verification.
// ratio = baseline rate / measured rate: how many times verification and HTTP slow ingest.
// Requests are built and signed before timing; client and collector share this process.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openDatabase } from '../../collector/database';
import { startCollector } from '../../collector/collectorServer';
import { GENESIS_LINK_HEX, SYNC_PATHS, type ChainedEvent } from '../../common/audit/syncProtocol';
import { TestDevice } from '../unit/collector/collectorTestDevice';

const BATCH = 1000;
const ROUNDS = 8;
const BATCHES_PER_ROUND = 5;

export async function benchCollectorIngest(): Promise<string> {
  const dir = mkdtempSync(path.join(tmpdir(), 'cordon-bench-collector-'));
  const collector = await startCollector({ port: 0, storage: { kind: 'sqlite', file: path.join(dir, 'collector.db') }, rateLimit: { max: 1_000_000, windowMs: 60_000 } });
  const raw = await openDatabase({ kind: 'sqlite', file: path.join(dir, 'baseline.db') });
  try {
    const device = new TestDevice(collector.url);
    await device.enrollWithCode(collector);
    await raw.insertInto('devices').values({ device_id: device.deviceId, public_key_pem: device.publicKeyPem, device_name: device.name, enrollment_method: 'enrollment-code', enrolled_by: null, enrolled_at: Date.now(), acknowledged_seq: 0, acknowledged_link: GENESIS_LINK_HEX, last_seen_at: null }).execute();

    const batches: ChainedEvent[][] = Array.from({ length: 1 + ROUNDS * BATCHES_PER_ROUND }, () => device.record(BATCH));
    const requests = batches.map((events) => {
      const body = device.batchBody(events);
      return { body, headers: { 'content-type': 'application/json', ...device.signedHeaders('POST', SYNC_PATHS.events, body) } };
    });
    const ingest = async (index: number) => {
      const request = requests[index] as (typeof requests)[number];
      const response = await fetch(collector.url + SYNC_PATHS.events, { method: 'POST', headers: request.headers, body: request.body });
      if (response.status !== 200) throw new Error(`ingest refused: ${await response.text()}`);
      await response.arrayBuffer();
    };
    const insert = (index: number) =>
      raw.transaction().execute((trx) => trx.insertInto('events').values((batches[index] as ChainedEvent[]).map((e) => ({ device_id: device.deviceId, seq: e.seq, body: e.body, link: e.link, received_at: Date.now() }))).execute());

    await ingest(0);
    await insert(0);
    const ms = { measured: 0, baseline: 0 };
    for (let round = 0; round < ROUNDS; round += 1) {
      const first = 1 + round * BATCHES_PER_ROUND;
      let started = performance.now();
      for (let i = first; i < first + BATCHES_PER_ROUND; i += 1) await ingest(i);
      ms.measured += performance.now() - started;
      started = performance.now();
      for (let i = first; i < first + BATCHES_PER_ROUND; i += 1) await insert(i);
      ms.baseline += performance.now() - started;
    }
    const events = ROUNDS * BATCHES_PER_ROUND * BATCH;
    const measured = (events / ms.measured) * 1000;
    const baseline = (events / ms.baseline) * 1000;
    return `BENCH collector-ingest ${Math.round(measured)} events/s baseline ${Math.round(baseline)} ratio ${(baseline / measured).toFixed(2)}`;
  } finally {
    await collector.close();
    await raw.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
}
