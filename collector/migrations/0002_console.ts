// What the console reads without scanning: each event's session, subject, type and time
// as columns (backfilled from stored bodies), one row per VA session kept up to date at
// ingest, alert handling, console sign-in state, and the console's own chained access log.
import { sql, type Kysely } from 'kysely';
import { auditEventBodySchema } from '../../common/audit/syncProtocol';
import type { StorageKind } from './collectorMigrations';

const BACKFILL_CHUNK = 1000;

export async function up(db: Kysely<unknown>, kind: StorageKind): Promise<void> {
  for (const [column, type] of [['session_code', 'text'], ['subject', 'text'], ['type', 'text'], ['recorded_at', 'bigint']] as const) {
    await db.schema.alterTable('events').addColumn(column, type).execute();
  }
  await db.schema.createIndex('events_session').on('events').columns(['session_code', 'device_id', 'seq']).execute();

  await db.schema
    .createTable('sessions')
    .addColumn('device_id', 'text', (c) => c.notNull().references('devices.device_id'))
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('subject', 'text')
    .addColumn('started_at', 'bigint', (c) => c.notNull())
    .addColumn('ended_at', 'bigint')
    .addColumn('last_event_at', 'bigint', (c) => c.notNull())
    .addColumn('first_seq', 'bigint', (c) => c.notNull())
    .addColumn('last_seq', 'bigint', (c) => c.notNull())
    .addColumn('events', 'bigint', (c) => c.notNull())
    .addColumn('blocks', 'bigint', (c) => c.notNull())
    .addColumn('locks', 'bigint', (c) => c.notNull())
    .addColumn('review_status', 'text', (c) => c.notNull().defaultTo('not-reviewed'))
    .addColumn('review_note', 'text')
    .addColumn('reviewed_by', 'text')
    .addColumn('reviewed_at', 'bigint')
    .addPrimaryKeyConstraint('sessions_pk', ['device_id', 'code'])
    .execute();
  // The list's order (newest first) and its filters, each a range scan.
  await db.schema.createIndex('sessions_started').on('sessions').columns(['started_at', 'device_id', 'code']).execute();
  await db.schema.createIndex('sessions_subject').on('sessions').columns(['subject', 'started_at', 'device_id', 'code']).execute();
  await db.schema.createIndex('sessions_device').on('sessions').columns(['device_id', 'started_at', 'code']).execute();
  await db.schema.createIndex('sessions_code').on('sessions').column('code').execute();

  await db.schema
    .createTable('session_apps')
    .addColumn('device_id', 'text', (c) => c.notNull())
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('app_id', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('session_apps_pk', ['device_id', 'code', 'app_id'])
    .execute();

  await db.schema.alterTable('alerts').addColumn('status', 'text', (c) => c.notNull().defaultTo('open')).execute();
  await db.schema.alterTable('alerts').addColumn('note', 'text').execute();
  await db.schema.alterTable('alerts').addColumn('handled_by', 'text').execute();
  await db.schema.alterTable('alerts').addColumn('handled_at', 'bigint').execute();
  await db.schema.createIndex('alerts_device_seq').on('alerts').columns(['device_id', 'seq']).execute();
  await db.schema.createIndex('alerts_status').on('alerts').columns(['status', 'id']).execute();

  await db.schema
    .createTable('console_sessions')
    // SHA-256 of the cookie's random value: the database never holds a usable cookie.
    .addColumn('id_hash', 'text', (c) => c.primaryKey())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('roles', 'text', (c) => c.notNull())
    .addColumn('mfa', 'text', (c) => c.notNull())
    .addColumn('csrf_token', 'text', (c) => c.notNull())
    .addColumn('id_token', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('last_seen_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('console_logins')
    .addColumn('id_hash', 'text', (c) => c.primaryKey())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('nonce', 'text', (c) => c.notNull())
    .addColumn('code_verifier', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('access_log')
    // Assigned by the writer (head + 1): a race between collectors fails on the key and retries.
    .addColumn('seq', 'bigint', (c) => c.primaryKey())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('link', 'text', (c) => c.notNull())
    // The collector key's signature over checkpointMessage(seq, link): every entry is a checkpoint.
    .addColumn('signature', 'text', (c) => c.notNull())
    .addColumn('key_id', 'text', (c) => c.notNull())
    .execute();

  await backfillEventColumns(db as Kysely<BackfillDatabase>);
  await backfillSessions(db, kind);
}

interface BackfillDatabase {
  events: { device_id: string; seq: number; body: string; session_code: string | null; subject: string | null; type: string | null; recorded_at: number | null };
}

/** Events stored before this migration get their columns from their (verified) bodies. */
async function backfillEventColumns(db: Kysely<BackfillDatabase>): Promise<void> {
  let after = { device: '', seq: 0 };
  for (;;) {
    const rows = await db
      .selectFrom('events')
      .select(['device_id', 'seq', 'body'])
      .where((eb) => eb.or([eb('device_id', '>', after.device), eb.and([eb('device_id', '=', after.device), eb('seq', '>', after.seq)])]))
      .orderBy('device_id')
      .orderBy('seq')
      .limit(BACKFILL_CHUNK)
      .execute();
    if (rows.length === 0) return;
    for (const row of rows) {
      const parsed = auditEventBodySchema.safeParse(JSON.parse(row.body));
      if (!parsed.success) continue;
      const e = parsed.data;
      await db
        .updateTable('events')
        .set({ session_code: e.session ?? null, subject: e.subject ?? null, type: e.type, recorded_at: Date.parse(e.recordedAt) })
        .where('device_id', '=', row.device_id)
        .where('seq', '=', row.seq)
        .execute();
    }
    const last = rows[rows.length - 1] as { device_id: string; seq: number };
    after = { device: last.device_id, seq: Number(last.seq) };
  }
}

/** One statement per table: the session rows the ingest path would have kept. */
async function backfillSessions(db: Kysely<unknown>, kind: StorageKind): Promise<void> {
  const lockTypes = sql.raw(LOCK_TYPES_SQL);
  const endTypes = sql.raw(END_TYPES_SQL);
  await sql`insert into sessions (device_id, code, subject, started_at, ended_at, last_event_at, first_seq, last_seq, events, blocks, locks)
    select device_id, session_code, max(subject), min(recorded_at),
      max(case when type in (${endTypes}) then recorded_at end), max(recorded_at), min(seq), max(seq), count(*),
      sum(case when body like '%"outcome":"blocked"%' then 1 else 0 end), sum(case when type in (${lockTypes}) then 1 else 0 end)
    from events where session_code is not null group by device_id, session_code`.execute(db);
  await sql`insert into session_apps (device_id, code, app_id)
    select distinct device_id, session_code, json_app from (select device_id, session_code, ${kind === 'sqlite' ? sql.raw("json_extract(body, '$.appId')") : sql.raw("(body::json->>'appId')")} as json_app from events where session_code is not null) apps where json_app is not null`.execute(db);
}

// Kept as SQL lists here because a migration must not change when the code does (see
// collector/console/sessionIndex.ts for the same rules at ingest). Canonical JSON makes
// the body test for a blocked outcome exact.
const LOCK_TYPES_SQL = "'session.locked'";
const END_TYPES_SQL = "'sign-out','session.logoff'";
