// `npm run collector -- import-training FILE`: the compliance officer's training CSV from a
// terminal, as exportCli's verbs answer: an exit code and lines for collectorMain to print.
// 0 imported, 1 refused (every problem listed, nothing stored), 2 the file cannot be read,
// 3 the collector key file is missing. Either way the attempt is in the console access log
// under `command line (<login>)`, signed with the collector key.
import { existsSync, readFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import path from 'node:path';
import type { StorageConfig } from '../collectorConfig';
import { CollectorStore } from '../collectorStore';
import { AccessLog, loadOrCreateCollectorKey } from '../console/accessLog';
import type { CliAnswer } from '../export/exportCli';
import type { PracticePolicySource } from './practicePolicy';
import { importProblemLine } from '../../common/console/consoleApi';
import { describeImport, importTraining } from './trainingImport';

export interface ImportTrainingOptions {
  storage: StorageConfig;
  /** The collector key file (the console's --console-key-file): it signs the access log. */
  keyFile: string;
  /** The CSV to import. */
  file: string;
  /** The practice's signed policy, to check course ids against; null: their form only. */
  policy: PracticePolicySource | null;
  now?: number;
}

export async function runImportTraining(options: ImportTrainingOptions): Promise<CliAnswer> {
  // A new key would sign an access log entry no one can check against the practice's.
  if (!existsSync(options.keyFile)) return { exitCode: 3, lines: [`import-training: the collector key file ${path.resolve(options.keyFile)} does not exist; give the key file the collector's console uses`] };
  let text: string;
  try {
    text = readFileSync(options.file, 'utf8');
  } catch (error) {
    return { exitCode: 2, lines: [`import-training: cannot read ${options.file}: ${error instanceof Error ? error.message : String(error)}`] };
  }
  const source = path.basename(options.file);
  const now = options.now ?? Date.now();
  const by = `command line (${userInfo().username})`;
  const store = await CollectorStore.open(options.storage);
  try {
    const outcome = await importTraining(store.database, options.policy, { text, source, by, now });
    const entry = await new AccessLog(store.database, loadOrCreateCollectorKey(options.keyFile)).append({ actor: by, action: 'import-training', outcome: outcome.ok ? 'success' : 'refused', target: describeImport(source, outcome) }, now);
    const recorded = `Recorded in the console access log (entry ${entry}).`;
    if (outcome.ok) return { exitCode: 0, lines: [`import-training: ${describeImport(source, outcome)}`, ...outcome.notes.map((note) => `note: ${note}`), recorded] };
    const more = outcome.moreProblems === 0 ? [] : [`… and ${outcome.moreProblems} more problem${outcome.moreProblems === 1 ? '' : 's'}`];
    return { exitCode: 1, lines: [`import-training: ${describeImport(source, outcome)}`, ...outcome.problems.map((problem) => `  ${importProblemLine(problem)}`), ...more, recorded] };
  } finally {
    await store.close();
  }
}
