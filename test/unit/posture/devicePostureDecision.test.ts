// The policy-level decision under a controllable clock: may hosted apps open, and what
// the VA is told. Unknown is never a pass; a result past its hour counts as not checked.
import { describe, expect, it } from 'vitest';
import { devicePosturePolicySchema, type DevicePosturePolicy } from '../../../common/policy/policySchema';
import type { CheckOutcome, DeviceCheckId } from '../../../common/posture/deviceChecks';
import { CHECKING, decideDevicePosture, DEVICE_RESULT_MAX_AGE_MS } from '../../../common/posture/devicePostureDecision';

const T0 = Date.parse('2027-03-01T15:00:00Z');
const policy = (input: object): DevicePosturePolicy => devicePosturePolicySchema.parse(input);
const requireDisk = policy({ diskEncryption: { level: 'required' }, firewall: { level: 'recommended' } });

function outcomes(...list: Omit<CheckOutcome, 'checkedAt'>[]): Map<DeviceCheckId, CheckOutcome> {
  return new Map(list.map((o) => [o.check, { ...o, checkedAt: T0 }]));
}
const diskOff = { check: 'diskEncryption', result: 'fail', observed: 'FileVault is off.' } as const;
const diskOn = { check: 'diskEncryption', result: 'pass', observed: 'FileVault is on.' } as const;
const firewallOff = { check: 'firewall', result: 'fail', observed: 'The macOS firewall is off.' } as const;

describe('device posture decision', () => {
  it('with every check off (the default), nothing is checked and nothing is withheld', () => {
    const view = decideDevicePosture({ policy: policy({}), platform: 'linux', outcomes: new Map(), now: T0 });
    expect(view.appsHidden).toBeNull();
    expect(view.advice).toBeNull();
    expect(view.checks.map((c) => c.level)).toEqual(['off', 'off', 'off', 'off', 'off']);
  });

  it('before a required check has answered, apps wait for it', () => {
    const view = decideDevicePosture({ policy: requireDisk, platform: 'darwin', outcomes: new Map(), now: T0 });
    expect(view.appsHidden).toEqual(CHECKING);
    expect(view.checks[0]).toMatchObject({ check: 'diskEncryption', level: 'required', result: 'unknown', observed: 'Not checked yet.' });
  });

  it('a failing required check keeps apps closed, naming the check, what was seen and the fix for this OS', () => {
    const view = decideDevicePosture({ policy: requireDisk, platform: 'darwin', outcomes: outcomes(diskOff, firewallOff), now: T0 });
    expect(view.appsHidden?.code).toBe('device-posture:diskEncryption');
    expect(view.appsHidden?.message).toBe(
      "Practice apps stay closed until this computer meets the practice's security requirements. Disk encryption: FileVault is off. Turn on FileVault: System Settings > Privacy & Security > FileVault.",
    );
    // The recommended firewall does not block, but the VA is told.
    expect(view.advice).toContain('Firewall: The macOS firewall is off. Turn on the firewall: System Settings > Network > Firewall.');
    const onWindows = decideDevicePosture({ policy: requireDisk, platform: 'win32', outcomes: outcomes(diskOff), now: T0 });
    expect(onWindows.appsHidden?.message).toContain('BitLocker');
  });

  it('unknown is never a pass: a required check that could not be read keeps apps closed', () => {
    const unreadable = { check: 'diskEncryption', result: 'unknown', observed: 'fdesetup is not available on this computer.' } as const;
    const view = decideDevicePosture({ policy: requireDisk, platform: 'darwin', outcomes: outcomes(unreadable), now: T0 });
    expect(view.appsHidden?.message).toContain('fdesetup is not available on this computer.');
  });

  it('passing required checks open the apps; the panel line carries no fix', () => {
    const view = decideDevicePosture({ policy: requireDisk, platform: 'darwin', outcomes: outcomes(diskOn), now: T0 });
    expect(view.appsHidden).toBeNull();
    expect(view.checks[0]).toEqual({ check: 'diskEncryption', level: 'required', result: 'pass', observed: 'FileVault is on.', fix: '' });
  });

  it('a result past its hour counts as not checked (a laptop that slept), so apps wait for a fresh one; a result from the future too', () => {
    const at = (now: number) => decideDevicePosture({ policy: requireDisk, platform: 'darwin', outcomes: outcomes(diskOn), now });
    expect(at(T0 + DEVICE_RESULT_MAX_AGE_MS).appsHidden).toBeNull();
    expect(at(T0 + DEVICE_RESULT_MAX_AGE_MS + 1).appsHidden).toEqual(CHECKING);
    expect(at(T0 - 60_000).appsHidden).toEqual(CHECKING);
  });

  it('a recommended check never withholds the apps, even failing', () => {
    const view = decideDevicePosture({ policy: policy({ diskEncryption: { level: 'recommended' } }), platform: 'linux', outcomes: outcomes(diskOff), now: T0 });
    expect(view.appsHidden).toBeNull();
    expect(view.advice).toMatch(/^IT recommends changes to this computer's settings\. Disk encryption: FileVault is off\. The system disk must be encrypted/);
  });

  it('the screen lock fix names the policy limit', () => {
    const p = policy({ screenLock: { level: 'required', maxMinutes: 10 } });
    const view = decideDevicePosture({ policy: p, platform: 'linux', outcomes: outcomes({ check: 'screenLock', result: 'fail', observed: 'The screen does not lock by itself.' }), now: T0 });
    expect(view.checks[1]?.fix).toContain('10 minutes or less');
  });
});
