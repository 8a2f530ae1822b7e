// The collector's storage primitives under ingest, on SQLite and PostgreSQL: the bulk event
// insert (chunk edges, awkward text, all or nothing) and the store's event rows.
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { eventRows } from '../../../collector/collectorStore';
import { indexBatch } from '../../../collector/console/sessionIndex';
import { insertEvents, openDatabase, type CollectorDatabase, type EventsTable } from '../../../collector/database';
import { GENESIS_LINK_HEX } from '../../../common/audit/syncProtocol';
import { describeOnEachStorage } from './collectorHarness';
import { auditBody, TestDevice } from './collectorTestDevice';

/** Event bodies JSON and SQL both have to get right: quotes, backslashes, non-ASCII, a NUL escape. */
const AWKWARD = ['"\'\\;--', 'Zoë 😀 \u2028', '\\u0000 ${x} $1 ?', "it's"];

describeOnEachStorage('collector storage primitives', (storage) => {
  let db: Kysely<CollectorDatabase>;
  let remove: () => Promise<void>;
  const device = new TestDevice('http://127.0.0.1:1');

  beforeAll(async () => {
    const created = await storage.create();
    remove = created.remove;
    db = await openDatabase(created.storage);
    await db.insertInto('devices').values({ device_id: device.deviceId, public_key_pem: device.publicKeyPem, device_name: device.name, enrollment_method: 'enrollment-code', enrolled_by: null, enrolled_at: 1, acknowledged_seq: 0, acknowledged_link: GENESIS_LINK_HEX, last_seen_at: null }).execute();
  });
  afterAll(async () => {
    await db.destroy();
    await remove();
  });

  const stored = async (from: number, to: number) => (await db.selectFrom('events').selectAll().where('device_id', '=', device.deviceId).where('seq', '>=', from).where('seq', '<=', to).orderBy('seq').execute()).map((row) => ({ ...row, seq: Number(row.seq) }));

  it('stores every row exactly, whatever the count around the chunk size', async () => {
    for (const count of [1, 99, 100, 101, 250]) {
      const events = device.record(count, (i) => auditBody({ reason: AWKWARD[i % AWKWARD.length], session: i % 3 === 0 ? 'ABCD-1234' : undefined, subject: i % 2 === 0 ? `va-${i}` : undefined }));
      const rows = eventRows(device.deviceId, events, indexBatch(events).events, 1_800_000_000_000);
      await db.transaction().execute((trx) => insertEvents(trx, rows));
      expect(await stored(events[0]?.seq ?? 0, events.at(-1)?.seq ?? 0)).toEqual(rows);
    }
    await db.transaction().execute((trx) => insertEvents(trx, []));
  });

  it('is all or nothing inside its transaction: a clash in the last row stores none of them', async () => {
    const events = device.record(150);
    const rows: EventsTable[] = eventRows(device.deviceId, events, indexBatch(events).events, 1);
    const clash = { ...(rows[0] as EventsTable), seq: 1 };
    await expect(db.transaction().execute((trx) => insertEvents(trx, [...rows, clash]))).rejects.toThrow();
    expect(await stored(events[0]?.seq ?? 0, events.at(-1)?.seq ?? 0)).toEqual([]);
  });
});
