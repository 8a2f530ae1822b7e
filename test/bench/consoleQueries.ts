// BENCH console-sessions-query and console-timeline-query: p95 latency of the console's two
// busiest reads (a page of the sessions list, with and without filters and deep in the
// cursor; one session's timeline with its chain check) on a collector holding 1,000,000
// events, against the same queries on one holding 10,000. ratio = p95(1M) / p95(10k): near
// 1 means the queries ride indexes; a scan would grow with the table (target ≤ 2.0).
// The events go through the store's own ingest path (CollectorStore.appendEvents, which
// keeps the session index), on PostgreSQL when CORDON_TEST_POSTGRES_URL is set, SQLite
// otherwise. Timed through ConsoleStore, without HTTP, so the figure is the query's.
import { randomBytes } from 'node:crypto';
import { sha256Link } from '../../collector/chainDigest';
import { CollectorStore } from '../../collector/collectorStore';
import { ConsoleStore } from '../../collector/console/consoleStore';
import type { AuditEventFields, VerifiedEvent } from '../../collector/ingestVerifier';
import { GENESIS_LINK_HEX } from '../../common/audit/syncProtocol';
import { canonicalJson } from '../../common/policy/canonicalJson';
import { sessionCode } from '../../common/watermark/watermarkText';
import { STORAGES, type StorageUnderTest } from '../support/collectorStorages';
import { percentile } from '../support/percentile';

const EVENTS_PER_SESSION = 100;
const DEVICES = 50;
const SAMPLES = 200;
const TYPES = ['app.opened', 'clipboard.blocked', 'request.blocked', 'navigation.blocked', 'session.locked', 'session.unlocked', 'print.blocked'];

/** A distinct session code for the n-th session, made as the device makes them. */
function sessionCodeFor(n: number): string {
  const bytes = Buffer.alloc(5);
  bytes.writeUIntBE(n, 0, 5);
  return sessionCode(bytes);
}

interface Fixture {
  store: CollectorStore;
  console: ConsoleStore;
  /** The cursor after five pages of the unfiltered list. */
  deepCursor: Parameters<ConsoleStore['sessions']>[1];
  sessions: { deviceId: string; code: string }[];
  subjects: string[];
  close(): Promise<void>;
}

/** `total` events: DEVICES devices, sessions of EVENTS_PER_SESSION events over the last 60 days. */
/** PostgreSQL where configured, SQLite otherwise. */
function benchStorage(): StorageUnderTest {
  const wanted = process.env.CORDON_TEST_POSTGRES_URL === undefined ? 'sqlite' : 'postgres';
  return STORAGES.find((s) => s.name === wanted) as StorageUnderTest;
}

async function fixture(total: number): Promise<Fixture> {
  const where = await benchStorage().create();
  const store = await CollectorStore.open(where.storage);
  const sessions: { deviceId: string; code: string }[] = [];
  const subjects = Array.from({ length: 40 }, (_, i) => `va-${i}`);
  const now = Date.now();
  const perDevice = Math.ceil(total / DEVICES);
  for (let d = 0; d < DEVICES; d += 1) {
    const deviceId = randomBytes(16).toString('hex');
    await store.enrollDevice({ deviceId, publicKeyPem: 'bench', deviceName: `laptop-${d}`, enrollmentMethod: 'enrollment-code', enrolledBy: null, enrolledAt: now }, GENESIS_LINK_HEX, null);
    let head = { seq: 0, link: GENESIS_LINK_HEX };
    let batchFrom = 0;
    let pending: VerifiedEvent[] = [];
    let code = '';
    let subject = '';
    let at = now - 60 * 86_400_000 + d * 1000;
    const step = (60 * 86_400_000) / perDevice;
    for (let i = 0; i < perDevice; i += 1) {
      if (i % EVENTS_PER_SESSION === 0) {
        code = sessionCodeFor(sessions.length);
        subject = subjects[(d + i) % subjects.length] as string;
        sessions.push({ deviceId, code });
      }
      at += step;
      const fields: AuditEventFields = { type: TYPES[i % TYPES.length] as string, outcome: i % 3 === 0 ? 'blocked' : 'success', appId: i % 2 === 0 ? 'ehr' : 'messages', recordedAt: new Date(at).toISOString(), subject, session: code };
      const body = canonicalJson(fields);
      head = { seq: head.seq + 1, link: sha256Link(head.link, body) };
      pending.push({ seq: head.seq, body, link: head.link, fields });
      if (pending.length === 1000 || i === perDevice - 1) {
        await store.appendEvents(deviceId, batchFrom, head, pending, at);
        batchFrom = head.seq;
        pending = [];
      }
    }
  }
  const consoleStore = new ConsoleStore(store.database);
  let deepCursor: Fixture['deepCursor'] = null;
  for (let i = 0; i < 5; i += 1) deepCursor = (await consoleStore.sessions({}, deepCursor, 50)).next;
  return {
    store,
    console: consoleStore,
    deepCursor,
    sessions,
    subjects,
    close: async () => {
      await store.close();
      await where.remove();
    },
  };
}

