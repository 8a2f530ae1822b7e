// BENCH collector-burst: one collector on PostgreSQL (default pool) with 200 device
// batches in flight at once, as when a whole practice reconnects after an outage. Each of
// 200 enrolled devices sends its batches back to back (a closed loop: 200 in flight).
// Measured: p99 latency of an answer at 200 in flight; baseline: the same at 32 in flight
// (same number of batches); ratio = measured / baseline. Counted: 5xx answers (target 0
// other than 503 + Retry-After, which devices honour: those are waited out and re-sent,
// and reported apart). Requests are built and signed before timing; everything on 127.0.0.1.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { startCollector, type RunningCollector } from '../../collector/collectorServer';
import { SYNC_PATHS } from '../../common/audit/syncProtocol';
import { TestDevice } from '../unit/collector/collectorTestDevice';
import { percentile } from '../support/percentile';

const DEVICES = 200;
const BASELINE_IN_FLIGHT = 32;
const EVENTS_PER_BATCH = 100;
const BATCHES_PER_PHASE = 1000;
const MAX_ATTEMPTS = 5;

interface PhaseResult {
  p99Ms: number;
  fiveHundreds: number;
  shed: number;
}

/** `inFlight` devices each send their share of BATCHES_PER_PHASE batches, one after another. */
async function phase(collector: RunningCollector, inFlight: number): Promise<PhaseResult> {
  const devices = Array.from({ length: inFlight }, (_, i) => new TestDevice(collector.url, `Burst ${i}`));
  for (const device of devices) await device.enrollWithCode(collector);
  const perDevice = Math.ceil(BATCHES_PER_PHASE / inFlight);
  const queued = devices.map((device) =>
    Array.from({ length: perDevice }, () => {
      const body = device.batchBody(device.record(EVENTS_PER_BATCH));
      return { device, body };
    }),
  );
  const latencies: number[] = [];
  const result = { fiveHundreds: 0, shed: 0 };
  await Promise.all(
    queued.map(async (batches) => {
      for (const { device, body } of batches) {
        for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt += 1) {
          // Signed per attempt: a nonce is used once.
          const headers = { 'content-type': 'application/json', ...device.signedHeaders('POST', SYNC_PATHS.events, body) };
          const started = performance.now();
          const response = await fetch(collector.url + SYNC_PATHS.events, { method: 'POST', headers, body, signal: AbortSignal.timeout(60_000) });
          await response.arrayBuffer();
          latencies.push(performance.now() - started);
          if (response.status === 200) break;
          if (response.status === 503) {
            result.shed += 1;
            await new Promise((resolve) => setTimeout(resolve, Number(response.headers.get('retry-after') ?? '1') * 1000));
            continue;
          }
          if (response.status >= 500) result.fiveHundreds += 1;
          else throw new Error(`collector-burst: batch refused with ${response.status}`);
        }
      }
    }),
  );
  return { p99Ms: percentile(latencies, 99), ...result };
}

export async function benchCollectorBurst(): Promise<string> {
  const url = process.env.CORDON_TEST_POSTGRES_URL;
  if (url === undefined) return 'SKIPPED collector-burst: needs PostgreSQL (set CORDON_TEST_POSTGRES_URL; .ci/run starts one)';
  const schema = `collector_bench_${randomBytes(6).toString('hex')}`;
  // All 232 simulated devices share 127.0.0.1, like an office behind one NAT: its limits are raised as the README says.
  const collector = await startCollector({ port: 0, storage: { kind: 'postgres', url, schema }, rateLimit: { max: 1_000_000, windowMs: 60_000 }, connections: { maxPerAddress: 800 } });
  try {
    const baseline = await phase(collector, BASELINE_IN_FLIGHT);
    const measured = await phase(collector, DEVICES);
    const fiveHundreds = baseline.fiveHundreds + measured.fiveHundreds;
    return [
      `BENCH collector-burst ${Math.round(measured.p99Ms)} ms-p99 baseline ${Math.round(baseline.p99Ms)} ratio ${(measured.p99Ms / baseline.p99Ms).toFixed(2)}`,
      `NOTE collector-burst: ${fiveHundreds} answers 5xx other than 503 (target 0); ${measured.shed + baseline.shed} shed with 503 + Retry-After and re-sent; ${DEVICES} and ${BASELINE_IN_FLIGHT} in flight, ${BATCHES_PER_PHASE} batches of ${EVENTS_PER_BATCH} events each.`,
    ].join('\n');
  } finally {
    await collector.close();
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query(`drop schema if exists ${schema} cascade`);
    await client.end();
  }
}
