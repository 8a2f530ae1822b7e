// The collector's retention verbs for a terminal, as exportCli's: each returns its exit code
// and lines for collectorMain to print. 0 done, 1 refused or failed (another run holds the
// turn, a hold that cannot be released, a chain that does not verify), 2 bad arguments,
// 3 the key file is missing. Runs and hold changes are written to the console access log
// under `command line (<login>)`.
import { existsSync } from 'node:fs';
import { userInfo } from 'node:os';
import path from 'node:path';
import { checkRetentionConfig, RetentionSettingError, type RetentionConfig, type StorageConfig } from '../collectorConfig';
import { CollectorStore } from '../collectorStore';
import { AccessLog, loadOrCreateCollectorKey, type CollectorKey } from '../console/accessLog';
import type { CliAnswer } from '../export/exportCli';
import { describeIssues } from '../validationMessage';
import { runDisposal } from './disposal';
import { verifyDisposalRecords } from './disposalRecords';
import { describeDisposalRun, type DisposalRunResult } from './disposalResult';
import { activeHolds, holdRequestSchema, placeHold, releaseHold, type LegalHold } from './legalHolds';
import { verifyRetainedChain } from './retainedChain';
import { retentionStatus } from './retentionStatus';

export interface RetentionCliOptions {
  storage: StorageConfig;
  /** The collector key file (the console's --console-key-file): it signs records and the access log. */
  keyFile: string;
  now?: number;
}

/** The retention settings as the collector runs with them (the key file is the option's). */
export type RetentionSettings = Omit<RetentionConfig, 'keyFile'>;

const commandLine = () => `command line (${userInfo().username})`;

/** The collector's key: never created here, where a new one would sign what no one can check. */
function existingKey(verb: string, keyFile: string): CollectorKey | CliAnswer {
  if (!existsSync(keyFile)) return { exitCode: 3, lines: [`${verb}: the collector key file ${path.resolve(keyFile)} does not exist; give the key file the collector's console uses`] };
  return loadOrCreateCollectorKey(keyFile);
}

async function withStore<T>(storage: StorageConfig, work: (store: CollectorStore) => Promise<T>): Promise<T> {
  const store = await CollectorStore.open(storage);
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}

/** The access log's one line for a run: counts only. */
function runSummary(result: DisposalRunResult): string {
  const events = result.events.reduce((sum, e) => sum + e.count, 0);
  const parts = [
    `${events} events of ${result.events.length} devices`,
    `${result.alerts?.count ?? 0} alerts`,
    `${(result.reviews?.removed ?? 0) + (result.reviews?.cleared ?? 0)} reviews`,
    `${result.accessLog?.count ?? 0} access log entries`,
  ];
  const held = result.blocked.length === 0 ? '' : `; kept under legal hold: ${result.blocked.map((b) => b.what).join(', ')}`;
  return `${parts.join(', ')}${held}${result.error === null ? '' : `; stopped: ${result.error}`}`;
}

/** `dispose [--dry-run]`: one disposal run now, with the configured periods. */
export async function runDispose(options: RetentionCliOptions & { retention: RetentionSettings; dryRun?: boolean }): Promise<CliAnswer> {
  let notes: string[];
  try {
    notes = checkRetentionConfig({ ...options.retention, keyFile: options.keyFile });
  } catch (error) {
    if (error instanceof RetentionSettingError) return { exitCode: 2, lines: [`dispose: ${error.message}`] };
    throw error;
  }
  const key = existingKey('dispose', options.keyFile);
  if ('exitCode' in key) return key;
  return withStore(options.storage, async (store) => {
    const now = options.now ?? Date.now();
    const by = commandLine();
    const result = await runDisposal({ db: store.database, storage: options.storage.kind, key }, options.retention, { now, by, dryRun: options.dryRun === true });
    const lines = [...notes.map((note) => `note: ${note}`), ...describeDisposalRun(result)];
    if (result.skipped !== null) return { exitCode: 1, lines };
    if (!result.dryRun) {
      const entry = await new AccessLog(store.database, key).append({ actor: by, action: 'dispose', outcome: result.error === null ? 'success' : 'refused', target: runSummary(result) }, now);
      lines.push(`Recorded in the console access log (entry ${entry}).`);
    }
    return { exitCode: result.error === null ? 0 : 1, lines };
  });
}

const describeHold = (hold: LegalHold) =>
  `#${hold.id} on ${hold.kind === 'user' ? 'VA' : 'device'} ${hold.target}, placed ${hold.placedAt} by ${hold.placedBy}: ${hold.reason}${hold.releasedAt === null ? '' : ` (released ${hold.releasedAt} by ${hold.releasedBy ?? ''})`}`;

export type LegalHoldAction = { action: 'place'; kind: string; target: string; reason: string } | { action: 'release'; holdId: string } | { action: 'list' };

