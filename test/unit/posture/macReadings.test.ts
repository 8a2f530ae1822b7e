// macOS's answers, read from real output captured on Macs by others (fixtures/README.md).
import { describe, expect, it } from 'vitest';
import { displaySleepMinutes, fileVaultFinding, macFirewallFinding, macScreenLock, macVersion, passwordDelay, screenSaverIdle } from '../../../main/posture/macReadings';
import { sample, stdoutOf } from './samples';

const out = (name: string) => stdoutOf(sample('macos', name));
const err = (name: string) => sample('macos', name).stderr ?? '';

describe('macOS readings', () => {
  it('FileVault: on passes; off, deferred, encrypting and pending fail; anything else is unknown', () => {
    expect(fileVaultFinding(out('fdesetup-on'))).toEqual({ result: 'pass', observed: 'FileVault is on.' });
    expect(fileVaultFinding(out('fdesetup-off'))).toEqual({ result: 'fail', observed: 'FileVault is off.' });
    expect(fileVaultFinding(out('fdesetup-off-deferred'))).toMatchObject({ result: 'fail', observed: expect.stringContaining('turns on at the next log out') });
    expect(fileVaultFinding(out('fdesetup-encrypting'))).toEqual({ result: 'fail', observed: 'FileVault is still encrypting the disk (37.51% done).' });
    expect(fileVaultFinding(out('fdesetup-pending'))).toMatchObject({ result: 'fail', observed: expect.stringContaining('waiting to start') });
    expect(fileVaultFinding('Error: Unable to get status.')).toMatchObject({ result: 'unknown' });
  });

  it('firewall: state 1 or 2 passes, 0 fails, other text is unknown', () => {
    expect(macFirewallFinding(out('firewall-enabled'))).toEqual({ result: 'pass', observed: 'The macOS firewall is on.' });
    expect(macFirewallFinding(out('firewall-disabled'))).toEqual({ result: 'fail', observed: 'The macOS firewall is off.' });
    expect(macFirewallFinding('Firewall is blocking all non-essential incoming connections. (State = 2)')).toMatchObject({ result: 'pass' });
    expect(macFirewallFinding('')).toMatchObject({ result: 'unknown' });
  });

  it('sysadminctl: the password delay behind its log prefix (on stderr), immediate as 0, off as off', () => {
    expect(passwordDelay(err('screenlock-300'))).toEqual({ kind: 'after', seconds: 300 });
    expect(passwordDelay(err('screenlock-5'))).toEqual({ kind: 'after', seconds: 5 });
    expect(passwordDelay(err('screenlock-immediate'))).toEqual({ kind: 'after', seconds: 0 });
    expect(passwordDelay(err('screenlock-off'))).toEqual({ kind: 'off' });
    expect(passwordDelay('screenLock delay is -1.000000 seconds')).toEqual({ kind: 'off' });
    expect(passwordDelay('')).toBeNull();
  });

  it("screen saver idle time: seconds, 'unset' when never set, null for anything else", () => {
    const unset = sample('macos', 'idletime-unset');
    expect(screenSaverIdle(unset.exitCode ?? 0, out('idletime-unset'), unset.stderr ?? '')).toBe('unset');
    expect(screenSaverIdle(0, out('idletime-600'), '')).toBe(600);
    expect(screenSaverIdle(1, '', 'defaults: permission denied')).toBeNull();
  });

  it('display sleep per power source from pmset', () => {
    expect(displaySleepMinutes(out('pmset-custom'))).toEqual([2, 30]);
    expect(displaySleepMinutes('AC Power:\n sleep 1\n')).toBeNull();
  });

  it('the screen locks when the saver starts or the display sleeps, plus the delay, on the slowest power source', () => {
    const display = displaySleepMinutes(out('pmset-custom')) ?? [];
    // The captured MacBook Air: no screen saver, display off after 2 min (battery) / 30 min (AC), password after 300 s.
    expect(macScreenLock({ kind: 'after', seconds: 300 }, 'unset', display)).toEqual({ kind: 'after', seconds: 30 * 60 + 300 });
    expect(macScreenLock({ kind: 'after', seconds: 0 }, 600, display)).toEqual({ kind: 'after', seconds: 600 });
    expect(macScreenLock({ kind: 'after', seconds: 0 }, 0, [0])).toEqual({ kind: 'never' });
    expect(macScreenLock({ kind: 'off' }, 600, display)).toEqual({ kind: 'off' });
  });

  it('version from sw_vers', () => {
    expect(macVersion(out('sw-vers'))).toBe('26.5.2');
    expect(macVersion('')).toBeNull();
  });
});
