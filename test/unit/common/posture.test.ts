import { describe, expect, it } from 'vitest';
import { policyV1Schema } from '../../../common/policy/policySchema';
import { decideDevicePosture } from '../../../common/posture/devicePostureDecision';
import { assessPosture, DEVICE_CHECK_PROTECTIONS, PROTECTION_IDS, type ProtectionId } from '../../../common/posture/posture';
import { validPolicy } from '../../support/policyFixtures';

const policy = policyV1Schema.parse(validPolicy());
const everything: ReadonlySet<ProtectionId> = new Set(PROTECTION_IDS);

function stateOf(id: ProtectionId, input: Partial<Parameters<typeof assessPosture>[0]>) {
  const posture = assessPosture({ platform: 'win32', build: 'production', policy, installed: everything, ...input });
  return posture.find((p) => p.id === id);
}

describe('security posture', () => {
  it('lists every protection exactly once, with a label', () => {
    const posture = assessPosture({ platform: 'linux', build: 'production', policy, installed: new Set() });
    expect(posture.map((p) => p.id)).toEqual([...PROTECTION_IDS]);
    expect(posture.every((p) => p.label.length > 0)).toBe(true);
  });

  it('gives a detail only where it adds to the state', () => {
    // The panel once read "Enforced | Enforced." and "Not in this build | This build does not include this protection yet."
    expect(stateOf('process-sandbox', {})).toMatchObject({ state: 'enforced', detail: '' });
    expect(stateOf('watermark', { installed: new Set() })).toMatchObject({ state: 'not-in-this-build', detail: '' });
    expect(stateOf('signed-policy', {})?.detail).toContain(`serial ${policy.serial}`);
  });

  it('names the required sign-in methods in words, not amr codes', () => {
    // Once "Cordon checks the sign-in proves amr otp."
    expect(stateOf('mfa-sign-in', {})?.detail).toBe('Required at sign-in: authenticator app.');
    const either = policyV1Schema.parse(validPolicy({ identity: { ...validPolicy().identity, mfa: { acrValues: ['urn:example:mfa'], amrMethods: ['otp', 'hwk'] } } }));
    expect(stateOf('mfa-sign-in', { policy: either })?.detail).toBe('Required at sign-in: authenticator app, security key or level urn:example:mfa at the identity provider.');
  });

  it('never claims a protection the running build did not install', () => {
    const posture = assessPosture({ platform: 'win32', build: 'production', policy, installed: new Set(['process-sandbox']) });
    expect(posture.filter((p) => p.state === 'enforced').map((p) => p.id)).toEqual(['process-sandbox']);
    expect(stateOf('watermark', { installed: new Set() })?.state).toBe('not-in-this-build');
  });

  it('reports capture protection truthfully per platform and policy', () => {
    const preferred = policyV1Schema.parse(validPolicy({ screenCapture: { protection: 'preferred' } }));
    const off = policyV1Schema.parse(validPolicy({ screenCapture: { protection: 'off' } }));
    // Windows enforces it, once the build installs it.
    expect(stateOf('screen-capture-blocked', { platform: 'win32' })?.state).toBe('enforced');
    expect(stateOf('screen-capture-blocked', { platform: 'win32', installed: new Set() })?.state).toBe('not-in-this-build');
    // macOS: ScreenCaptureKit apps capture anyway, whatever the build does.
    for (const policyUsed of [policy, preferred]) {
      expect(stateOf('screen-capture-blocked', { platform: 'darwin', policy: policyUsed })).toMatchObject({ state: 'not-enforced', detail: expect.stringContaining('ScreenCaptureKit') });
    }
    expect(stateOf('screen-capture-blocked', { platform: 'darwin' })?.detail).toContain('practice apps stay hidden');
    expect(stateOf('screen-capture-blocked', { platform: 'darwin', policy: preferred })?.detail).toContain('IT allows working without it');
    // Linux: nothing to enforce with; required hides the apps, preferred works without it.
    expect(stateOf('screen-capture-blocked', { platform: 'linux' })).toMatchObject({ state: 'not-available', detail: expect.stringContaining('practice apps stay hidden') });
    expect(stateOf('screen-capture-blocked', { platform: 'linux', policy: preferred })).toMatchObject({ state: 'not-enforced', detail: expect.stringContaining('IT allows working without it') });
    // Without a trusted policy the windows are protected as if it were required.
    expect(stateOf('screen-capture-blocked', { platform: 'linux', policy: null })?.state).toBe('not-available');
    for (const platform of ['win32', 'darwin', 'linux']) expect(stateOf('screen-capture-blocked', { platform, policy: off })?.state).toBe('disabled-by-policy');
  });

  it('states the idle lock and logoff times the policy sets', () => {
    expect(stateOf('idle-lock', {})).toEqual({ id: 'idle-lock', label: 'Locks when you step away', state: 'enforced', detail: 'Locks after 5 min without input; signs out after 30 min.' });
    expect(stateOf('idle-lock', { installed: new Set() })?.state).toBe('not-in-this-build');
  });

  it('says which apps a policy lets download or print', () => {
    const base = validPolicy();
    const allowing = policyV1Schema.parse({ ...base, apps: [{ ...base.apps[0], downloads: 'allow' }] });
    expect(stateOf('downloads-blocked', { policy: allowing })).toMatchObject({ state: 'disabled-by-policy', detail: 'IT allows it for: Test EHR.' });
    expect(stateOf('printing-blocked', { policy: allowing })?.state).toBe('enforced');
  });

  it('marks devtools and https as not enforced in development builds and demo policies', () => {
    expect(stateOf('devtools-blocked', { build: 'development' })?.state).toBe('not-enforced');
    expect(stateOf('devtools-blocked', { build: 'production' })?.state).toBe('enforced');
    const demo = policyV1Schema.parse(validPolicy({ environment: 'demo' }));
    expect(stateOf('https-only', { policy: demo })?.state).toBe('not-enforced');
  });

  it("shows each device check's result: what IT asks, what was seen and the fix; off checks as not asked, unrun ones as not checked", () => {
    const devicePolicy = policyV1Schema.parse(validPolicy({ devicePosture: { diskEncryption: { level: 'required' }, firewall: { level: 'recommended' }, screenLock: { level: 'recommended' } } }));
    const now = Date.parse('2027-03-01T15:00:00Z');
    const { checks } = decideDevicePosture({
      policy: devicePolicy.devicePosture,
      platform: 'linux',
      now,
      outcomes: new Map([
        ['diskEncryption', { check: 'diskEncryption', result: 'pass', observed: '/ is on an encrypted disk (dm-crypt).', checkedAt: now }],
        ['firewall', { check: 'firewall', result: 'fail', observed: 'No firewall is on: ufw, firewalld and nftables are all off.', checkedAt: now }],
      ]),
    });
    const row = (id: ProtectionId) => assessPosture({ platform: 'linux', build: 'production', policy: devicePolicy, installed: everything, deviceChecks: checks }).find((p) => p.id === id);
    expect(row(DEVICE_CHECK_PROTECTIONS.diskEncryption)).toEqual({
      id: 'device-disk-encryption',
      label: "This computer's disk is encrypted",
      state: 'passed',
      detail: 'Required by IT: practice apps stay closed until it passes. / is on an encrypted disk (dm-crypt).',
    });
    expect(row(DEVICE_CHECK_PROTECTIONS.firewall)).toMatchObject({ state: 'failed', detail: 'Recommended by IT. No firewall is on: ufw, firewalld and nftables are all off. Turn on the firewall (ufw or firewalld), or ask IT.' });
    expect(row(DEVICE_CHECK_PROTECTIONS.screenLock)).toMatchObject({ state: 'unknown', detail: expect.stringContaining('Not checked yet.') });
    expect(row(DEVICE_CHECK_PROTECTIONS.antivirus)).toMatchObject({ state: 'disabled-by-policy', detail: '' });
    // Before main has any device results (e.g. no trusted policy), every check reads as not checked.
    expect(stateOf('device-os-version', {})).toEqual({ id: 'device-os-version', label: 'Operating system version is one IT supports', state: 'unknown', detail: 'Not checked yet.' });
  });
});
