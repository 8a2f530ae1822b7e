// BENCH audit-sync: events per second delivered end to end from the encrypted queue into a
// collector process (npm run collector, SQLite, loopback HTTP, synchronous=FULL on both
// sides): queue reads, batch building, checkpoint and request signatures, the collector's
// verification and storage, and the local acknowledgement. Device and collector run in
// separate processes, as they do in deployment, so the device's own work for the next
// batch runs while the collector verifies the one in flight (AuditSync overlaps them;
// batches still go one at a time, each after the last one's answer).
//
// Baseline, measured in the same run and alternated with it (each side first in every
// other round): the same collector process receiving the same number of events for
// another enrolled device, as request bodies and signed headers built before the clock
// starts, POSTed one after the other over the same transport. So baseline = HTTP +
// collector work only; ratio = baseline rate / sync rate is what the device's side adds
// (1.00 would be free).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { DEFAULT_ENROLLMENT_CODE_TTL_MS } from '../../collector/collectorConfig';
import { CollectorStore } from '../../collector/collectorStore';
import { issueEnrollmentCode } from '../../collector/enrollment';
import { MAX_BATCH_EVENTS } from '../../common/audit/syncProtocol';
import { AuditSync } from '../../main/audit/auditSync';
import { CollectorClient } from '../../main/audit/collectorClient';
import { deviceIdOf } from '../../main/audit/deviceKey';
import { prepareBatch } from '../../main/audit/eventBatch';
import { NodeSyncTransport } from '../../main/audit/nodeSyncTransport';
import { appendEvents, syncPolicy, testDeviceKey, testQueue, waitFor } from '../support/auditSyncFixtures';

const ROUNDS = 6;
const EVENTS_PER_ROUND = 20_000;

const root = path.resolve(import.meta.dirname, '../..');

/** `npm run collector` on a SQLite file in `dir`, as its own process; resolves once it listens. */
async function startCollectorProcess(dir: string, file: string): Promise<{ url: string; close(): Promise<void> }> {
  // Not the developer's own collector settings: only what is given here.
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('CORDON_COLLECTOR_') && !name.startsWith('CORDON_CONSOLE_')));
  const loader = pathToFileURL(path.join(root, 'node_modules/tsx/dist/loader.mjs')).href;
  const child = spawn(process.execPath, ['--import', loader, path.join(root, 'collector/collectorMain.ts'), '--port', '0', '--sqlite-file', file, '--rate-limit', '1000000'], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  await waitFor(`the collector to listen (output: ${output})`, () => /listening on http/.test(output) || child.exitCode !== null, 60_000);
  const url = /listening on (http:\/\/\S+)/.exec(output)?.[1];
  if (url === undefined) throw new Error(`the collector did not start: ${output}`);
  return {
    url,
    close: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
    },
  };
}

export async function benchAuditSync(): Promise<string> {
  const dir = mkdtempSync(path.join(tmpdir(), 'cordon-bench-sync-'));
  const file = path.join(dir, 'collector.db');
  const collector = await startCollectorProcess(dir, file);
  const transport = new NodeSyncTransport();
  const noAudit = { record: () => undefined };
  const codes = await CollectorStore.open({ kind: 'sqlite', file });
  const enrollmentCode = async () => (await issueEnrollmentCode(codes, DEFAULT_ENROLLMENT_CODE_TTL_MS, Date.now())).code;
  try {
    // The device under test: a real queue and sync, enrolled with an IT code.
    const device = testQueue();
    const sync = new AuditSync({ queue: device.queue, deviceKey: testDeviceKey(), policy: syncPolicy(collector.url, { queueSoftLimit: 1e9, queueHardLimit: 2e9 }), transport, audit: noAudit, onQueueFailure: (error) => { throw error; } });
    await sync.enrollWithCode(await enrollmentCode());
    // The baseline device: its batches come from its own queue, prepared and signed ahead.
    const baseline = testQueue();
    const baselineKey = testDeviceKey();
    const baselineClient = new CollectorClient({ collectorUrl: collector.url, transport, deviceKey: baselineKey, deviceId: deviceIdOf(baselineKey.publicKeyPem) });
    const baselineSync = new AuditSync({ queue: baseline.queue, deviceKey: baselineKey, policy: syncPolicy(collector.url), transport, audit: noAudit, onQueueFailure: (error) => { throw error; } });
    await baselineSync.enrollWithCode(await enrollmentCode());
    await baselineSync.syncNow();

    const ms = { sync: 0, baseline: 0 };
    const timeSync = async () => {
      appendEvents(device.queue, EVENTS_PER_ROUND);
      const started = performance.now();
      const status = await sync.syncNow();
      ms.sync += performance.now() - started;
      if (status.unacknowledged !== 0) throw new Error(`sync did not deliver everything: ${JSON.stringify(status)}`);
    };
    const timeBaseline = async () => {
      appendEvents(baseline.queue, EVENTS_PER_ROUND);
      const requests = [];
      for (let offset = 0; offset < EVENTS_PER_ROUND; offset += MAX_BATCH_EVENTS) {
        const events = baseline.queue.unacknowledged(MAX_BATCH_EVENTS);
        const batch = prepareBatch(events, baselineClient.deviceId, baselineKey.privateKey);
        requests.push(baselineClient.signed('POST', '/v1/events', batch.body));
        baseline.queue.acknowledge(batch.lastSeq);
      }
      const started = performance.now();
      for (const request of requests) {
        const answer = await transport.send(request);
        if (answer.status !== 200) throw new Error(`baseline batch refused: HTTP ${answer.status} ${answer.body}`);
      }
      ms.baseline += performance.now() - started;
    };
    for (let round = 0; round < ROUNDS; round += 1) {
      for (const timed of round % 2 === 0 ? [timeSync, timeBaseline] : [timeBaseline, timeSync]) await timed();
    }
    device.queue.close();
    baseline.queue.close();
    const events = ROUNDS * EVENTS_PER_ROUND;
    const rate = { sync: (events / ms.sync) * 1000, baseline: (events / ms.baseline) * 1000 };
    return `BENCH audit-sync ${Math.round(rate.sync)} events/s baseline ${Math.round(rate.baseline)} ratio ${(rate.baseline / rate.sync).toFixed(2)}`;
  } finally {
    transport.close();
    await codes.close();
    await collector.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
