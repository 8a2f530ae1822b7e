// Starts Cordon's updating when the policy names a channel and a feed: the check at start
// and every few hours, with this installation's fixed rollout bucket. Electron's updater
// is loaded only then (electron-updater builds the platform's updater on first use), and
// the network fetch is Electron's, both passed in by main.
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { AuditSink } from '../../common/audit/auditSink';
import type { Policy } from '../../common/policy/policySchema';
import type { PolicyVerifier } from '../../common/policy/signedPolicy';
import { rolloutBucket, type FetchText } from './updateFeed';
import { UpdateService, type Updater, type UpdateState } from './updateService';

export const UPDATE_CHECK_INTERVAL_MS = 6 * 3600 * 1000;
/** The session the feed check fetches through: none of the shell's or the apps' cookies or rules. */
export const UPDATE_CHECK_PARTITION = 'cordon-update-check';

/** A random id kept in the user data folder: the installation's place in staged rollouts. */
export function installId(userDataDir: string): string {
  const file = path.join(userDataDir, 'install-id');
  try {
    const id = readFileSync(file, 'utf8').trim();
    if (/^[0-9a-f]{32}$/.test(id)) return id;
  } catch {
    // First start, or unreadable: a new id (only the rollout order depends on it).
  }
  const id = randomBytes(16).toString('hex');
  writeFileSync(file, id, { mode: 0o600 });
  return id;
}

export interface StartUpdatesOptions {
  updates: Policy['updates'];
  appVersion: string;
  userDataDir: string;
  /** Release manifests must be signed by a key this build trusts for policies (the practice's). */
  verifier: PolicyVerifier;
  fetchText: FetchText;
  loadUpdater: () => Promise<Updater>;
  audit: AuditSink;
  onState?: (state: UpdateState) => void;
  setInterval?: (callback: () => void, ms: number) => { unref?: () => void };
}

/** The running service, or null when the policy asks for no automatic updates. */
export async function startUpdates(options: StartUpdatesOptions): Promise<UpdateService | null> {
  const { channel, feedUrl } = options.updates;
  if (channel === 'none' || feedUrl === undefined) return null;
  const service = new UpdateService({
    updater: await options.loadUpdater(),
    feedUrl,
    context: { verifier: options.verifier, currentVersion: options.appVersion, channel, rolloutBucket: rolloutBucket(installId(options.userDataDir)) },
    fetchText: options.fetchText,
    audit: options.audit,
    ...(options.onState === undefined ? {} : { onState: options.onState }),
  });
  const check = () => void service.checkNow();
  check();
  (options.setInterval ?? setInterval)(check, UPDATE_CHECK_INTERVAL_MS).unref?.();
  return service;
}