/** The two stores' queries alternate, so whatever else the machine does falls on both alike. */
async function timeBoth(run: (f: Fixture, i: number) => Promise<unknown>, small: Fixture, large: Fixture): Promise<{ small: number; large: number }> {
  for (let i = 0; i < 10; i += 1) {
    await run(small, i);
    await run(large, i);
  }
  const samples = { small: [] as number[], large: [] as number[] };
  for (let i = 0; i < SAMPLES; i += 1) {
    for (const [name, f] of [['small', small], ['large', large]] as const) {
      const started = performance.now();
      await run(f, i);
      samples[name].push(performance.now() - started);
    }
  }
  return { small: percentile(samples.small, 95), large: percentile(samples.large, 95) };
}

/** A mix of what supervisors do: the newest page, filtered by VA or by alerts, and paging on. */
async function sessionsQuery(f: Fixture, i: number): Promise<unknown> {
  const kind = i % 4;
  if (kind === 0) return f.console.sessions({}, null, 50);
  if (kind === 1) return f.console.sessions({ user: f.subjects[i % f.subjects.length] }, null, 50);
  if (kind === 2) return f.console.sessions({ notReviewed: true, hasAlerts: false }, null, 50);
  return f.console.sessions({}, f.deepCursor, 50);
}

function timelineQuery(f: Fixture, i: number): Promise<unknown> {
  const s = f.sessions[(i * 7919) % f.sessions.length] as { deviceId: string; code: string };
  return f.console.timeline(s.deviceId, s.code);
}

export async function benchConsoleQueries(): Promise<string[]> {
  const small = await fixture(10_000);
  const large = await fixture(1_000_000).catch(async (error: unknown) => {
    await small.close();
    throw error;
  });
  let sessions;
  let timeline;
  try {
    sessions = await timeBoth(sessionsQuery, small, large);
    timeline = await timeBoth(timelineQuery, small, large);
  } finally {
    await small.close();
    await large.close();
  }
  const big = { sessions: sessions.large, timeline: timeline.large };
  const base = { sessions: sessions.small, timeline: timeline.small };
  const storageName = process.env.CORDON_TEST_POSTGRES_URL === undefined ? 'sqlite' : 'postgres';
  return [
    `BENCH console-sessions-query ${big.sessions.toFixed(2)} ms-p95 baseline ${base.sessions.toFixed(2)} ratio ${(big.sessions / base.sessions).toFixed(2)}`,
    `BENCH console-timeline-query ${big.timeline.toFixed(2)} ms-p95 baseline ${base.timeline.toFixed(2)} ratio ${(big.timeline / base.timeline).toFixed(2)}`,
    `NOTE console queries: p95 over ${SAMPLES} queries with 1,000,000 stored events (${storageName}) vs the same queries with 10,000; sessions of ${EVENTS_PER_SESSION} events on ${DEVICES} devices.`,
  ];
}
