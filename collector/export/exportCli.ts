// The collector's export verbs for a terminal: `export` writes what the console's Export
// control would download (same filters, same schema, same access-log entry), and
// `verify-export` checks an evidence package folder. Each returns its exit code and lines
// for collectorMain to print: 0 done, 1 refused, 2 bad arguments, 3 files or storage
// unreadable (verify-export adds 4: intact, but the signer was not confirmed with --key).
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { userInfo } from 'node:os';
import path from 'node:path';
import { exportQuerySchema } from '../../common/console/consoleApi';
import type { StorageConfig } from '../collectorConfig';
import { CollectorStore } from '../collectorStore';
import { AccessLog, loadOrCreateCollectorKey } from '../console/accessLog';
import { describeIssues } from '../validationMessage';
import { EVIDENCE_FILES } from './evidenceFormat';
import { verifyAndDescribe } from './evidenceVerifier';
import { exportEvents } from './exportService';

export interface ExportCliOptions {
  storage: StorageConfig;
  /** The collector's key file (the console's --console-key-file): it signs the access log and the package. */
  keyFile: string;
  /** As the console sends them: format, and the sessions list's filters (user, device, from, to, hasAlerts, notReviewed, code). */
  query: Record<string, string>;
  /** A file (csv, fhir-*), or a folder that must not exist yet (evidence). */
  out: string;
  /** The practice IdP's issuer URL, which scopes user subjects in FHIR. */
  issuer?: string;
  now?: number;
}

export interface CliAnswer {
  exitCode: number;
  lines: string[];
}

export async function runExport(options: ExportCliOptions): Promise<CliAnswer> {
  const parsed = exportQuerySchema.safeParse(options.query);
  if (!parsed.success) return { exitCode: 2, lines: [`export: ${describeIssues(parsed.error, 'messages')}`] };
  // A new key would sign a package nobody can check against the practice's: never create one here.
  if (!existsSync(options.keyFile)) return { exitCode: 3, lines: [`export: the collector key file ${path.resolve(options.keyFile)} does not exist; give the key file the collector's console uses`] };
  const out = path.resolve(options.out);
  if (existsSync(out)) return { exitCode: 3, lines: [`export: ${out} already exists; name a new ${parsed.data.format === 'evidence' ? 'folder' : 'file'}`] };

  const key = loadOrCreateCollectorKey(options.keyFile);
  const store = await CollectorStore.open(options.storage);
  try {
    const now = options.now ?? Date.now();
    const { format, ...filters } = parsed.data;
    const actor = `command line (${userInfo().username})`;
    const exported = await exportEvents({ db: store.database, key, issuer: options.issuer ?? null }, { format, filters, actor: { subject: null, display: actor }, now });
    const accessLog = new AccessLog(store.database, key);
    const entry = await accessLog.append({ actor, action: 'export-events', outcome: exported.ok ? 'success' : 'refused', target: exported.summary }, now);
    if (!exported.ok) return { exitCode: 1, lines: [`export: ${exported.message}`, `Recorded in the console access log (entry ${entry}).`] };
    if (exported.output.kind === 'file') {
      await writeFile(out, exported.output.content, { flag: 'wx', mode: 0o600 });
      return { exitCode: 0, lines: [`Exported ${exported.summary} to ${out}.`, `Recorded in the console access log (entry ${entry}).`] };
    }
    await mkdir(out, { mode: 0o700 });
    for (const [name, bytes] of exported.output.files) await writeFile(path.join(out, name), bytes, { flag: 'wx', mode: 0o600 });
    return {
      exitCode: 0,
      lines: [
        `Exported ${exported.summary} to ${out}.`,
        `Recorded in the console access log (entry ${entry}).`,
        `Give the auditor the collector key id ${key.keyId} separately from the package; they check it with: node ${path.join(out, EVIDENCE_FILES.verifier)} --key ${key.keyId}`,
      ],
    };
  } finally {
    await store.close();
  }
}

/** `verify-export DIR [--key ID|PEM]`: the same checks as the package's own verify-evidence.mjs. */
export function runVerifyExport(dir: string, options: { key?: string } = {}): Promise<CliAnswer> {
  return verifyAndDescribe(path.resolve(dir), options.key === undefined ? {} : { trustedKey: options.key });
}
