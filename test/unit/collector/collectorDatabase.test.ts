// The collector's storage primitives under ingest, on SQLite and PostgreSQL: the bulk event
// insert (chunk edges, awkward text, all or nothing), the store's event rows, and the nonce
// write that does not wait for the disk (the connections keep their durable setting after it).
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { CollectorStore, eventRows } from '../../../collector/collectorStore';
import { indexBatch } from '../../../collector/console/sessionIndex';
import { insertEvents, insertNonce, openDatabase, type CollectorDatabase, type EventsTable } from '../../../collector/database';
import { auditEventBodySchema, GENESIS_LINK_HEX, type ChainedEvent } from '../../../common/audit/syncProtocol';
import { describeOnEachStorage } from './collectorHarness';
import { auditBody, TestDevice } from './collectorTestDevice';

/** Event bodies JSON and SQL both have to get right: quotes, backslashes, non-ASCII, a NUL escape. */
const AWKWARD = ['"\'\\;--', 'Zoë 😀 \u2028', '\\u0000 ${x} $1 ?', "it's"];

/** Events as the verifier hands them on: with their bodies' fields. */
const withFields = (events: ChainedEvent[]) => events.map((e) => ({ ...e, fields: auditEventBodySchema.parse(JSON.parse(e.body)) }));

describeOnEachStorage('collector storage primitives', (storage) => {
  let db: Kysely<CollectorDatabase>;
  let store: CollectorStore;
  let remove: () => Promise<void>;
  const device = new TestDevice('http://127.0.0.1:1');

  beforeAll(async () => {
    const created = await storage.create();
    remove = created.remove;
    db = await openDatabase(created.storage);
    store = await CollectorStore.open(created.storage);
    await db.insertInto('devices').values({ device_id: device.deviceId, public_key_pem: device.publicKeyPem, device_name: device.name, enrollment_method: 'enrollment-code', enrolled_by: null, enrolled_at: 1, acknowledged_seq: 0, acknowledged_link: GENESIS_LINK_HEX, last_seen_at: null }).execute();
  });
  afterAll(async () => {
    await store.close();
    await db.destroy();
    await remove();
  });

  const stored = async (from: number, to: number) => (await db.selectFrom('events').selectAll().where('device_id', '=', device.deviceId).where('seq', '>=', from).where('seq', '<=', to).orderBy('seq').execute()).map((row) => ({ ...row, seq: Number(row.seq) }));

  it('stores every row exactly, whatever the count around the chunk size', async () => {
    for (const count of [1, 99, 100, 101, 250]) {
      const events = device.record(count, (i) => auditBody({ reason: AWKWARD[i % AWKWARD.length], session: i % 3 === 0 ? 'ABCD-1234' : undefined, subject: i % 2 === 0 ? `va-${i}` : undefined }));
      const rows = eventRows(device.deviceId, events, indexBatch(withFields(events)).events, 1_800_000_000_000);
      await db.transaction().execute((trx) => insertEvents(trx, rows));
      expect(await stored(events[0]?.seq ?? 0, events.at(-1)?.seq ?? 0)).toEqual(rows);
    }
    await db.transaction().execute((trx) => insertEvents(trx, []));
  });

  it('is all or nothing inside its transaction: a clash in the last row stores none of them', async () => {
    const events = device.record(150);
    const rows: EventsTable[] = eventRows(device.deviceId, events, indexBatch(withFields(events)).events, 1);
    const clash = { ...(rows[0] as EventsTable), seq: 1 };
    await expect(db.transaction().execute((trx) => insertEvents(trx, [...rows, clash]))).rejects.toThrow();
    expect(await stored(events[0]?.seq ?? 0, events.at(-1)?.seq ?? 0)).toEqual([]);
  });

  it('a nonce is still used once, and the connection commits durably again afterwards', async () => {
    const nonce = { device_id: device.deviceId, nonce: 'nonce-0123456789abcdef', expires_at: Date.now() + 60_000 };
    expect(await insertNonce(db, nonce)).toBe(true);
    expect(await insertNonce(db, { ...nonce, expires_at: nonce.expires_at + 1 })).toBe(false);
    expect(await store.useNonce(device.deviceId, nonce.nonce, nonce.expires_at)).toBe(false);
    expect(await store.useNonce(device.deviceId, 'nonce-fedcba9876543210', nonce.expires_at)).toBe(true);
    expect((await db.selectFrom('request_nonces').select(['nonce', 'expires_at']).where('device_id', '=', device.deviceId).orderBy('nonce').execute()).map((r) => [r.nonce, Number(r.expires_at)])).toEqual([
      [nonce.nonce, nonce.expires_at],
      ['nonce-fedcba9876543210', nonce.expires_at],
    ]);
    // Every later commit on these connections waits for the disk again.
    const durable = async () =>
      storage.name === 'sqlite' ? (await sql<{ synchronous: number }>`pragma synchronous`.execute(db)).rows[0]?.synchronous : (await sql<{ synchronous_commit: string }>`show synchronous_commit`.execute(db)).rows[0]?.synchronous_commit;
    expect(await durable()).toBe(storage.name === 'sqlite' ? 2 : 'on');
    // Also after a nonce write that failed.
    await expect(insertNonce(db, { ...nonce, nonce: 'nonce-0000000000000000', device_id: null as unknown as string })).rejects.toThrow(/null/i);
    expect(await durable()).toBe(storage.name === 'sqlite' ? 2 : 'on');
  });
});
