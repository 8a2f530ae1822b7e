// `npm run collector -- access …`: IT revokes and reinstates devices and VAs, and sets or
// clears a VA's access end date, from a terminal, as the console's Access page does. Each
// verb returns its exit code and lines for collectorMain to print: 0 done, 1 refused (an
// unknown device, already revoked, not revoked), 2 bad arguments, 3 the collector key file
// is missing. Every change, refused or not, is in the console access log under
// `command line (<login>)`; the revocation records `cli:<login>`.
import { existsSync } from 'node:fs';
import { userInfo } from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import type { AccessRevocationRow } from '../../common/console/consoleApi';
import type { StorageConfig } from '../collectorConfig';
import { CollectorStore } from '../collectorStore';
import { AccessLog, loadOrCreateCollectorKey } from '../console/accessLog';
import type { CliAnswer } from '../export/exportCli';
import { accessLogTarget, accessPanel, describeTarget, reinstate, revoke, setUserAccessEnd, type AccessChangeOutcome } from './revocations';

export const ACCESS_VERBS = ['revoke-device', 'revoke-user', 'end-user', 'reinstate-device', 'reinstate-user', 'list'] as const;
export type AccessVerb = (typeof ACCESS_VERBS)[number];

/** `target`: the device id or the VA's subject; `endsAt` (end-user): when the VA's access ends, or null to clear it. */
export type AccessAction = { verb: 'list' } | { verb: Exclude<AccessVerb, 'list'>; target: string; endsAt?: number | null };

export interface AccessCliOptions {
  storage: StorageConfig;
  /** The collector key file (the console's --console-key-file): it signs the access log. */
  keyFile: string;
  now?: number;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const isoTime = z.iso.datetime({ offset: true });

/**
 * When `--on` says a VA's access ends: a date means 00:00 that day on this machine's clock
 * (the collector's local time), an ISO time with its offset means that moment. A string
 * says what is wrong.
 */
export function readAccessEnd(text: string): number | string {
  const date = DATE.exec(text);
  if (date !== null) {
    const [year, month, day] = [Number(date[1]), Number(date[2]), Number(date[3])];
    const midnight = new Date(year, month - 1, day);
    if (midnight.getFullYear() === year && midnight.getMonth() === month - 1 && midnight.getDate() === day) return midnight.getTime();
  } else if (isoTime.safeParse(text).success) return Date.parse(text);
  return `--on takes a date (YYYY-MM-DD: from 00:00 that day, local time) or an ISO time with its offset (2027-06-30T17:00:00-05:00), got '${text}'`;
}

const describeRow = (row: AccessRevocationRow): string => {
  const who = describeTarget(row.kind, row.target, row.deviceName);
  const what = row.reason === 'revoked' ? `revoked from ${row.effectiveAt}` : `access ends ${row.effectiveAt}`;
  const lifted = row.liftedAt === null ? '' : `; lifted ${row.liftedAt} by ${row.liftedBy ?? ''}`;
  return `#${row.id} ${who}: ${what} (by ${row.createdBy} at ${row.createdAt}${lifted})`;
};

async function list(storage: StorageConfig, now: number): Promise<CliAnswer> {
  const store = await CollectorStore.open(storage);
  try {
    const panel = await accessPanel(store.database, now);
    const section = (title: string, rows: AccessRevocationRow[], none: string) => (rows.length === 0 ? [none] : [title, ...rows.map((row) => `  ${describeRow(row)}`)]);
    return {
      exitCode: 0,
      lines: [
        ...section('revoked now:', panel.revoked, 'no device or VA is revoked'),
        ...section('access end dates ahead:', panel.scheduled, 'no access end date is set'),
        ...section('lifted (latest first):', panel.history, 'nothing has been reinstated or cleared'),
      ],
    };
  } finally {
    await store.close();
  }
}

function change(verb: Exclude<AccessVerb, 'list'>, db: CollectorStore['database'], target: string, endsAt: number | null, by: string, now: number): Promise<AccessChangeOutcome> {
  if (verb === 'revoke-device' || verb === 'revoke-user') return revoke(db, verb === 'revoke-device' ? 'device' : 'user', target, by, now);
  if (verb === 'reinstate-device' || verb === 'reinstate-user') return reinstate(db, verb === 'reinstate-device' ? 'device' : 'user', target, by, now);
  return setUserAccessEnd(db, target, endsAt, by, now);
}

export async function runAccess(options: AccessCliOptions & AccessAction): Promise<CliAnswer> {
  const now = options.now ?? Date.now();
  if (options.verb === 'list') return list(options.storage, now);
  const { verb, target } = options;
  const endsAt = options.endsAt ?? null;
  // A new key would sign an access log entry no one can check against the practice's.
  if (!existsSync(options.keyFile)) return { exitCode: 3, lines: [`access ${verb}: the collector key file ${path.resolve(options.keyFile)} does not exist; give the key file the collector's console uses`] };
  const login = userInfo().username;
  const store = await CollectorStore.open(options.storage);
  try {
    const outcome = await change(verb, store.database, target, endsAt, `cli:${login}`, now);
    const logged = accessLogTarget(verb.endsWith('device') ? 'device' : 'user', target, verb === 'end-user' ? endsAt : undefined);
    const action = verb === 'end-user' ? 'set-user-access-end' : verb;
    const entry = await new AccessLog(store.database, loadOrCreateCollectorKey(options.keyFile)).append({ actor: `command line (${login})`, action, outcome: outcome.ok ? 'success' : 'refused', target: logged }, now);
    const recorded = `Recorded in the console access log (entry ${entry}).`;
    if (!outcome.ok) return { exitCode: outcome.problem === 'invalid' ? 2 : 1, lines: [`access ${verb}: ${outcome.message}`, recorded] };
    const { changed, note } = outcome.change;
    return { exitCode: 0, lines: [...changed.map((row) => `${row.liftedAt === null ? 'In force' : 'Lifted'}: ${describeRow(row)}`), ...(note === null ? [] : [`note: ${note}`]), recorded] };
  } finally {
    await store.close();
  }
}
