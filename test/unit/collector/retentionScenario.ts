// A practice's history for the retention tests, delivered through real ingest under a clock
// the test moves: old events (six years and more before "now") and recent ones on three
// devices, VA sessions, alerts, reviews and console access-log entries. Every event body
// carries a unique marker, so a test can look for its bytes in the database files.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, readlinkSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { RetentionConfig, StorageConfig } from '../../../collector/collectorConfig';
import { startCollector, type RunningCollector } from '../../../collector/collectorServer';
import { CollectorStore } from '../../../collector/collectorStore';
import { AccessLog, loadOrCreateCollectorKey, type CollectorKey } from '../../../collector/console/accessLog';
import type { StorageUnderTest } from '../../support/collectorStorages';
import { auditBody, TestDevice } from './collectorTestDevice';

export const DAY = 24 * 60 * 60 * 1000;
/** When the old history was received. */
export const T0 = Date.UTC(2020, 0, 6, 9);
/** When the recent history was received (three years later: inside any six-year period from NOW). */
export const LATER = Date.UTC(2023, 0, 9, 9);
/** Six years and a month after T0: T0's events are past six years, LATER's are not. */
export const NOW = Date.UTC(2026, 1, 9, 9);

export const SIX_YEARS: Omit<RetentionConfig, 'keyFile'> = { events: { years: 6 }, alerts: { years: 6 }, reviews: { years: 6 }, accessLog: { years: 6 }, intervalMs: null };

export interface ScenarioDevice {
  device: TestDevice;
  /** The marker in each event's body, by sequence number. */
  markers: Map<number, string>;
}

export interface Scenario {
  storage: StorageConfig;
  collector: RunningCollector;
  /** A second connection, as the command line or another collector would have. */
  store: CollectorStore;
  key: CollectorKey;
  keyFile: string;
  clock: { at: number };
  /** Front desk: session 1 (va-1, events 1-4) and event 5 old; session 2 (va-2) has events 6-7 old and 8-9 recent. */
  a: ScenarioDevice;
  /** Exam room: events 1-4 old (session 3, va-3, then one outside a session); the test puts it on hold. */
  b: ScenarioDevice;
  /** Billing: old sessions of va-1 (1-2), va-held (3-4) and va-1 (5-6), then a recent event 7. */
  c: ScenarioDevice;
  deliver(target: ScenarioDevice, count: number, at: number, fields?: Record<string, unknown>): Promise<void>;
  close(): Promise<void>;
}

export const CODES = { a1: '7K2M-QX41', a2: '7K2M-QX42', b3: '7K2M-QX43', c4: '7K2M-QX44', c5: '7K2M-QX45', c6: '7K2M-QX46' } as const;

export async function startScenario(storage: StorageUnderTest): Promise<Scenario> {
  const created = await storage.create();
  const dir = mkdtempSync(path.join(tmpdir(), 'cordon-retention-'));
  const keyFile = path.join(dir, 'collector-key.pem');
  const clock = { at: T0 };
  const collector = await startCollector({ storage: created.storage, port: 0, clock: () => clock.at, rateLimit: { max: 1_000_000, windowMs: 60_000 } });
  const store = await CollectorStore.open(created.storage);
  const run = randomBytes(4).toString('hex');
  const make = async (name: string): Promise<ScenarioDevice> => {
    const device = new TestDevice(collector.url, name);
    await device.enrollWithCode(collector);
    return { device, markers: new Map() };
  };
  const deliver = async (target: ScenarioDevice, count: number, at: number, fields: Record<string, unknown> = {}) => {
    clock.at = at;
    const tag = target.device.name.replace(/\W/g, '');
    const events = target.device.record(count, () => {
      const seq = target.device.head.seq + 1;
      const marker = `marker-${run}-${tag}-${seq}`;
      target.markers.set(seq, marker);
      return auditBody({ reason: marker, ...fields });
    });
    const reply = await target.device.sendBatch(events, {}, { timestamp: new Date(at).toISOString() });
    if (reply.status !== 200) throw new Error(`delivery refused: ${reply.text}`);
  };
  const a = await make('Front desk');
  const b = await make('Exam room');
  const c = await make('Billing');
  await deliver(a, 4, T0, { session: CODES.a1, subject: 'va-1' });
  await deliver(a, 1, T0);
  await deliver(a, 2, T0, { session: CODES.a2, subject: 'va-2' });
  await deliver(a, 2, LATER, { session: CODES.a2, subject: 'va-2' });
  await deliver(b, 3, T0, { session: CODES.b3, subject: 'va-3' });
  await deliver(b, 1, T0);
  await deliver(c, 2, T0, { session: CODES.c4, subject: 'va-1' });
  await deliver(c, 2, T0, { session: CODES.c5, subject: 'va-held' });
  await deliver(c, 2, T0, { session: CODES.c6, subject: 'va-1' });
  await deliver(c, 1, LATER);

  const key = loadOrCreateCollectorKey(keyFile);
  const log = new AccessLog(store.database, key);
  for (const [i, at] of [T0, T0 + DAY, T0 + 2 * DAY, LATER, LATER + DAY].entries()) await log.append({ actor: 'Cora Compliance [demo-cmp-0001]', action: 'view-session', outcome: 'success', target: `entry ${i + 1}` }, at);

  return {
    storage: created.storage,
    collector,
    store,
    key,
    keyFile,
    clock,
    a,
    b,
    c,
    deliver,
    close: async () => {
      await collector.close();
      await store.close();
      await created.remove();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The SQLite database's bytes as they are on disk: the main file and its write-ahead log. */
export function sqliteFileBytes(file: string): Buffer {
  return Buffer.concat([readFileSync(file), ...(existsSync(`${file}-wal`) ? [readFileSync(`${file}-wal`)] : [])]);
}

/**
 * The bytes of every table, index and TOAST file of the storage's schema, read from the
 * PostgreSQL server's data directory (found as the working directory of this connection's
 * server process), or why they cannot be read from this test process.
 */
export async function postgresFileBytes(storage: Extract<StorageConfig, { kind: 'postgres' }>): Promise<{ bytes: Buffer; files: number } | { unreadable: string }> {
  const client = new pg.Client({ connectionString: storage.url });
  await client.connect();
  try {
    const pid = (await client.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0]?.pid;
    let dataDir: string;
    try {
      dataDir = readlinkSync(`/proc/${pid}/cwd`);
    } catch (error) {
      return { unreadable: `the server's data directory (/proc/${pid}/cwd) cannot be read by this process: ${(error as Error).message}` };
    }
    const { rows } = await client.query<{ file: string }>(
      `select pg_relation_filepath(c.oid) as file from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = $1 and c.relkind in ('r', 'i')
       union all select pg_relation_filepath(c.reltoastrelid) from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = $1 and c.reltoastrelid <> 0`,
      [storage.schema],
    );
    const parts: Buffer[] = [];
    for (const { file } of rows) {
      // Relations over 1 GB continue in numbered segments.
      for (let segment = 0; ; segment += 1) {
        const name = path.join(dataDir, segment === 0 ? file : `${file}.${segment}`);
        if (!existsSync(name)) break;
        parts.push(readFileSync(name));
      }
    }
    return { bytes: Buffer.concat(parts), files: parts.length };
  } finally {
    await client.end();
  }
}
