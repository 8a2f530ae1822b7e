// Revoking access (issue 11 item 4) and device posture in the console (item 3): the
// revocations IT makes, kept as history (lifting one records who and when, it never deletes
// it), and per device check an index on the events the console reads each device's latest
// posture result from (only device.posture-changed rows of that check, so ingest of every
// other event does not pay for them).
import { sql, type Kysely } from 'kysely';
import type { StorageKind } from './collectorMigrations';

/** The checks devices knew when this migration shipped (common/posture/deviceChecks); a later check gets its index in a later migration. */
const POSTURE_CHECKS = ['diskEncryption', 'screenLock', 'osVersion', 'firewall', 'antivirus'] as const;

export async function up(db: Kysely<unknown>, kind: StorageKind): Promise<void> {
  await db.schema
    .createTable('access_revocations')
    .addColumn('id', kind === 'sqlite' ? 'integer' : 'bigint', (c) => (kind === 'sqlite' ? c.primaryKey().autoIncrement() : c.primaryKey().generatedAlwaysAsIdentity()))
    // 'device': the target is a device id; 'user': a VA's IdP subject, on every device.
    .addColumn('target_kind', 'text', (c) => c.notNull())
    .addColumn('target', 'text', (c) => c.notNull())
    // From when access is ended: the moment of a revocation, or a VA's access end date.
    .addColumn('effective_at', 'bigint', (c) => c.notNull())
    // 'revoked' or 'access-ended' (common/audit/accessProtocol ACCESS_END_REASONS).
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    // The console user's subject, or cli:<os user>.
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('lifted_at', 'bigint')
    .addColumn('lifted_by', 'text')
    .execute();
  // Every batch a device delivers looks its revocation up here: only rows still in force.
  await db.schema.createIndex('access_revocations_open').on('access_revocations').columns(['target_kind', 'target', 'effective_at']).where(sql.ref('lifted_at'), 'is', null).execute();

  for (const check of POSTURE_CHECKS) {
    // Bodies are canonical JSON: the reason key is written exactly so (a quote inside a string
    // value is escaped), and the reason starts with the check (`<check>:<result>:<level>`).
    await db.schema
      .createIndex(`events_posture_${check.toLowerCase()}`)
      .on('events')
      .columns(['device_id', 'seq'])
      .where(sql<boolean>`type = 'device.posture-changed' and body like ${sql.lit(`%"reason":"${check}:%`)}`)
      .execute();
  }
}
