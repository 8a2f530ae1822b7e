// A refused start cannot audit: the encrypted queue needs the OS keychain, which is only
// usable once the app is ready, and by then Chromium would have acted on the refused
// switches. So the refusal leaves a small marker file, and the next start that runs
// records it as an audit event, tells the VA on the sign-in screen (on Linux the refusal
// itself could only print to stderr), and deletes it. The marker holds switch and variable
// names only. It lives under appData/<app name>, not userData, because a refused
// `--user-data-dir` would otherwise move it where the next start never looks.
import { readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { AuditEventInput } from '../../common/audit/auditSink';
import { describeRefusal, refusalReason, type LaunchRefusal } from './launchGuard';

const MARKER_FILE = 'refused-launch.json';
const NAME = /^(\(argument\)|--[a-z0-9._()-]{1,48}|[A-Z0-9_]{1,48})$/;

export function markerPath(appDataDir: string, appName: string): string {
  return path.join(appDataDir, appName, MARKER_FILE);
}

export function writeRefusedLaunchMarker(file: string, refused: readonly LaunchRefusal[], now: Date): void {
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  writeFileSync(file, JSON.stringify({ at: now.toISOString(), refused }), { mode: 0o600 });
}

function isRefusal(value: unknown): value is LaunchRefusal {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (v.kind === 'switch' || v.kind === 'argument' || v.kind === 'environment') && typeof v.name === 'string' && NAME.test(v.name);
}

/** A refused start, as the next start learns it: the audit event, and a sentence for the VA. */
export interface RefusedLaunch {
  event: AuditEventInput;
  notice: string;
}

/**
 * The refused start the marker records, if there is one; the marker is deleted either
 * way. A damaged or edited marker is still reported (someone tried something).
 */
export function takeRefusedLaunchMarker(file: string): RefusedLaunch | null {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return null;
  }
  rmSync(file, { force: true });
  try {
    const value: unknown = JSON.parse(text);
    const refused = (value as { refused?: unknown }).refused;
    if (Array.isArray(refused) && refused.length > 0 && refused.length <= 64 && refused.every(isRefusal)) {
      return { event: { type: 'app.launch-refused', outcome: 'blocked', reason: refusalReason(refused) }, notice: `The last time: ${describeRefusal(refused)}` };
    }
  } catch {
    // Falls through to the damaged-marker event.
  }
  return { event: { type: 'app.launch-refused', outcome: 'blocked', reason: 'marker-damaged' }, notice: 'The last time, Cordon did not start because it was started in a way that could expose patient data. If you did not expect this, call IT.' };
}
