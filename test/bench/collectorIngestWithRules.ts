// BENCH collector-ingest-with-rules: events per second the collector ingests (full
// verification, SQLite) with the default alert rules on, against the same collector
// code with rules off, measured alternately in the same run on the same kind of stream.
// The stream is a VA's day in 1000-event batches: a sign-in per batch, blocked
// navigations, copies and prints (some close enough to make bursts), idle locks and a
// refused sign-in now and then, the rest app and request events. Target ratio ≤ 1.15.
// ratio = rate with rules off / rate with rules on.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startCollector, type RunningCollector } from '../../collector/collectorServer';
import { DEFAULT_RULES_FILE } from '../../collector/rules/rulesSchema';
import { SYNC_PATHS } from '../../common/audit/syncProtocol';
import { TestDevice } from '../unit/collector/collectorTestDevice';
import { body, type StreamEvent } from '../unit/collector/rulesStream';

const BATCH = 1000;
const ROUNDS = 12;
const BATCHES_PER_ROUND = 4;
/** Batches each collector takes before timing starts (JIT, caches, the rules' first queries). */
const WARMUP = 3;

function vaEvent(batch: number, i: number, start: number): StreamEvent {
  const at = new Date(start + (batch * BATCH + i) * 2_000).toISOString();
  const session = `BNCH-${String(batch).padStart(4, '0')}`;
  const va = { subject: `bench-va-${batch % 3}`, session };
  if (i === 0) return { type: 'sign-in.succeeded', at, ...va };
  if (i % 40 === 1) return { type: 'navigation.blocked', outcome: 'blocked', at, appId: 'ehr', reason: 'origin-not-approved', ...va };
  if (i % 90 === 2) return { type: 'clipboard.blocked', outcome: 'blocked', at, appId: 'ehr', reason: 'copy-rate-limited', ...va };
  if (i % 150 === 3) return { type: 'print.blocked', outcome: 'blocked', at, appId: 'ehr', ...va };
  if (i % 200 === 4) return { type: 'session.locked', at, reason: 'idle', ...va };
  if (i % 500 === 5) return { type: 'sign-in.failed', outcome: 'failure', at, reason: 'mfa-missing' };
  return i % 2 === 0 ? { type: 'app.opened', at, appId: 'ehr', ...va } : { type: 'request.blocked', outcome: 'blocked', at, appId: 'ehr', reason: 'origin-not-approved', ...va };
}

async function preparedDevice(collector: RunningCollector, batches: number): Promise<{ ingest(index: number): Promise<void> }> {
  const device = new TestDevice(collector.url);
  await device.enrollWithCode(collector);
  const start = Date.parse('2026-03-02T13:00:00Z');
  const requests = Array.from({ length: batches }, (_, b) => {
    const events = device.record(BATCH, (i) => body(vaEvent(b, i, start)));
    const payload = device.batchBody(events);
    return { body: payload, headers: { 'content-type': 'application/json', ...device.signedHeaders('POST', SYNC_PATHS.events, payload) } };
  });
  return {
    ingest: async (index) => {
      const request = requests[index] as (typeof requests)[number];
      const response = await fetch(collector.url + SYNC_PATHS.events, { method: 'POST', headers: request.headers, body: request.body });
      if (response.status !== 200) throw new Error(`ingest refused: ${await response.text()}`);
      await response.arrayBuffer();
    },
  };
}

export async function benchCollectorIngestWithRules(): Promise<string> {
  const dir = mkdtempSync(path.join(tmpdir(), 'cordon-bench-rules-'));
  const common = { port: 0, rateLimit: { max: 1_000_000, windowMs: 60_000 } };
  const on = await startCollector({ ...common, storage: { kind: 'sqlite', file: path.join(dir, 'rules-on.db') }, alerting: { rules: DEFAULT_RULES_FILE, channels: {} } });
  const off = await startCollector({ ...common, storage: { kind: 'sqlite', file: path.join(dir, 'rules-off.db') } });
  try {
    const batches = WARMUP + ROUNDS * BATCHES_PER_ROUND;
    const withRules = await preparedDevice(on, batches);
    const without = await preparedDevice(off, batches);
    for (let i = 0; i < WARMUP; i += 1) {
      await withRules.ingest(i);
      await without.ingest(i);
    }
    const ms = { on: 0, off: 0 };
    const timed = async (side: 'on' | 'off', first: number) => {
      const started = performance.now();
      for (let i = first; i < first + BATCHES_PER_ROUND; i += 1) await (side === 'on' ? withRules : without).ingest(i);
      ms[side] += performance.now() - started;
    };
    // Alternate which side goes first, so neither always follows the other's writes.
    for (let round = 0; round < ROUNDS; round += 1) {
      const first = WARMUP + round * BATCHES_PER_ROUND;
      for (const side of round % 2 === 0 ? (['on', 'off'] as const) : (['off', 'on'] as const)) await timed(side, first);
    }
    const events = ROUNDS * BATCHES_PER_ROUND * BATCH;
    const rate = { on: (events / ms.on) * 1000, off: (events / ms.off) * 1000 };
    const alerts = (await on.alerts()).length;
    if (alerts === 0) throw new Error('the rules raised no alert: the stream no longer exercises them');
    return `BENCH collector-ingest-with-rules ${Math.round(rate.on)} events/s baseline ${Math.round(rate.off)} ratio ${(rate.off / rate.on).toFixed(2)}`;
  } finally {
    await on.close();
    await off.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
