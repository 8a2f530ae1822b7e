// Opens the collector's database (embedded SQLite or PostgreSQL) behind one Kysely
// interface and brings its schema up to date. Everything above this file is dialect-free.
import { chmodSync, closeSync, mkdirSync, openSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { CompiledQuery, Kysely, Migrator, PostgresAdapter, PostgresDialect, SqliteDialect, sql, type Generated, type SqliteDatabase } from 'kysely';
import pg from 'pg';
import { DEFAULT_POSTGRES_POOL_SIZE, DEFAULT_POSTGRES_POOL_TIMEOUT_MS, type StorageConfig } from './collectorConfig';
import { collectorMigrations } from './migrations/collectorMigrations';

export interface DevicesTable {
  device_id: string;
  public_key_pem: string;
  device_name: string;
  enrollment_method: 'access-token' | 'enrollment-code';
  enrolled_by: string | null;
  enrolled_at: number;
  acknowledged_seq: number;
  acknowledged_link: string;
  last_seen_at: number | null;
}

export interface EventsTable {
  device_id: string;
  seq: number;
  body: string;
  link: string;
  received_at: number;
  /** Copied from the verified body at ingest, so the console can query without parsing. */
  session_code: string | null;
  subject: string | null;
  type: string | null;
  recorded_at: number | null;
}

/** One VA session (one sign-in, one watermark code) on one device, kept current at ingest. */
export interface SessionsTable {
  device_id: string;
  code: string;
  subject: string | null;
  started_at: number;
  ended_at: number | null;
  last_event_at: number;
  first_seq: number;
  last_seq: number;
  events: number;
  blocks: number;
  locks: number;
  review_status: Generated<'not-reviewed' | 'reviewed' | 'flagged'>;
  review_note: string | null;
  reviewed_by: string | null;
  reviewed_at: number | null;
}

export interface SessionAppsTable {
  device_id: string;
  code: string;
  app_id: string;
}

export interface ConsoleSessionsTable {
  id_hash: string;
  subject: string;
  name: string;
  email: string;
  /** JSON array of console roles. */
  roles: string;
  mfa: string;
  csrf_token: string;
  id_token: string;
  created_at: number;
  last_seen_at: number;
  expires_at: number;
}

export interface ConsoleLoginsTable {
  id_hash: string;
  state: string;
  nonce: string;
  code_verifier: string;
  created_at: number;
}

export interface AccessLogTable {
  seq: number;
  body: string;
  link: string;
  signature: string;
  key_id: string;
}

export interface RequestNoncesTable {
  device_id: string;
  nonce: string;
  expires_at: number;
}

export interface AlertsTable {
  id: Generated<number>;
  device_id: string | null;
  kind: string;
  seq: number | null;
  detected_at: number;
  detail: string;
  status: Generated<'open' | 'acknowledged' | 'resolved'>;
  note: string | null;
  handled_by: string | null;
  handled_at: number | null;
  /** The client address of the request that raised it (the balancer's, behind one). */
  source_address: string | null;
  /** How many times it was raised within the folding window (ALERT_FOLD_WINDOW_MS). */
  occurrences: Generated<number>;
  /** When it was last raised again; null while it happened once. */
  last_detected_at: number | null;
}

/** A device's signed statement that its chain had `link` at `seq` (one per accepted batch). */
export interface CheckpointsTable {
  device_id: string;
  seq: number;
  link: string;
  signature: string;
}

export interface EnrollmentCodesTable {
  code_hash: string;
  created_at: number;
  expires_at: number;
  used_at: number | null;
  used_by_device: string | null;
}

export interface CollectorDatabase {
  devices: DevicesTable;
  events: EventsTable;
  request_nonces: RequestNoncesTable;
  alerts: AlertsTable;
  enrollment_codes: EnrollmentCodesTable;
  checkpoints: CheckpointsTable;
  sessions: SessionsTable;
  session_apps: SessionAppsTable;
  console_sessions: ConsoleSessionsTable;
  console_logins: ConsoleLoginsTable;
  access_log: AccessLogTable;
}

const PG_INT8 = 20;

/**
 * Prepared statements kept per SQLite connection (least recently used dropped first), and
 * the longest SQL text kept: a statement takes memory in proportion to its text (a
 * 1000-row insert, about 0.8 MB), so one-off long shapes are prepared and let go.
 */
const SQLITE_STATEMENT_CACHE = { entries: 100, maxSqlLength: 4096 };

/**
 * Kysely's SQLite driver prepares every statement anew; this hands it the statement it
 * prepared last time for the same SQL text (the collector runs a few dozen shapes over and
 * over, and preparing a 1000-row insert costs more than running it). Kysely holds the one
 * connection for each query or transaction, so a statement is never in use twice at once.
 */
function reusingStatements(db: Database.Database): SqliteDatabase {
  const cache = new Map<string, Database.Statement>();
  return {
    close: () => db.close(),
    prepare: (text) => {
      if (text.length > SQLITE_STATEMENT_CACHE.maxSqlLength) return db.prepare(text);
      const statement = cache.get(text) ?? db.prepare(text);
      // Most recently used last, so the first key is the one to drop.
      cache.delete(text);
      cache.set(text, statement);
      if (cache.size > SQLITE_STATEMENT_CACHE.entries) cache.delete(cache.keys().next().value as string);
      return statement;
    },
  };
}

function sqliteDialect(file: string): SqliteDialect {
  mkdirSync(path.dirname(path.resolve(file)), { recursive: true, mode: 0o700 });
  closeSync(openSync(file, 'a', 0o600));
  chmodSync(file, 0o600);
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  // An acknowledgement tells the device it may purge: it must survive a power cut.
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  // `collector issue-code` writes while a running collector holds the file.
  db.pragma('busy_timeout = 5000');
  return new SqliteDialect({ database: reusingStatements(db) });
}

function postgresDialect(storage: Extract<StorageConfig, { kind: 'postgres' }>): PostgresDialect {
  const { url, schema } = storage;
  const pool = new pg.Pool({
    connectionString: url,
    max: storage.poolSize ?? DEFAULT_POSTGRES_POOL_SIZE,
    // A request waits this long for a connection, then is shed (storageOverloaded: 503).
    connectionTimeoutMillis: storage.poolTimeoutMs ?? DEFAULT_POSTGRES_POOL_TIMEOUT_MS,
    ...(schema === undefined ? {} : { options: `-c search_path=${schema}` }),
    // bigint columns hold sequence numbers and millisecond times, all below 2^53.
    types: { getTypeParser: (oid: number, format?: 'text' | 'binary') => (oid === PG_INT8 ? Number : pg.types.getTypeParser(oid, format as 'text')) },
  });
  // An idle connection dropped by the server must not crash the collector; the next
  // query reconnects (and /health reports the outage meanwhile).
  pool.on('error', (error) => console.error(`collector: PostgreSQL connection lost: ${error.message}`));
  return new PostgresDialect({ pool });
}

// PostgreSQL: too many connections, starting up or shutting down, lock or serialization
// conflicts, deadlock; SQLite: another writer held the file past busy_timeout.
const OVERLOAD_CODES = new Set(['53300', '57P03', '55P03', '40001', '40P01', 'SQLITE_BUSY', 'SQLITE_LOCKED']);
// pg-pool's and pg's words when no connection could be had in time (they carry no code).
const OVERLOAD_MESSAGES = /timeout exceeded when trying to connect|connection timeout/i;

/**
 * Whether a storage error means "too busy right now" rather than a bug: such requests
 * are shed with 503 + Retry-After (devices keep their events and come back later).
 */
export function storageOverloaded(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = 'code' in error ? String(error.code) : '';
  return OVERLOAD_CODES.has(code) || OVERLOAD_MESSAGES.test(error.message);
}

/** Every column of an event row, in the order the bulk insert binds them (PostgreSQL's array types beside). */
const EVENT_COLUMNS = [
  ['device_id', 'text'],
  ['seq', 'bigint'],
  ['body', 'text'],
  ['link', 'text'],
  ['received_at', 'bigint'],
  ['session_code', 'text'],
  ['subject', 'text'],
  ['type', 'text'],
  ['recorded_at', 'bigint'],
] as const satisfies readonly (readonly [keyof EventsTable, 'text' | 'bigint'])[];
const EVENT_COLUMN_LIST = EVENT_COLUMNS.map(([column]) => column).join(', ');
/** PostgreSQL: one array parameter per column, so one statement shape whatever the row count. */
const POSTGRES_EVENT_INSERT = `insert into events (${EVENT_COLUMN_LIST}) select * from unnest(${EVENT_COLUMNS.map(([, type], i) => `$${i + 1}::${type}[]`).join(', ')})`;
/** SQLite: rows per multi-row VALUES statement; a batch's rows past the last full chunk go one by one. */
const SQLITE_EVENT_CHUNK = 100;
const sqliteEventInsert = (rows: number) => `insert into events (${EVENT_COLUMN_LIST}) values ${Array.from({ length: rows }, () => `(${EVENT_COLUMNS.map(() => '?').join(', ')})`).join(', ')}`;
const SQLITE_EVENT_INSERTS = { chunk: sqliteEventInsert(SQLITE_EVENT_CHUNK), single: sqliteEventInsert(1) };

/**
 * Stores event rows (inside the caller's transaction) with SQL written once per shape. The
 * query builder turns each of a 1000-event batch's 9000 values into nodes to compile, which
 * costs more than the database's own insert; SQLite then reuses the two prepared shapes.
 */
export async function insertEvents(db: Kysely<CollectorDatabase>, rows: readonly EventsTable[]): Promise<void> {
  if (rows.length === 0) return;
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    await db.executeQuery(CompiledQuery.raw(POSTGRES_EVENT_INSERT, EVENT_COLUMNS.map(([column]) => rows.map((row) => row[column]))));
    return;
  }
  const full = rows.length - (rows.length % SQLITE_EVENT_CHUNK);
  for (let i = 0; i < rows.length; i += i < full ? SQLITE_EVENT_CHUNK : 1) {
    const chunk = i < full ? rows.slice(i, i + SQLITE_EVENT_CHUNK) : [rows[i] as EventsTable];
    await db.executeQuery(CompiledQuery.raw(i < full ? SQLITE_EVENT_INSERTS.chunk : SQLITE_EVENT_INSERTS.single, chunk.flatMap((row) => EVENT_COLUMNS.map(([column]) => row[column]))));
  }
}

