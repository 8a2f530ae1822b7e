// The device checks on Windows, as a standard user: the shell's BitLocker volume property,
// Windows Security Center's antivirus products, the active firewall policy, the registry
// settings that lock an idle session, and the OS version Node reads.
import path from 'node:path';
import { unknown, type CheckFinding } from '../../common/posture/deviceChecks';
import { osVersionFinding, screenLockFinding } from '../../common/posture/deviceCheckRules';
import { notRunWords } from './commandRunner';
import type { DeviceProbes, ProbeDeps } from './deviceProbes';
import { bitLockerFinding, firewallProfiles, registryValues, securityCenterProducts, windowsAntivirusFinding, windowsFirewallFinding, windowsScreenLock } from './windowsReadings';

// Fixed scripts: nothing from the policy or the page reaches a command line.
const BITLOCKER = "(New-Object -ComObject Shell.Application).NameSpace($env:SystemDrive + '\\').Self.ExtendedProperty('System.Volume.BitLockerProtection')";
const ANTIVIRUS = 'Get-CimInstance -Namespace root/SecurityCenter2 -ClassName AntiVirusProduct';
const FIREWALL = 'Get-NetFirewallProfile -PolicyStore ActiveStore | Format-Table Name, Enabled';
const LOCK_KEYS = {
  machinePolicy: 'HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Policies\\System',
  userPolicy: 'HKCU\\Software\\Policies\\Microsoft\\Windows\\Control Panel\\Desktop',
  user: 'HKCU\\Control Panel\\Desktop',
} as const;

export function windowsProbes({ run, env, osRelease }: ProbeDeps): DeviceProbes {
  // SystemRoot comes from whoever started Cordon: only a plain drive-root Windows folder is
  // believed, so a planted powershell.exe or reg.exe elsewhere is never run.
  const root = /^[A-Za-z]:\\Windows$/.test(env.SystemRoot ?? '') ? (env.SystemRoot ?? '') : 'C:\\Windows';
  const powershell = path.win32.join(root, 'System32', 'WindowsPowerShell', 'v1.0', 'powershell.exe');
  const reg = path.win32.join(root, 'System32', 'reg.exe');

  const ask = async (what: string, script: string, read: (stdout: string) => CheckFinding): Promise<CheckFinding> => {
    const result = await run(powershell, ['-NoProfile', '-NonInteractive', '-Command', script]);
    if (!result.ran) return unknown(notRunWords('PowerShell', result.why));
    return result.exitCode === 0 ? read(result.stdout) : unknown(`Windows did not report ${what}.`);
  };

  /** A key's values; reg exits 1 for a key that does not exist, which has none. */
  const registry = async (key: string): Promise<Map<string, string> | null> => {
    const result = await run(reg, ['query', key]);
    if (!result.ran || result.exitCode > 1) return null;
    return registryValues(result.exitCode === 0 ? result.stdout : '');
  };

  const screenLock = async (maxMinutes: number): Promise<CheckFinding> => {
    const [machinePolicy, userPolicy, user] = await Promise.all([registry(LOCK_KEYS.machinePolicy), registry(LOCK_KEYS.userPolicy), registry(LOCK_KEYS.user)]);
    if (machinePolicy === null || userPolicy === null || user === null) return unknown("Cordon could not read Windows' screen lock settings.");
    return screenLockFinding(windowsScreenLock({ machinePolicy, userPolicy, user }), maxMinutes);
  };

  return {
    diskEncryption: () => ask('the BitLocker state', BITLOCKER, bitLockerFinding),
    screenLock: (policy) => screenLock(policy.screenLock.maxMinutes),
    osVersion: (policy) => Promise.resolve(osVersionFinding({ name: 'Windows', version: osRelease() }, policy.osVersion.windows)),
    firewall: () => ask('its firewall profiles', FIREWALL, (stdout) => windowsFirewallFinding(firewallProfiles(stdout))),
    // Windows Server has no Security Center: there this check is unknown.
    antivirus: () => ask('its antivirus products (Windows Security Center)', ANTIVIRUS, (stdout) => windowsAntivirusFinding(securityCenterProducts(stdout))),
  };
}
