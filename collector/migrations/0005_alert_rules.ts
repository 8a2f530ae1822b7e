// Alert rules and notifications: rule alerts share the alerts table (the rule's id as the
// kind) with the subject and window they are deduplicated by and the rule's severity;
// rule_hits keeps the events that rules count within a time window (a small share of all
// events); notification_outbox holds each notification until its receiver has it.
import { sql, type Kysely } from 'kysely';
import type { StorageKind } from './collectorMigrations';

export async function up(db: Kysely<unknown>, kind: StorageKind): Promise<void> {
  await db.schema.alterTable('alerts').addColumn('subject_key', 'text').execute();
  await db.schema.alterTable('alerts').addColumn('window_start', 'bigint').execute();
  await db.schema.alterTable('alerts').addColumn('severity', 'text').execute();
  // One open alert per rule, subject and window, also across collectors sharing the database.
  // Chain alerts have no subject key, and NULLs never conflict.
  await db.schema.createIndex('alerts_rule_window').unique().on('alerts').columns(['kind', 'subject_key', 'window_start']).where(sql.ref('status'), '=', 'open').execute();

  await db.schema
    .createTable('rule_hits')
    .addColumn('rule', 'text', (c) => c.notNull())
    .addColumn('subject_key', 'text', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('received_at', 'bigint', (c) => c.notNull())
    .addColumn('device_id', 'text', (c) => c.notNull())
    .addColumn('seq', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('rule_hits_pk', ['device_id', 'seq', 'rule'])
    .execute();
  await db.schema.createIndex('rule_hits_window').on('rule_hits').columns(['rule', 'subject_key', 'at']).execute();
  await db.schema.createIndex('rule_hits_received').on('rule_hits').column('received_at').execute();

  await db.schema
    .createTable('notification_outbox')
    .addColumn('id', kind === 'sqlite' ? 'integer' : 'bigint', (c) => (kind === 'sqlite' ? c.primaryKey().autoIncrement() : c.primaryKey().generatedAlwaysAsIdentity()))
    .addColumn('alert_id', 'bigint', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'bigint', (c) => c.notNull())
    // A collector delivering a row holds it until then; another may take it over after.
    .addColumn('lease_until', 'bigint')
    .addColumn('last_error', 'text')
    .addColumn('delivered_at', 'bigint')
    .addUniqueConstraint('notification_outbox_alert_channel', ['alert_id', 'channel'])
    .execute();
  await db.schema.createIndex('notification_outbox_due').on('notification_outbox').columns(['channel', 'next_attempt_at']).where(sql.ref('delivered_at'), 'is', null).execute();
}