/**
 * Records a request nonce; false when the device already used it. Its commit does not wait
 * for the disk: it is durable once any later commit is (SQLite's and PostgreSQL's WAL are
 * each written in order and flushed up to the flushing commit), and that is enough here. A
 * nonce matters only while its request could still count, and a batch's events commit
 * durably after its nonce; a request that changed nothing changes nothing if replayed after
 * a power cut either. The events' own commits keep waiting for the disk.
 */
export async function insertNonce(db: Kysely<CollectorDatabase>, row: RequestNoncesTable): Promise<boolean> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    // One round trip: set_config(…, true) is SET LOCAL, and PostgreSQL applies the setting
    // in effect when this statement's own transaction commits.
    const result = await sql`insert into request_nonces (device_id, nonce, expires_at) select ${row.device_id}, ${row.nonce}, ${row.expires_at} where set_config('synchronous_commit', 'off', true) = 'off' on conflict (device_id, nonce) do nothing`.execute(db);
    return result.numAffectedRows === 1n;
  }
  // SQLite's one connection, held so that no other statement commits with the lighter setting.
  return db.connection().execute(async (connection) => {
    await sql`pragma synchronous = NORMAL`.execute(connection);
    try {
      const result = await connection.insertInto('request_nonces').values(row).onConflict((oc) => oc.columns(['device_id', 'nonce']).doNothing()).executeTakeFirst();
      return result.numInsertedOrUpdatedRows === 1n;
    } finally {
      await sql`pragma synchronous = FULL`.execute(connection);
    }
  });
}

