// Disposed rows must not stay readable in the database files. SQLite: secure_delete zeroes
// freed content as rows are deleted; VACUUM then rebuilds the file from the live rows only,
// and a TRUNCATE checkpoint writes the WAL back and empties it (the WAL still held the old
// pages). PostgreSQL: a DELETE only marks tuples dead and a plain VACUUM leaves their bytes in
// the page's free space, so the affected tables are rewritten with VACUUM FULL (new files
// with only the live tuples, indexes rebuilt, the old files unlinked). VACUUM FULL locks each
// table while it runs: ingest meanwhile is shed with 503 and devices retry, losing nothing.
// What neither engine controls: PostgreSQL's WAL segments and archive, and backups, keep
// copies until they are recycled or expire (the README says so).
import { sql, type Kysely } from 'kysely';
import type { CollectorDatabase } from '../database';
import type { StorageKind } from '../migrations/collectorMigrations';

const CHECKPOINT_ATTEMPTS = 10;
const CHECKPOINT_RETRY_MS = 200;

/** Before deleting: SQLite overwrites what a deletion frees (per connection; harmless to leave on). */
export async function startSecureDelete(db: Kysely<CollectorDatabase>, storage: StorageKind): Promise<void> {
  if (storage === 'sqlite') await sql`pragma secure_delete = on`.execute(db);
}

/** After deleting from `tables`: leaves no readable copy in the database files; says what it did. */
export async function eraseDeleted(db: Kysely<CollectorDatabase>, storage: StorageKind, tables: readonly string[]): Promise<string> {
  if (storage === 'postgres') {
    await sql`vacuum (full) ${sql.join(tables.map((t) => sql.table(t)))}`.execute(db);
    return `the tables ${tables.join(', ')} were rewritten (VACUUM FULL): the disposed rows are not in the database files`;
  }
  await sql`vacuum`.execute(db);
  // Another connection reading (a running collector while the command line disposes) can
  // hold the checkpoint back for a moment.
  for (let attempt = 1; ; attempt += 1) {
    const { rows } = await sql<{ busy: number; log: number; checkpointed: number }>`pragma wal_checkpoint(truncate)`.execute(db);
    const result = rows[0];
    if (result !== undefined && Number(result.busy) === 0) return 'the database file was rebuilt (VACUUM) and its write-ahead log emptied: the disposed rows are not in the files';
    if (attempt >= CHECKPOINT_ATTEMPTS) return 'the database file was rebuilt (VACUUM), but another connection kept the write-ahead log from being emptied: old copies stay in the -wal file until the next checkpoint';
    await new Promise((resolve) => setTimeout(resolve, CHECKPOINT_RETRY_MS));
  }
}
