// What macOS's own tools say, read as the device checks need it: pure functions of the
// text, tested on real outputs published by Apple admins and tool authors
// (test/unit/posture/fixtures/macos). Each tool here answers without admin rights.
import { failed, passed, unknown, type CheckFinding } from '../../common/posture/deviceChecks';
import type { ScreenLockFacts } from '../../common/posture/deviceCheckRules';

/**
 * `fdesetup status`: "FileVault is On." / "FileVault is Off.", possibly followed by
 * "Encryption in progress: Percent completed = 42.1" (not yet protected: fail until done)
 * or "Deferred enablement appears to be active for user …" (turned on at next logout);
 * "FileVault is Off, but will be enabled after the next restart." likewise fails for now.
 */
export function fileVaultFinding(output: string): CheckFinding {
  if (/Encryption in progress: Pending/i.test(output)) return failed('FileVault encryption is waiting to start (connect the power adapter).');
  const progress = /(Encryption|Decryption) in progress(?:: Percent completed = ([\d.]+))?/i.exec(output);
  if (progress?.[1] !== undefined) {
    const doing = progress[1].toLowerCase() === 'encryption' ? 'still encrypting' : 'decrypting';
    return failed(`FileVault is ${doing} the disk${progress[2] === undefined ? '' : ` (${progress[2]}% done)`}.`);
  }
  if (/FileVault is On\./.test(output)) return passed('FileVault is on.');
  if (/FileVault is Off/.test(output)) {
    return failed(/Deferred enablement appears to be active|will be enabled after the next restart/.test(output) ? 'FileVault is off; it turns on at the next log out or restart.' : 'FileVault is off.');
  }
  return unknown('fdesetup gave an answer Cordon cannot read.');
}

/**
 * `socketfilterfw --getglobalstate`: "Firewall is enabled. (State = 1)", "Firewall is
 * disabled. (State = 0)", or with state 2 "Firewall is blocking all non-essential
 * incoming connections. (State = 2)".
 */
export function macFirewallFinding(output: string): CheckFinding {
  const state = /\(State = (\d)\)/.exec(output)?.[1] ?? (/Firewall is enabled\./.test(output) ? '1' : /Firewall is disabled\./.test(output) ? '0' : null);
  if (state === '0') return failed('The macOS firewall is off.');
  if (state === '1') return passed('The macOS firewall is on.');
  if (state === '2') return passed('The macOS firewall is on and blocks all incoming connections.');
  return unknown('The firewall tool gave an answer Cordon cannot read.');
}

/** How long after the screen saver starts (or the display sleeps) a password is needed, or that none is. */
export type PasswordDelay = { kind: 'off' } | { kind: 'after'; seconds: number };

/**
 * `sysadminctl -screenLock status`, which writes to stderr behind a log prefix
 * ("2026-09-23 12:35:20.615 sysadminctl[69267:2988066] screenLock delay is 300 seconds"):
 * "screenLock is off", "screenLock delay is immediate", or a delay in seconds.
 */
export function passwordDelay(output: string): PasswordDelay | null {
  if (/screenLock is off/i.test(output)) return { kind: 'off' };
  if (/screenLock delay is immediate/i.test(output)) return { kind: 'after', seconds: 0 };
  const match = /screenLock delay is (-?\d+)(?:\.\d+)? seconds?/i.exec(output);
  if (match?.[1] === undefined) return null;
  const seconds = Number(match[1]);
  return seconds < 0 ? { kind: 'off' } : { kind: 'after', seconds };
}

/**
 * `defaults -currentHost read com.apple.screensaver idleTime`: seconds before the screen
 * saver starts (0: never); 'unset' when the key was never set (defaults exits 1 saying
 * "The domain/default pair of (com.apple.screensaver, idleTime) does not exist"); null
 * for anything else.
 */
export function screenSaverIdle(exitCode: number, stdout: string, stderr: string): number | 'unset' | null {
  if (exitCode !== 0) return /does not exist/.test(stderr) ? 'unset' : null;
  const value = stdout.trim();
  return /^\d+$/.test(value) ? Number(value) : null;
}

/** `pmset -g custom`: the display-sleep minutes (0: never) of each power source the Mac has (Battery, AC, UPS); null when a source has none. */
export function displaySleepMinutes(output: string): number[] | null {
  const sources: (number | null)[] = [];
  for (const line of output.split('\n')) {
    if (/^(Battery|AC|UPS) Power:\s*$/.test(line.trim())) sources.push(null);
    const match = /^\s*displaysleep\s+(\d+)/.exec(line);
    if (match?.[1] !== undefined && sources.length > 0) sources[sources.length - 1] = Number(match[1]);
  }
  return sources.length === 0 || sources.includes(null) ? null : (sources as number[]);
}

/**
 * The screen locks when the screen saver starts or the display sleeps, whichever comes
 * first, plus the password delay. On a laptop each power source has its own display
 * timer: the slowest one counts, since the VA may work on either.
 */
export function macScreenLock(delay: PasswordDelay, idle: number | 'unset', displaySleep: readonly number[]): ScreenLockFacts {
  if (delay.kind === 'off') return { kind: 'off' };
  const saver = idle !== 'unset' && idle > 0 ? idle : null;
  const perSource = (displaySleep.length > 0 ? displaySleep : [0]).map((minutes) => {
    const starts = [saver, minutes > 0 ? minutes * 60 : null].filter((s): s is number => s !== null);
    return starts.length > 0 ? Math.min(...starts) : null;
  });
  if (perSource.includes(null)) return { kind: 'never' };
  return { kind: 'after', seconds: Math.max(...(perSource as number[])) + delay.seconds };
}

/** `sw_vers -productVersion`: "14.4.1". */
export function macVersion(output: string): string | null {
  const value = output.trim();
  return /^\d+(\.\d+)*$/.test(value) ? value : null;
}
