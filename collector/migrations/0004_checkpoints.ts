// The device-signed checkpoint of every accepted batch, kept so an evidence package can
// prove offline that exported events are the device's own and that none is missing up to
// a signed point. Events stored before this migration have none until their device's
// next batch, whose checkpoint covers its whole chain.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('checkpoints')
    .addColumn('device_id', 'text', (c) => c.notNull().references('devices.device_id'))
    .addColumn('seq', 'bigint', (c) => c.notNull())
    .addColumn('link', 'text', (c) => c.notNull())
    // The device key's Ed25519 signature over checkpointMessage(seq, link), base64url.
    .addColumn('signature', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('checkpoints_pk', ['device_id', 'seq'])
    .execute();
}
