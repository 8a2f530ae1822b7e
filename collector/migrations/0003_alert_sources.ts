// Alerts say where a request came from and how often it repeated: a flood of one kind
// from one source against one device is one row with a count, not thousands of rows.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('alerts').addColumn('source_address', 'text').execute();
  await db.schema.alterTable('alerts').addColumn('occurrences', 'bigint', (c) => c.notNull().defaultTo(1)).execute();
  await db.schema.alterTable('alerts').addColumn('last_detected_at', 'bigint').execute();
  // Finding the row a repeat folds into: by kind and source, the newest first.
  await db.schema.createIndex('alerts_fold').on('alerts').columns(['kind', 'source_address', 'last_detected_at']).execute();
  // The newest rows of a kind, for the bound on rows from unauthenticated requests.
  await db.schema.createIndex('alerts_kind_time').on('alerts').columns(['kind', 'detected_at']).execute();
}
