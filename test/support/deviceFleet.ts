// Many Cordon devices syncing at once, each as real as a laptop's audit pipeline can be
// without Electron: its own Ed25519 key, its own encrypted SQLCipher queue, the app's own
// AuditSync (backoff, reconciliation, retries) and its own kept-alive connections.
// Events are recorded in bursts while delivery runs on its timers. Used by the scale-out
// test and benchmark; no test framework here.
import { rmSync } from 'node:fs';
import path from 'node:path';
import type pg from 'pg';
import { chainLink, GENESIS_LINK } from '../../main/audit/auditQueue';
import { AuditSync } from '../../main/audit/auditSync';
import { deviceIdOf } from '../../main/audit/deviceKey';
import { NodeSyncTransport } from '../../main/audit/nodeSyncTransport';
import type { SyncRequest, SyncResponse, SyncTransport } from '../../main/audit/syncTransport';
import { SYNC_PATHS } from '../../common/audit/syncProtocol';
import { appendEvents, syncPolicy, testDeviceKey, testQueue } from './auditSyncFixtures';

/** Times each batch POST (whatever its answer), so a run can report its p99, and counts the ones that failed. */
class TimedTransport implements SyncTransport {
  readonly inner = new NodeSyncTransport();
  constructor(private readonly batches: { ms: number[]; failed: number }) {}
  async send(request: SyncRequest): Promise<SyncResponse> {
    const batch = request.method === 'POST' && new URL(request.url).pathname === SYNC_PATHS.events;
    const started = performance.now();
    let ok = false;
    try {
      const response = await this.inner.send(request);
      ok = response.status === 200;
      return response;
    } finally {
      if (batch) {
        this.batches.ms.push(performance.now() - started);
        if (!ok) this.batches.failed += 1;
      }
    }
  }
}

export interface FleetDevice {
  deviceId: string;
  sync: AuditSync;
  queue: ReturnType<typeof testQueue>['queue'];
  file: string;
  transport: TimedTransport;
}

export interface DeviceFleet {
  devices: FleetDevice[];
  /** Duration of every batch POST in ms, and how many got no 200 (cut, refused, shed). */
  batches: { ms: number[]; failed: number };
  /** Records `bursts` bursts of `perBurst` events on every device, `pauseMs` apart, nudging delivery after each. */
  record(bursts: number, perBurst: number, pauseMs: number): Promise<void>;
  /** Events the collector has acknowledged, over all devices. */
  acknowledged(): number;
  /** Resolves when every device has delivered everything it recorded; rejects on a device that stopped. */
  delivered(timeoutMs: number): Promise<void>;
  close(): Promise<void>;
}

/** `count` devices enrolled (with IT's one-time codes from `codes`) at the collector behind `url`. */
export async function startDeviceFleet(url: string, count: number, codes: () => Promise<string>): Promise<DeviceFleet> {
  const batches = { ms: [] as number[], failed: 0 };
  const noAudit = { record: () => undefined };
  const devices: FleetDevice[] = [];
  for (let i = 0; i < count; i += 1) {
    const { queue, file } = testQueue();
    const transport = new TimedTransport(batches);
    const deviceKey = testDeviceKey();
    const sync = new AuditSync({
      queue,
      deviceKey,
      policy: syncPolicy(url, { queueSoftLimit: 1e9, queueHardLimit: 2e9 }),
      transport,
      audit: noAudit,
      onQueueFailure: (error) => {
        throw error;
      },
      deviceName: `fleet-${i + 1}`,
      // A lost collector is tried again within a second or two, not the app's minutes.
      backoff: { baseMs: 100, capMs: 2_000 },
      idleIntervalMs: 500,
      checkIntervalMs: 500,
    });
    devices.push({ deviceId: deviceIdOf(deviceKey.publicKeyPem), sync, queue, file, transport });
  }
  // Enrolled a few at a time, as laptops come online.
  for (let i = 0; i < devices.length; i += 25) {
    await Promise.all(devices.slice(i, i + 25).map(async (d) => d.sync.enrollWithCode(await codes())));
  }
  for (const d of devices) d.sync.start();

  return {
    devices,
    batches,
    record: async (bursts, perBurst, pauseMs) => {
      for (let b = 0; b < bursts; b += 1) {
        for (const d of devices) {
          appendEvents(d.queue, perBurst);
          d.sync.nudge();
          // Let timers and sockets run between devices' bursts.
          await new Promise((resolve) => setImmediate(resolve));
        }
        await new Promise((resolve) => setTimeout(resolve, pauseMs));
      }
    },
    acknowledged: () => devices.reduce((sum, d) => sum + d.queue.acknowledgedSeq, 0),
    delivered: async (timeoutMs) => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const stopped = devices.find((d) => d.sync.status.state === 'stopped');
        if (stopped !== undefined) throw new Error(`device ${path.basename(path.dirname(stopped.file))} stopped syncing: ${JSON.stringify(stopped.sync.status.problem)}`);
        if (devices.every((d) => d.queue.unacknowledgedCount() === 0)) return;
        if (Date.now() > deadline) throw new Error(`not delivered within ${timeoutMs} ms: ${devices.filter((d) => d.queue.unacknowledgedCount() > 0).length} devices still hold events`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
    close: async () => {
      for (const d of devices) {
        await d.sync.stop();
        d.queue.close();
        d.transport.inner.close();
        rmSync(path.dirname(d.file), { recursive: true, force: true });
      }
    },
  };
}

/**
 * What the collectors stored, checked against each device: every event exactly once
 * (sequence 1..head, no more), the chain recomputed from the stored bodies ends at the
 * device's own head link, and no alert was raised. Problems as sentences; none = intact.
 */
export async function storedChainProblems(client: pg.Client, devices: readonly FleetDevice[]): Promise<string[]> {
  const problems: string[] = [];
  for (const d of devices) {
    const rows = (await client.query<{ seq: string; body: string; link: string }>('select seq, body, link from events where device_id = $1 order by seq', [d.deviceId])).rows;
    const head = d.queue.lastSeq;
    if (rows.length !== head) problems.push(`${d.deviceId}: ${rows.length} events stored, the device recorded ${head}`);
    let link: Buffer = GENESIS_LINK;
    for (const [i, row] of rows.entries()) {
      if (Number(row.seq) !== i + 1) {
        problems.push(`${d.deviceId}: event ${i + 1} is stored as sequence ${row.seq}`);
        break;
      }
      link = chainLink(link, row.body);
      if (link.toString('hex') !== row.link) {
        problems.push(`${d.deviceId}: the chain breaks at event ${row.seq}`);
        break;
      }
    }
    if (rows.length === head && !link.equals(d.queue.linkAt(head) ?? Buffer.alloc(0))) problems.push(`${d.deviceId}: the stored chain does not end at the device's head link`);
  }
  const alerts = (await client.query<{ kind: string; n: string }>('select kind, count(*) as n from alerts group by kind')).rows;
  for (const a of alerts) problems.push(`${a.n} ${a.kind} alert(s) raised`);
  return problems;
}
