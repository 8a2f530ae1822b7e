import { describe, expect, it } from 'vitest';
import { osVersionFinding, protectionFinding, screenLockFinding, versionAtLeast } from '../../../common/posture/deviceCheckRules';

describe('device check rules', () => {
  it('compares versions number by number, not as text', () => {
    expect(versionAtLeast('14.10', '14.9')).toBe(true);
    expect(versionAtLeast('10.0.19045', '10.0.22000')).toBe(false);
    expect(versionAtLeast('12', '12.0')).toBe(true);
    expect(versionAtLeast('22.04', '22.04.1')).toBe(false);
    expect(versionAtLeast('rolling', '1')).toBeNull();
  });

  it('OS version: at least the minimum passes; below fails; no minimum or no version is unknown', () => {
    expect(osVersionFinding({ name: 'macOS', version: '26.5.2' }, '14.0')).toEqual({ result: 'pass', observed: "This computer runs macOS 26.5.2 (IT's minimum: 14.0)." });
    expect(osVersionFinding({ name: 'Windows', version: '10.0.19044' }, '10.0.19045')).toEqual({ result: 'fail', observed: 'This computer runs Windows 10.0.19044; IT requires 10.0.19045 or later.' });
    expect(osVersionFinding({ name: 'Fedora Linux', version: '40' }, undefined)).toMatchObject({ result: 'unknown', observed: expect.stringContaining('names no minimum') });
    expect(osVersionFinding({ name: 'Arch Linux', version: null }, '1')).toMatchObject({ result: 'unknown' });
  });

  it('screen lock: within the limit passes; off, never or too late fails', () => {
    expect(screenLockFinding({ kind: 'after', seconds: 300 }, 15)).toEqual({ result: 'pass', observed: 'The screen locks after 5 minutes without input.' });
    expect(screenLockFinding({ kind: 'after', seconds: 900 }, 15).result).toBe('pass');
    expect(screenLockFinding({ kind: 'after', seconds: 2100 }, 15)).toEqual({ result: 'fail', observed: 'The screen locks after 35 minutes without input; IT allows at most 15 minutes.' });
    expect(screenLockFinding({ kind: 'off' }, 15).result).toBe('fail');
    expect(screenLockFinding({ kind: 'never' }, 15).result).toBe('fail');
  });

  it('antivirus: something running passes, named once; nothing fails', () => {
    expect(protectionFinding(['CrowdStrike Falcon', 'CrowdStrike Falcon'])).toEqual({ result: 'pass', observed: 'Running: CrowdStrike Falcon.' });
    expect(protectionFinding([]).result).toBe('fail');
  });
});
