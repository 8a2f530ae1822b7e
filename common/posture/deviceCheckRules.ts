// What a reading of this computer means for a check, whichever OS it came from: how soon
// the screen locks against the policy's limit, a version against a minimum, the running
// protection products. The per-OS readers (main/posture) turn command output into these
// facts; the verdicts live here once.
import { failed, passed, unknown, type CheckFinding } from './deviceChecks';

/** How the screen locks by itself, as the OS settings say. */
export type ScreenLockFacts =
  | { kind: 'off' }
  /** Locking is on, but nothing starts it when the computer is idle. */
  | { kind: 'never' }
  | { kind: 'after'; seconds: number };

function minutesInWords(seconds: number): string {
  if (seconds < 60) return `${seconds} seconds`;
  const minutes = Math.round((seconds / 60) * 10) / 10;
  return `${minutes} ${minutes === 1 ? 'minute' : 'minutes'}`;
}

export function screenLockFinding(facts: ScreenLockFacts, maxMinutes: number): CheckFinding {
  if (facts.kind === 'off') return failed('The screen does not lock by itself.');
  if (facts.kind === 'never') return failed('The screen lock is on, but nothing starts it when the computer is left idle.');
  const said = `The screen locks after ${minutesInWords(facts.seconds)} without input`;
  return facts.seconds <= maxMinutes * 60 ? passed(`${said}.`) : failed(`${said}; IT allows at most ${minutesInWords(maxMinutes * 60)}.`);
}

/** The numbers of a dotted version, or null if it is not one (e.g. "rolling", "24.04 LTS"). */
function versionNumbers(version: string): number[] | null {
  return /^\d+(\.\d+)*$/.test(version) ? version.split('.').map(Number) : null;
}

/** Whether `version` is at least `minimum`, number by number (14.10 > 14.9; 12 = 12.0); null when either is not a version. */
export function versionAtLeast(version: string, minimum: string): boolean | null {
  const have = versionNumbers(version);
  const need = versionNumbers(minimum);
  if (have === null || need === null) return null;
  for (let i = 0; i < Math.max(have.length, need.length); i += 1) {
    const a = have[i] ?? 0;
    const b = need[i] ?? 0;
    if (a !== b) return a > b;
  }
  return true;
}

/** The OS as read from this computer: its name for people, and its version (null when it has none, e.g. a rolling release). */
export interface OsFacts {
  name: string;
  version: string | null;
}

export function osVersionFinding(os: OsFacts, minimum: string | undefined): CheckFinding {
  const running = os.version === null ? os.name : `${os.name} ${os.version}`;
  if (minimum === undefined) return unknown(`This computer runs ${running}, and IT's policy names no minimum version for it.`);
  const atLeast = os.version === null ? null : versionAtLeast(os.version, minimum);
  if (atLeast === null) return unknown(`This computer runs ${running}, whose version Cordon cannot compare with the minimum ${minimum}.`);
  return atLeast ? passed(`This computer runs ${running} (IT's minimum: ${minimum}).`) : failed(`This computer runs ${running}; IT requires ${minimum} or later.`);
}

/** The antivirus or endpoint protection products found running, by name. */
export function protectionFinding(running: readonly string[]): CheckFinding {
  const names = [...new Set(running)];
  return names.length > 0 ? passed(`Running: ${names.join(', ')}.`) : failed('No antivirus or endpoint protection Cordon knows of is running.');
}
