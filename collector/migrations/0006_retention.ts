// Retention and disposal: legal holds on a VA (IdP subject) or a device; the chain of
// signed disposal records; the collector-signed anchor where each disposed chain (a
// device's events, the console access log) now starts; and the one schedule row that
// collectors sharing a database take turns on (a lease), with the last run's summary.
import type { Kysely } from 'kysely';
import type { StorageKind } from './collectorMigrations';

export async function up(db: Kysely<unknown>, kind: StorageKind): Promise<void> {
  await db.schema
    .createTable('legal_holds')
    .addColumn('id', kind === 'sqlite' ? 'integer' : 'bigint', (c) => (kind === 'sqlite' ? c.primaryKey().autoIncrement() : c.primaryKey().generatedAlwaysAsIdentity()))
    // 'user': the target is a VA's IdP subject, held on every device; 'device': a device id.
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('target', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('placed_by', 'text', (c) => c.notNull())
    .addColumn('placed_at', 'bigint', (c) => c.notNull())
    .addColumn('released_by', 'text')
    .addColumn('released_at', 'bigint')
    .execute();
  await db.schema.createIndex('legal_holds_active').on('legal_holds').columns(['released_at', 'kind', 'target']).execute();

  await db.schema
    .createTable('disposal_records')
    // The same shape as access_log: hash-chained bodies, each signed by the collector key.
    .addColumn('seq', 'bigint', (c) => c.primaryKey())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('link', 'text', (c) => c.notNull())
    .addColumn('signature', 'text', (c) => c.notNull())
    .addColumn('key_id', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('retention_anchors')
    // `device:<id>` or `access-log`: the chain whose prefix through `seq` was disposed.
    .addColumn('chain', 'text', (c) => c.primaryKey())
    .addColumn('seq', 'bigint', (c) => c.notNull())
    // The link of the last disposed entry: the remaining chain continues from it.
    .addColumn('link', 'text', (c) => c.notNull())
    // The collector key's signature over retentionAnchorMessage(chain, seq, link).
    .addColumn('signature', 'text', (c) => c.notNull())
    .addColumn('key_id', 'text', (c) => c.notNull())
    .addColumn('record_seq', 'bigint', (c) => c.notNull())
    .addColumn('disposed_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('retention_schedule')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    // The collector running disposal now, and until when its turn lasts (a crashed one's lapses).
    .addColumn('lease_holder', 'text')
    .addColumn('lease_until', 'bigint', (c) => c.notNull())
    .addColumn('last_started_at', 'bigint')
    .addColumn('last_finished_at', 'bigint')
    // The last run's summary (JSON), for the console.
    .addColumn('last_result', 'text')
    .execute();
  await (db as Kysely<{ retention_schedule: { id: number; lease_until: number } }>).insertInto('retention_schedule').values({ id: 1, lease_until: 0 }).execute();
}