/** `legal-hold place --user SUBJECT|--device ID --reason TEXT`, `legal-hold release ID`, `legal-hold list`. */
export async function runLegalHold(options: RetentionCliOptions & LegalHoldAction): Promise<CliAnswer> {
  if (options.action === 'list') {
    const holds = await withStore(options.storage, (store) => activeHolds(store.database));
    return { exitCode: 0, lines: holds.length === 0 ? ['no legal hold is active'] : holds.map(describeHold) };
  }
  const by = commandLine();
  const request = options.action === 'place' ? holdRequestSchema.safeParse({ kind: options.kind, target: options.target, reason: options.reason, by }) : null;
  if (request?.success === false) return { exitCode: 2, lines: [`legal-hold place: ${describeIssues(request.error, 'messages')}`] };
  const holdId = options.action === 'release' && /^\d{1,12}$/.test(options.holdId) ? Number(options.holdId) : null;
  if (options.action === 'release' && holdId === null) return { exitCode: 2, lines: [`legal-hold release: the hold id must be a whole number, got '${options.holdId}'`] };
  const key = existingKey(`legal-hold ${options.action}`, options.keyFile);
  if ('exitCode' in key) return key;
  return withStore(options.storage, async (store) => {
    const now = options.now ?? Date.now();
    const result = request === null ? await releaseHold(store.database, holdId as number, by, now) : await placeHold(store.database, request.data, now);
    const action = `legal-hold-${options.action}`;
    const target = result.ok ? `#${result.hold.id} on ${result.hold.kind} ${result.hold.target}` : request === null ? `#${holdId ?? ''}` : `${request.data.kind} ${request.data.target}`;
    const entry = await new AccessLog(store.database, key).append({ actor: by, action, outcome: result.ok ? 'success' : 'refused', target }, now);
    const recorded = `Recorded in the console access log (entry ${entry}).`;
    if (!result.ok) return { exitCode: 1, lines: [`legal-hold ${options.action}: ${result.message}`, recorded] };
    return { exitCode: 0, lines: [`${options.action === 'place' ? 'Placed' : 'Released'} legal hold ${describeHold(result.hold)}`, recorded] };
  });
}

/** `retention [--verify]`: the periods, schedule, last run and holds; with verify, every kept chain checked. */
export async function runRetentionStatus(options: RetentionCliOptions & { retention: RetentionSettings; verify?: boolean }): Promise<CliAnswer> {
  const key = options.verify === true ? existingKey('retention --verify', options.keyFile) : null;
  if (key !== null && 'exitCode' in key) return key;
  return withStore(options.storage, async (store) => {
    const now = options.now ?? Date.now();
    const status = await retentionStatus(store.database, options.retention, now);
    const { periods } = status;
    const lines = [
      `retention: events ${periods.events.period}, alerts ${periods.alerts.period}, reviews ${periods.reviews.period}, access log ${periods.accessLog.period}`,
      status.interval === null ? 'automatic disposal is off' : `automatic disposal every ${status.interval}; next due ${status.nextRunAt ?? ''}${status.runningSince === null ? '' : `; a run is under way since ${status.runningSince}`}`,
      ...(status.lastRun === null ? ['no disposal has run yet'] : [`last run ${status.lastRun.startedAt} by ${status.lastRun.by}:`, ...describeDisposalRun(status.lastRun).map((line) => `  ${line}`)]),
      ...(status.holds.length === 0 ? ['no legal hold is active'] : ['legal holds:', ...status.holds.map((hold) => `  ${describeHold(hold)}`)]),
    ];
    if (key === null) return { exitCode: 0, lines };
    let intact = true;
    for (const device of await store.devices()) {
      const check = await verifyRetainedChain(store.database, key, device.deviceId);
      intact &&= check.intact;
      const kept = check.disposedThrough === 0 ? `events 1..${check.headSeq}` : `events ${check.disposedThrough + 1}..${check.headSeq} (1..${check.disposedThrough} disposed by record)`;
      lines.push(check.intact ? `device ${device.deviceName} (${device.deviceId}): ${kept} verify${check.headSigned ? ' up to its signed checkpoint' : ''}` : `device ${device.deviceName} (${device.deviceId}): NOT INTACT: ${check.problem ?? ''}`);
    }
    for (const [name, check] of [['console access log', await new AccessLog(store.database, key).verify()], ['disposal records', await verifyDisposalRecords(store.database, key)]] as const) {
      intact &&= check.intact;
      lines.push(check.intact ? `${name}: ${check.entries} entries verify${check.disposedThrough === 0 ? '' : ` (1..${check.disposedThrough} disposed by record)`}` : `${name}: NOT INTACT: ${check.problem ?? ''}`);
    }
    return { exitCode: intact ? 0 : 1, lines };
  });
}
