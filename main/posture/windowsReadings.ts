// What Windows says, read as the device checks need it: pure functions of the text,
// tested on real outputs published by Windows admins (test/unit/posture/fixtures/windows).
// Everything here is readable by a standard user: the shell's BitLocker volume property
// (manage-bde and Get-BitLockerVolume need admin), Windows Security Center's product
// list, the active firewall policy and the registry.
import { failed, passed, unknown, type CheckFinding } from '../../common/posture/deviceChecks';
import { protectionFinding, type ScreenLockFacts } from '../../common/posture/deviceCheckRules';

/**
 * The shell property System.Volume.BitLockerProtection of the system drive, as PowerShell
 * prints it: 1 on, 2 off, 3 encrypting, 4 decrypting, 6 on and locked (Explorer's own
 * BitLocker verbs test these values). Anything else, or nothing (no BitLocker on this
 * edition), Cordon does not guess at.
 */
export function bitLockerFinding(output: string): CheckFinding {
  const value = output.trim();
  if (value === '1' || value === '6') return passed('BitLocker protects the system drive.');
  if (value === '2') return failed('BitLocker is off on the system drive.');
  if (value === '3') return failed('BitLocker is still encrypting the system drive.');
  if (value === '4') return failed('BitLocker is decrypting the system drive.');
  return unknown(value === '' ? 'Windows did not report a BitLocker state for the system drive.' : `Windows reported BitLocker state ${value}, which Cordon does not interpret.`);
}

export interface SecurityProduct {
  name: string;
  productState: number;
}

/**
 * `Get-CimInstance -Namespace root/SecurityCenter2 -ClassName AntiVirusProduct` in
 * PowerShell's list format: one block per product of "name : value" lines.
 */
export function securityCenterProducts(output: string): SecurityProduct[] {
  return output.split(/\r?\n\s*\r?\n/).flatMap((block) => {
    const fields = new Map<string, string>();
    for (const line of block.split(/\r?\n/)) {
      const match = /^(\w+)\s*:\s?(.*)$/.exec(line);
      if (match?.[1] !== undefined && match[2] !== undefined) fields.set(match[1], match[2].trim());
    }
    const name = fields.get('displayName');
    const state = fields.get('productState');
    return name === undefined || state === undefined || !/^\d+$/.test(state) ? [] : [{ name, productState: Number(state) }];
  });
}

/** Security Center's productState keeps the scanner's state in bits 12–15: 1 on (0 off, 2 snoozed, 3 expired). Not documented by Microsoft; read the same way by every tool that reads it. */
export function productIsOn(productState: number): boolean {
  return ((productState >> 12) & 0xf) === 1;
}

export function windowsAntivirusFinding(products: readonly SecurityProduct[]): CheckFinding {
  const on = products.filter((p) => productIsOn(p.productState)).map((p) => p.name);
  if (on.length > 0) return protectionFinding(on);
  if (products.length > 0) return failed(`Registered with Windows Security but turned off: ${products.map((p) => p.name).join(', ')}.`);
  return failed('No antivirus is registered with Windows Security.');
}

/** `Get-NetFirewallProfile -PolicyStore ActiveStore | Format-Table Name, Enabled`: one row per profile (Domain, Private, Public). */
export function firewallProfiles(output: string): { name: string; enabled: boolean }[] {
  return output.split(/\r?\n/).flatMap((line) => {
    const match = /^\s*(Domain|Private|Public)\s+(True|False)\s*$/.exec(line);
    return match?.[1] === undefined ? [] : [{ name: match[1], enabled: match[2] === 'True' }];
  });
}

export function windowsFirewallFinding(profiles: readonly { name: string; enabled: boolean }[]): CheckFinding {
  if (profiles.length === 0) return unknown('Windows did not report its firewall profiles.');
  const off = profiles.filter((p) => !p.enabled).map((p) => p.name);
  return off.length === 0 ? passed('Microsoft Defender Firewall is on for every network profile.') : failed(`Microsoft Defender Firewall is off for the ${off.join(', ')} network profile${off.length === 1 ? '' : 's'}.`);
}

/** `reg query <key>`: "    Name    REG_TYPE    data" lines, by lower-case name. REG_DWORD data is hex (0x384). A key that does not exist makes reg exit 1 with nothing on stdout: no values. */
export function registryValues(output: string): Map<string, string> {
  const values = new Map<string, string>();
  for (const line of output.split(/\r?\n/)) {
    const match = /^\s*(\S.*?)\s{2,}(REG_\w+)(?:\s{2,}(.*?))?\s*$/.exec(line);
    if (match?.[1] === undefined || match[2] === undefined) continue;
    const data = match[3] ?? '';
    values.set(match[1].toLowerCase(), match[2] === 'REG_DWORD' && /^0x[0-9a-f]+$/i.test(data) ? String(parseInt(data, 16)) : data);
  }
  return values;
}

export interface WindowsLockRegistry {
  /** HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion\Policies\System: the machine inactivity limit. */
  machinePolicy: Map<string, string>;
  /** HKCU\Software\Policies\Microsoft\Windows\Control Panel\Desktop: the screen saver as Group Policy sets it. */
  userPolicy: Map<string, string>;
  /** HKCU\Control Panel\Desktop: the user's own screen saver settings. */
  user: Map<string, string>;
}

/**
 * Windows locks an idle session by the machine inactivity limit (InactivityTimeoutSecs,
 * the "Interactive logon: Machine inactivity limit" policy) or by a password-protected
 * screen saver (ScreenSaveActive, ScreenSaverIsSecure, SCRNSAVE.EXE, ScreenSaveTimeOut,
 * Group Policy's values winning over the user's). The sooner of the two counts.
 */
export function windowsScreenLock({ machinePolicy, userPolicy, user }: WindowsLockRegistry): ScreenLockFacts {
  const setting = (name: string) => userPolicy.get(name) ?? user.get(name);
  const inactivity = Number(machinePolicy.get('inactivitytimeoutsecs') ?? '0');
  const saverTimeout = Number(setting('screensavetimeout') ?? '0');
  const saverLocks = setting('screensaveactive') === '1' && setting('screensaverissecure') === '1' && (setting('scrnsave.exe') ?? '') !== '';
  const candidates = [inactivity, saverLocks ? saverTimeout : 0].filter((seconds) => Number.isInteger(seconds) && seconds > 0);
  if (candidates.length > 0) return { kind: 'after', seconds: Math.min(...candidates) };
  return saverLocks ? { kind: 'never' } : { kind: 'off' };
}
