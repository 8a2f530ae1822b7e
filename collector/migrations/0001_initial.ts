// Devices, their verified chains, request nonces, alerts and enrollment codes.
// Times are milliseconds since the epoch (bigint); links are lowercase hex.
import type { Kysely } from 'kysely';
import type { StorageKind } from './collectorMigrations';

export async function up(db: Kysely<unknown>, kind: StorageKind): Promise<void> {
  await db.schema
    .createTable('devices')
    .addColumn('device_id', 'text', (c) => c.primaryKey())
    .addColumn('public_key_pem', 'text', (c) => c.notNull())
    .addColumn('device_name', 'text', (c) => c.notNull())
    .addColumn('enrollment_method', 'text', (c) => c.notNull())
    // The IdP subject that enrolled the device (access-token enrollment); null for codes.
    .addColumn('enrolled_by', 'text')
    .addColumn('enrolled_at', 'bigint', (c) => c.notNull())
    .addColumn('acknowledged_seq', 'bigint', (c) => c.notNull())
    .addColumn('acknowledged_link', 'text', (c) => c.notNull())
    .addColumn('last_seen_at', 'bigint')
    .execute();

  await db.schema
    .createTable('events')
    .addColumn('device_id', 'text', (c) => c.notNull().references('devices.device_id'))
    .addColumn('seq', 'bigint', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('link', 'text', (c) => c.notNull())
    .addColumn('received_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('events_pk', ['device_id', 'seq'])
    .execute();

  await db.schema
    .createTable('request_nonces')
    .addColumn('device_id', 'text', (c) => c.notNull())
    .addColumn('nonce', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('request_nonces_pk', ['device_id', 'nonce'])
    .execute();
  await db.schema.createIndex('request_nonces_expiry').on('request_nonces').column('expires_at').execute();

  await db.schema
    .createTable('alerts')
    // The one column whose DDL differs: SQLite's rowid alias vs a PostgreSQL identity.
    .addColumn('id', kind === 'sqlite' ? 'integer' : 'bigint', (c) => (kind === 'sqlite' ? c.primaryKey().autoIncrement() : c.primaryKey().generatedAlwaysAsIdentity()))
    .addColumn('device_id', 'text')
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('seq', 'bigint')
    .addColumn('detected_at', 'bigint', (c) => c.notNull())
    .addColumn('detail', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('alerts_device').on('alerts').column('device_id').execute();

  await db.schema
    .createTable('enrollment_codes')
    // SHA-256 of the code: the codes are random (80 bits), so a fast hash suffices.
    .addColumn('code_hash', 'text', (c) => c.primaryKey())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('used_at', 'bigint')
    .addColumn('used_by_device', 'text')
    .execute();
}