/** Opens the database and applies pending migrations; fails (and closes) if either fails. */
export async function openDatabase(storage: StorageConfig): Promise<Kysely<CollectorDatabase>> {
  if (storage.kind === 'postgres' && storage.schema !== undefined && !/^[a-z_][a-z0-9_]{0,62}$/.test(storage.schema)) {
    throw new Error(`PostgreSQL schema name '${storage.schema}' must be lowercase letters, digits and underscores`);
  }
  const db = new Kysely<CollectorDatabase>({ dialect: storage.kind === 'sqlite' ? sqliteDialect(storage.file) : postgresDialect(storage) });
  try {
    if (storage.kind === 'postgres' && storage.schema !== undefined) await sql`create schema if not exists ${sql.id(storage.schema)}`.execute(db);
    // Kysely looks for its migration tables in every schema unless told which: name the one
    // in use, or another schema's (another collector's, another app's) would count.
    const migrationTableSchema = storage.kind === 'postgres' ? (await sql<{ schema: string }>`select current_schema() as schema`.execute(db)).rows[0]?.schema : undefined;
    const { error } = await new Migrator({ db, provider: collectorMigrations(storage.kind), ...(migrationTableSchema === undefined ? {} : { migrationTableSchema }) }).migrateToLatest();
    if (error !== undefined) throw error instanceof Error ? error : new Error(String(error));
    return db;
  } catch (error) {
    await db.destroy();
    throw error;
  }
}
