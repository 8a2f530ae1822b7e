// Training records and agreement standing: each completion the compliance officer imported
// (CSV, console or command line), the imports themselves, and an index on the events the
// console reads agreement acceptances from (only agreement.accepted rows, so ingest of
// every other event does not pay for it).
import { sql, type Kysely } from 'kysely';
import type { StorageKind } from './collectorMigrations';

export async function up(db: Kysely<unknown>, kind: StorageKind): Promise<void> {
  await db.schema
    .createTable('training_imports')
    .addColumn('id', kind === 'sqlite' ? 'integer' : 'bigint', (c) => (kind === 'sqlite' ? c.primaryKey().autoIncrement() : c.primaryKey().generatedAlwaysAsIdentity()))
    .addColumn('imported_at', 'bigint', (c) => c.notNull())
    .addColumn('imported_by', 'text', (c) => c.notNull())
    // The file's name as given (never its content).
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('rows', 'integer', (c) => c.notNull())
    .addColumn('added', 'integer', (c) => c.notNull())
    .addColumn('updated', 'integer', (c) => c.notNull())
    .addColumn('unchanged', 'integer', (c) => c.notNull())
    .addColumn('revoked', 'integer', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('training_completions')
    // The VA's IdP subject, as devices record it.
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('course_id', 'text', (c) => c.notNull())
    // Calendar dates, YYYY-MM-DD: they sort as text.
    .addColumn('completed_on', 'text', (c) => c.notNull())
    .addColumn('expires_on', 'text')
    .addColumn('import_id', 'bigint', (c) => c.notNull())
    .addColumn('imported_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('training_completions_pk', ['subject', 'course_id', 'completed_on'])
    .execute();

  await db.schema.createIndex('events_agreement_accepted').on('events').columns(['subject', 'recorded_at']).where(sql.ref('type'), '=', 'agreement.accepted').execute();
}
