// One training import, the same from the console and the command line: the CSV checked row
// by row against the practice policy's courses, then stored whole or not at all. The answer
// says what changed or every problem found; its one-line summary is what the access log
// records (the file's name and counts, never its rows).
import type { Kysely } from 'kysely';
import type { TrainingImportProblem, TrainingImportSummary } from '../../common/console/consoleApi';
import type { CollectorDatabase } from '../database';
import { readPracticePolicy, type PracticePolicySource } from './practicePolicy';
import { MAX_REPORTED_PROBLEMS, parseTrainingCsv } from './trainingCsv';
import { storeImport } from './trainingRecords';

export interface TrainingImportRequest {
  text: string;
  /** The file's name, as given. */
  source: string;
  /** Who imports, as the access log names them. */
  by: string;
  now: number;
}

export type TrainingImportOutcome =
  | { ok: true; summary: TrainingImportSummary; notes: string[] }
  | { ok: false; rows: number; problems: TrainingImportProblem[]; moreProblems: number };

/** Without a policy the collector can check a course id's form, not that the practice requires the course. */
export const NO_POLICY_NOTE = "course ids were checked for their form only: the collector was not given the practice's policy (--policy and --policy-key)";

export async function importTraining(db: Kysely<CollectorDatabase>, policy: PracticePolicySource | null, request: TrainingImportRequest): Promise<TrainingImportOutcome> {
  const refuse = (rows: number, problems: TrainingImportProblem[]): TrainingImportOutcome => ({ ok: false, rows, problems: problems.slice(0, MAX_REPORTED_PROBLEMS), moreProblems: Math.max(0, problems.length - MAX_REPORTED_PROBLEMS) });
  const practice = policy === null ? null : readPracticePolicy(policy, request.now);
  // A policy that cannot be read leaves the file unchecked: nothing is imported on a guess.
  if (practice !== null && !practice.ok) return refuse(0, [{ row: null, column: null, message: `the courses cannot be checked: ${practice.problem}` }]);
  const courses = practice === null ? null : new Map((practice.policy.training?.courses ?? []).map((course) => [course.id, course.title]));
  const parsed = parseTrainingCsv(request.text, { courses, today: new Date(request.now).toISOString().slice(0, 10) });
  if (!parsed.ok) return refuse(parsed.rows, parsed.problems);
  const stored = await storeImport(db, parsed.rows, { source: request.source, by: request.by, now: request.now });
  if (!stored.ok) return refuse(parsed.rows.length, stored.problems);
  return { ok: true, summary: stored.summary, notes: practice === null ? [NO_POLICY_NOTE] : [] };
}

/** The outcome in one line: the access log's target and the command line's first line. */
export function describeImport(source: string, outcome: TrainingImportOutcome): string {
  if (!outcome.ok) {
    const count = outcome.problems.length + outcome.moreProblems;
    return `${source}: refused, ${count} problem${count === 1 ? '' : 's'} in ${outcome.rows} row${outcome.rows === 1 ? '' : 's'}; nothing was imported`;
  }
  const { id, rows, added, updated, unchanged, revoked } = outcome.summary;
  return `${source}: import #${id}, ${rows} row${rows === 1 ? '' : 's'}: ${added} added, ${updated} updated, ${unchanged} already on record, ${revoked} revoked`;
}
