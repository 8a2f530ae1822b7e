// Windows' answers, read from real output published by Windows admins (fixtures/README.md).
import { describe, expect, it } from 'vitest';
import { bitLockerFinding, firewallProfiles, productIsOn, registryValues, securityCenterProducts, windowsAntivirusFinding, windowsFirewallFinding, windowsScreenLock } from '../../../main/posture/windowsReadings';
import { sample, stdoutOf } from './samples';

const out = (name: string) => stdoutOf(sample('windows', name));
const none = new Map<string, string>();

describe('Windows readings', () => {
  it('BitLocker: 1 protects the system drive, 2 is off; an empty or unknown value is unknown, never a pass', () => {
    expect(bitLockerFinding(out('bitlocker-on'))).toMatchObject({ result: 'pass' });
    expect(bitLockerFinding(out('bitlocker-off'))).toEqual({ result: 'fail', observed: 'BitLocker is off on the system drive.' });
    expect(bitLockerFinding('3\r\n')).toMatchObject({ result: 'fail', observed: expect.stringContaining('still encrypting') });
    expect(bitLockerFinding('\r\n')).toMatchObject({ result: 'unknown' });
    expect(bitLockerFinding('5\r\n')).toMatchObject({ result: 'unknown', observed: expect.stringContaining('state 5') });
  });

  it('Security Center: every registered product with its state, whatever the name', () => {
    expect(securityCenterProducts(out('antivirus-defender-on'))).toEqual([{ name: 'Windows Defender', productState: 397568 }]);
    expect(securityCenterProducts(out('antivirus-bitdefender-on-defender-off'))).toEqual([
      { name: 'Bitdefender Antivirus', productState: 266240 },
      { name: 'Windows Defender', productState: 393472 },
    ]);
    expect(securityCenterProducts(out('antivirus-huorong-on-defender-off')).map((p) => p.name)).toEqual(['Windows Defender', '火绒安全软件']);
    expect(securityCenterProducts('')).toEqual([]);
  });

  it('productState: on when bits 12-15 say 1 (397568 and 266240 on; 393472 off)', () => {
    expect([397568, 266240, 397584, 393472, 262144].map(productIsOn)).toEqual([true, true, true, false, false]);
  });

  it('antivirus passes when a product is on and names it; registered but off, or none, fails', () => {
    expect(windowsAntivirusFinding(securityCenterProducts(out('antivirus-defender-on')))).toEqual({ result: 'pass', observed: 'Running: Windows Defender.' });
    expect(windowsAntivirusFinding(securityCenterProducts(out('antivirus-bitdefender-on-defender-off')))).toEqual({ result: 'pass', observed: 'Running: Bitdefender Antivirus.' });
    expect(windowsAntivirusFinding([{ name: 'Windows Defender', productState: 393472 }])).toEqual({ result: 'fail', observed: 'Registered with Windows Security but turned off: Windows Defender.' });
    expect(windowsAntivirusFinding([])).toMatchObject({ result: 'fail' });
  });

  it('firewall: every profile on passes; one off fails and is named; no table is unknown', () => {
    expect(firewallProfiles(out('firewall-all-on'))).toEqual([
      { name: 'Domain', enabled: true },
      { name: 'Private', enabled: true },
      { name: 'Public', enabled: true },
    ]);
    expect(windowsFirewallFinding(firewallProfiles(out('firewall-all-on')))).toMatchObject({ result: 'pass' });
    expect(windowsFirewallFinding(firewallProfiles(out('firewall-all-off')))).toEqual({ result: 'fail', observed: 'Microsoft Defender Firewall is off for the Domain, Private, Public network profiles.' });
    expect(windowsFirewallFinding([{ name: 'Domain', enabled: true }, { name: 'Public', enabled: false }])).toMatchObject({ observed: expect.stringContaining('off for the Public network profile.') });
    expect(windowsFirewallFinding(firewallProfiles('Get-NetFirewallProfile : Access denied'))).toMatchObject({ result: 'unknown' });
  });

  it('registry: values by name, DWORDs in decimal, indented or not', () => {
    expect(registryValues(out('reg-user-policy-desktop-gpo'))).toEqual(
      new Map([
        ['screensaveactive', '1'],
        ['screensaverissecure', '1'],
        ['screensavetimeout', '600'],
        ['scrnsave.exe', 'scrnsave.scr'],
      ]),
    );
    expect(registryValues(out('reg-machine-inactivity-600')).get('inactivitytimeoutsecs')).toBe('600');
    expect(registryValues(out('reg-machine-inactivity-300')).get('inactivitytimeoutsecs')).toBe('300');
    expect(registryValues(out('reg-key-missing')).size).toBe(0);
  });

  it('screen lock: the machine inactivity limit or a password-protected screen saver, the sooner counting; policy wins over the user', () => {
    const gpo = registryValues(out('reg-user-policy-desktop-gpo'));
    const insecure = registryValues(out('reg-user-desktop-not-secure'));
    expect(windowsScreenLock({ machinePolicy: none, userPolicy: gpo, user: insecure })).toEqual({ kind: 'after', seconds: 600 });
    expect(windowsScreenLock({ machinePolicy: registryValues(out('reg-machine-inactivity-300')), userPolicy: gpo, user: insecure })).toEqual({ kind: 'after', seconds: 300 });
    expect(windowsScreenLock({ machinePolicy: none, userPolicy: none, user: insecure })).toEqual({ kind: 'off' });
    // A secure screen saver with no timeout never starts by itself.
    expect(windowsScreenLock({ machinePolicy: none, userPolicy: new Map([...gpo, ['screensavetimeout', '0']]), user: none })).toEqual({ kind: 'never' });
  });
});
