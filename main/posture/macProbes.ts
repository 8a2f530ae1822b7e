// The device checks on macOS, with the tools Apple ships, as the user: fdesetup for
// FileVault, the application firewall's socketfilterfw, sysadminctl, the screen saver's
// idle time and pmset's display sleep for the screen lock, sw_vers, and the process list.
import { unknown, type CheckFinding } from '../../common/posture/deviceChecks';
import { osVersionFinding, screenLockFinding } from '../../common/posture/deviceCheckRules';
import { notRunWords, type CommandResult } from './commandRunner';
import type { DeviceProbes, ProbeDeps } from './deviceProbes';
import { displaySleepMinutes, fileVaultFinding, macFirewallFinding, macScreenLock, macVersion, passwordDelay, screenSaverIdle } from './macReadings';
import { runningProtection } from './protectionProbe';

/** A tool's answer read by `read`, or unknown when the tool did not run or failed. */
function answer(program: string, result: CommandResult, read: (stdout: string) => CheckFinding): CheckFinding {
  if (!result.ran) return unknown(notRunWords(program, result.why));
  return result.exitCode === 0 ? read(result.stdout) : unknown(`${program} reported an error.`);
}

export function macProbes({ run, processes }: ProbeDeps): DeviceProbes {
  const screenLock = async (maxMinutes: number): Promise<CheckFinding> => {
    const [status, idle, power] = await Promise.all([
      run('/usr/sbin/sysadminctl', ['-screenLock', 'status']),
      run('/usr/bin/defaults', ['-currentHost', 'read', 'com.apple.screensaver', 'idleTime']),
      run('/usr/bin/pmset', ['-g', 'custom']),
    ]);
    if (!status.ran) return unknown(notRunWords('sysadminctl', status.why));
    // sysadminctl writes its answer to stderr, behind a log prefix.
    const delay = passwordDelay(`${status.stdout}\n${status.stderr}`);
    if (delay === null) return unknown('sysadminctl gave an answer Cordon cannot read.');
    const idleSeconds = idle.ran ? screenSaverIdle(idle.exitCode, idle.stdout, idle.stderr) : null;
    const displaySleep = power.ran && power.exitCode === 0 ? displaySleepMinutes(power.stdout) : null;
    if (idleSeconds === null || displaySleep === null) return unknown("Cordon could not read when the screen saver starts or the display sleeps.");
    return screenLockFinding(macScreenLock(delay, idleSeconds, displaySleep), maxMinutes);
  };

  const osVersion = async (minimum: string | undefined): Promise<CheckFinding> =>
    answer('sw_vers', await run('/usr/bin/sw_vers', ['-productVersion']), (stdout) => {
      const version = macVersion(stdout);
      return version === null ? unknown('sw_vers gave an answer Cordon cannot read.') : osVersionFinding({ name: 'macOS', version }, minimum);
    });

  return {
    diskEncryption: async () => answer('fdesetup', await run('/usr/bin/fdesetup', ['status']), fileVaultFinding),
    screenLock: (policy) => screenLock(policy.screenLock.maxMinutes),
    osVersion: (policy) => osVersion(policy.osVersion.macos),
    firewall: async () => answer('socketfilterfw', await run('/usr/libexec/ApplicationFirewall/socketfilterfw', ['--getglobalstate']), macFirewallFinding),
    antivirus: (policy) => runningProtection(processes, 'darwin', policy),
  };
}
