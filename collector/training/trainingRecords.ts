// The training records of migration 0007, declared beside the only code that uses them:
// each VA's completions (what a device's status answer carries, what the console judges),
// and the import that stores a checked CSV in one transaction, so a file goes in whole or
// not at all.
import type { Generated, Kysely, Transaction } from 'kysely';
import type { TrainingImportProblem, TrainingImportSummary } from '../../common/console/consoleApi';
import type { TrainingCompletion } from '../../common/gates/trainingStanding';
import type { CollectorDatabase } from '../database';
import type { TrainingRow } from './trainingCsv';

interface TrainingImportsTable {
  id: Generated<number>;
  imported_at: number;
  imported_by: string;
  source: string;
  rows: number;
  added: number;
  updated: number;
  unchanged: number;
  revoked: number;
}

interface TrainingCompletionsTable {
  subject: string;
  course_id: string;
  completed_on: string;
  expires_on: string | null;
  import_id: number;
  imported_at: number;
}

type TrainingTables = { training_imports: TrainingImportsTable; training_completions: TrainingCompletionsTable };
export type TrainingDatabase = CollectorDatabase & TrainingTables;

export function trainingDatabase(db: Kysely<CollectorDatabase>): Kysely<TrainingDatabase> {
  return db.withTables<TrainingTables>();
}

/** A VA's completions as recorded (the device judges them against its own policy). */
export async function completionsOf(db: Kysely<CollectorDatabase>, subject: string): Promise<TrainingCompletion[]> {
  const rows = await trainingDatabase(db).selectFrom('training_completions').select(['course_id', 'completed_on', 'expires_on']).where('subject', '=', subject).orderBy('course_id').orderBy('completed_on').execute();
  return rows.map((r) => ({ course: r.course_id, completedOn: r.completed_on, expiresOn: r.expires_on }));
}

/** Every VA's completions, by subject. */
export async function allCompletions(db: Kysely<CollectorDatabase>): Promise<Map<string, TrainingCompletion[]>> {
  const rows = await trainingDatabase(db).selectFrom('training_completions').select(['subject', 'course_id', 'completed_on', 'expires_on']).orderBy('subject').orderBy('course_id').orderBy('completed_on').execute();
  const bySubject = new Map<string, TrainingCompletion[]>();
  for (const r of rows) {
    const list = bySubject.get(r.subject) ?? [];
    list.push({ course: r.course_id, completedOn: r.completed_on, expiresOn: r.expires_on });
    bySubject.set(r.subject, list);
  }
  return bySubject;
}

/** The latest imports, newest first. */
export async function recentImports(db: Kysely<CollectorDatabase>, limit: number): Promise<TrainingImportSummary[]> {
  const rows = await trainingDatabase(db).selectFrom('training_imports').selectAll().orderBy('id', 'desc').limit(limit).execute();
  return rows.map(summaryOf);
}

function summaryOf(row: Omit<TrainingImportsTable, 'id'> & { id: number }): TrainingImportSummary {
  const { id, source, rows, added, updated, unchanged, revoked } = row;
  return { id, source, importedAt: new Date(row.imported_at).toISOString(), importedBy: row.imported_by, rows, added, updated, unchanged, revoked };
}

/** Thrown inside the transaction so it rolls back: a revocation names a completion that is not on record. */
class NothingToRevoke extends Error {
  constructor(readonly problems: TrainingImportProblem[]) {
    super('revocations of completions not on record');
  }
}

export type StoredImport = { ok: true; summary: TrainingImportSummary } | { ok: false; problems: TrainingImportProblem[] };

async function storeRow(tx: Transaction<TrainingDatabase>, row: TrainingRow, importId: number, now: number): Promise<'added' | 'updated' | 'unchanged' | 'revoked' | 'not-on-record'> {
  const same = { subject: row.subject, course_id: row.course, completed_on: row.completedOn };
  const existing = await tx.selectFrom('training_completions').select('expires_on').where((eb) => eb.and(same)).executeTakeFirst();
  if (row.action === 'revoke') {
    if (existing === undefined) return 'not-on-record';
    await tx.deleteFrom('training_completions').where((eb) => eb.and(same)).execute();
    return 'revoked';
  }
  if (existing === undefined) {
    await tx.insertInto('training_completions').values({ ...same, expires_on: row.expiresOn, import_id: importId, imported_at: now }).execute();
    return 'added';
  }
  if (existing.expires_on === row.expiresOn) return 'unchanged';
  await tx.updateTable('training_completions').set({ expires_on: row.expiresOn, import_id: importId, imported_at: now }).where((eb) => eb.and(same)).execute();
  return 'updated';
}

/** Stores checked rows, all or none: a revocation of a completion not on record rolls the whole file back. */
export async function storeImport(db: Kysely<CollectorDatabase>, rows: readonly TrainingRow[], meta: { source: string; by: string; now: number }): Promise<StoredImport> {
  try {
    const summary = await trainingDatabase(db)
      .transaction()
      .execute(async (tx) => {
        const counts = { rows: rows.length, added: 0, updated: 0, unchanged: 0, revoked: 0 };
        const inserted = await tx.insertInto('training_imports').values({ imported_at: meta.now, imported_by: meta.by, source: meta.source, ...counts }).returning('id').executeTakeFirstOrThrow();
        const missing: TrainingImportProblem[] = [];
        for (const row of rows) {
          const outcome = await storeRow(tx, row, inserted.id, meta.now);
          if (outcome === 'not-on-record') missing.push({ row: row.row, column: 'action', message: `revokes a completion that is not on record (${row.subject}, ${row.course}, ${row.completedOn})` });
          else counts[outcome] += 1;
        }
        if (missing.length > 0) throw new NothingToRevoke(missing);
        await tx.updateTable('training_imports').set(counts).where('id', '=', inserted.id).execute();
        return summaryOf({ id: inserted.id, imported_at: meta.now, imported_by: meta.by, source: meta.source, ...counts });
      });
    return { ok: true, summary };
  } catch (error) {
    if (error instanceof NothingToRevoke) return { ok: false, problems: error.problems };
    throw error;
  }
}
