// The macOS and Windows probes end to end on real recorded output, through a test double
// of those OSes' commands (they cannot run here): `recordedCommands` answers each command
// with its recording, and anything unrecorded as not found.
import { describe, expect, it } from 'vitest';
import { devicePosturePolicySchema } from '../../../common/policy/policySchema';
import type { CheckFinding } from '../../../common/posture/deviceChecks';
import type { ProbeDeps } from '../../../main/posture/deviceProbes';
import { deviceProbesFor } from '../../../main/posture/deviceProbes';
import { recordedCommands, sample, type Sample } from './samples';

const policy = devicePosturePolicySchema.parse({ screenLock: { level: 'required', maxMinutes: 15 }, osVersion: { level: 'required', windows: '10.0.19045', macos: '14.0' } });

function deps(recorded: Sample[], overrides: Partial<ProbeDeps> = {}): ProbeDeps & { asked: string[][] } {
  const run = recordedCommands(recorded);
  const nothing = () => Promise.resolve(null);
  return {
    run,
    asked: run.asked,
    files: { readText: nothing, listDir: nothing, realPath: nothing },
    processes: { list: () => Promise.reject(new Error('not recorded')) },
    env: {},
    osRelease: () => '10.0.22631',
    home: '/nowhere',
    ...overrides,
  };
}

const results = (findings: CheckFinding[]) => findings.map((f) => f.result);

describe('macOS probes on recorded output', () => {
  const mac = (...names: string[]) => deviceProbesFor('darwin', deps(names.map((n) => sample('macos', n))));

  it('the captured MacBook Air: FileVault on, macOS 26.5.2; its screen locks 35 minutes after the last input on AC power, so the 15-minute limit fails', async () => {
    const probes = mac('fdesetup-on', 'firewall-disabled', 'screenlock-300', 'idletime-unset', 'pmset-custom', 'sw-vers');
    expect(await probes.diskEncryption(policy)).toEqual({ result: 'pass', observed: 'FileVault is on.' });
    expect(await probes.firewall(policy)).toEqual({ result: 'fail', observed: 'The macOS firewall is off.' });
    expect(await probes.screenLock(policy)).toEqual({ result: 'fail', observed: 'The screen locks after 35 minutes without input; IT allows at most 15 minutes.' });
    expect(await probes.osVersion(policy)).toMatchObject({ result: 'pass', observed: expect.stringContaining('macOS 26.5.2') });
  });

  it('a screen saver after 10 minutes with the password asked immediately passes', async () => {
    expect(await mac('screenlock-immediate', 'idletime-600', 'pmset-custom').screenLock(policy)).toEqual({ result: 'pass', observed: 'The screen locks after 10 minutes without input.' });
    expect(await mac('screenlock-off', 'idletime-600', 'pmset-custom').screenLock(policy)).toMatchObject({ result: 'fail', observed: 'The screen does not lock by itself.' });
  });

  it('a tool that is not there gives unknown, never a pass', async () => {
    const probes = mac();
    const findings = await Promise.all([probes.diskEncryption(policy), probes.firewall(policy), probes.screenLock(policy), probes.osVersion(policy), probes.antivirus(policy)]);
    expect(results(findings)).toEqual(['unknown', 'unknown', 'unknown', 'unknown', 'unknown']);
    expect(findings[0]?.observed).toBe('fdesetup is not available on this computer.');
  });
});

describe('Windows probes on recorded output', () => {
  const windows = (names: string[], overrides: Partial<ProbeDeps> = {}) => {
    const d = deps(names.map((n) => sample('windows', n)), overrides);
    return { probes: deviceProbesFor('win32', d), asked: d.asked };
  };

  it('BitLocker on, Bitdefender on, every firewall profile on, locked after 5 minutes of inactivity, build 22631: all pass', async () => {
    const { probes } = windows(['bitlocker-on', 'antivirus-bitdefender-on-defender-off', 'firewall-all-on', 'reg-machine-inactivity-300', 'reg-key-missing', 'reg-user-desktop-not-secure']);
    const findings = await Promise.all([probes.diskEncryption(policy), probes.screenLock(policy), probes.osVersion(policy), probes.firewall(policy), probes.antivirus(policy)]);
    expect(findings).toEqual([
      { result: 'pass', observed: 'BitLocker protects the system drive.' },
      { result: 'pass', observed: 'The screen locks after 5 minutes without input.' },
      { result: 'pass', observed: "This computer runs Windows 10.0.22631 (IT's minimum: 10.0.19045)." },
      { result: 'pass', observed: 'Microsoft Defender Firewall is on for every network profile.' },
      { result: 'pass', observed: 'Running: Bitdefender Antivirus.' },
    ]);
  });

  it('BitLocker off and every firewall profile off fail; what was not recorded (Security Center, two registry keys) is unknown', async () => {
    const { probes } = windows(['bitlocker-off', 'firewall-all-off', 'reg-user-desktop-not-secure']);
    expect(results(await Promise.all([probes.diskEncryption(policy), probes.firewall(policy), probes.antivirus(policy), probes.screenLock(policy)]))).toEqual(['fail', 'fail', 'unknown', 'unknown']);
  });

  it("runs Windows' own tools by absolute path, believing SystemRoot only when it is a drive's Windows folder", async () => {
    const planted = windows([], { env: { SystemRoot: 'C:\\Users\\va\\Downloads\\Windows' } });
    await planted.probes.diskEncryption(policy);
    expect(planted.asked[0]?.[0]).toBe('C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe');
    const elsewhere = windows([], { env: { SystemRoot: 'D:\\Windows' } });
    await elsewhere.probes.screenLock(policy);
    expect(elsewhere.asked.map((a) => a.slice(0, 2))).toContainEqual(['D:\\Windows\\System32\\reg.exe', 'query']);
  });
});
