// The device posture monitor: runs the policy's checks when asked and when their hour is
// up (a controllable clock), audits each change of a result and nothing else, and tells
// the workspace. Its probes are Windows' on real recorded output, through the test double
// of Windows' commands (recordedCommands), switched between runs to change the computer.
import { describe, expect, it } from 'vitest';
import type { AuditEventInput } from '../../../common/audit/auditSink';
import { devicePosturePolicySchema } from '../../../common/policy/policySchema';
import { CHECKING, DEVICE_CHECK_INTERVAL_MS } from '../../../common/posture/devicePostureDecision';
import { deviceProbesFor } from '../../../main/posture/deviceProbes';
import { DevicePosture } from '../../../main/posture/devicePosture';
import { recordedCommands, sample, type Sample } from './samples';

const T0 = Date.parse('2027-03-01T15:00:00Z');
const policy = devicePosturePolicySchema.parse({ diskEncryption: { level: 'required' }, firewall: { level: 'recommended' } });

function setup(osRelease: () => string = () => '10.0.22631', input = policy) {
  const world = { now: T0, recorded: [sample('windows', 'bitlocker-on'), sample('windows', 'firewall-all-on')] as Sample[], changes: 0 };
  const events: AuditEventInput[] = [];
  const notices: string[] = [];
  const probes = deviceProbesFor('win32', {
    // The recording is read at each call, so a test changes the computer between runs.
    run: (file, args) => recordedCommands(world.recorded)(file, args),
    files: { readText: () => Promise.resolve(null), listDir: () => Promise.resolve(null), realPath: () => Promise.resolve(null) },
    processes: { list: () => Promise.resolve([]) },
    env: {},
    osRelease,
    home: '/nowhere',
  });
  const posture = new DevicePosture({ policy: input, platform: 'win32', probes, audit: { record: (e) => events.push(e) }, now: () => world.now, onChange: () => (world.changes += 1), notify: (t) => notices.push(t) });
  return { posture, world, events, notices };
}

describe('DevicePosture', () => {
  it('keeps hosted apps closed until the first run, then opens them when the required check passes; audits each first result', async () => {
    const { posture, world, events } = setup();
    expect(posture.appsHidden()).toEqual(CHECKING);
    await posture.checkNow();
    expect(posture.appsHidden()).toBeNull();
    expect(world.changes).toBe(1);
    expect(events).toEqual([
      { type: 'device.posture-changed', outcome: 'success', reason: 'diskEncryption:pass:required' },
      { type: 'device.posture-changed', outcome: 'success', reason: 'firewall:pass:recommended' },
    ]);
  });

  it('audits a result only when it changes, and never what the check saw', async () => {
    const { posture, world, events } = setup();
    await posture.checkNow();
    await posture.checkNow();
    expect(events).toHaveLength(2);
    world.recorded = [sample('windows', 'bitlocker-off'), sample('windows', 'firewall-all-off')];
    await posture.checkNow();
    expect(events.slice(2)).toEqual([
      { type: 'device.posture-changed', outcome: 'blocked', reason: 'diskEncryption:fail:required' },
      { type: 'device.posture-changed', outcome: 'failure', reason: 'firewall:fail:recommended' },
    ]);
    expect(JSON.stringify(events)).not.toMatch(/BitLocker|Defender|profile/);
    expect(posture.appsHidden()?.message).toContain('Disk encryption: BitLocker is off on the system drive. Turn on BitLocker');
  });

  it('runs on the tick when there is no result yet and again when the hour is up, not before; only the checks the policy turns on', async () => {
    const { posture, world } = setup();
    await posture.checkIfDue();
    expect(world.changes).toBe(1);
    world.now = T0 + DEVICE_CHECK_INTERVAL_MS - 1;
    expect(posture.checkIfDue()).toBeNull();
    world.now = T0 + DEVICE_CHECK_INTERVAL_MS;
    await posture.checkIfDue();
    expect(world.changes).toBe(2);
    expect(posture.view().checks.filter((c) => c.level === 'off').map((c) => c.check)).toEqual(['screenLock', 'osVersion', 'antivirus']);
  });

  it('does nothing on the tick when the policy turns every check off', () => {
    const { posture, world } = setup(undefined, devicePosturePolicySchema.parse({}));
    expect(posture.checkIfDue()).toBeNull();
    expect(world.changes).toBe(0);
    expect(posture.appsHidden()).toBeNull();
  });

  it('a sign-in during a run gets a run of its own afterwards, so its results postdate the sign-in', async () => {
    const { posture, world } = setup();
    const first = posture.checkNow();
    const duringIt = posture.checkNow();
    expect(duringIt).toBe(first);
    await first;
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(world.changes).toBe(2);
  });

  it('a probe that throws makes its check unknown, never a pass', async () => {
    const p = devicePosturePolicySchema.parse({ osVersion: { level: 'required', windows: '10.0.19045' } });
    const { posture, events } = setup(() => {
      throw new Error('os.release failed');
    }, p);
    await posture.checkNow();
    expect(events).toEqual([{ type: 'device.posture-changed', outcome: 'blocked', reason: 'osVersion:unknown:required' }]);
    expect(posture.appsHidden()?.message).toContain('Operating system version: The check could not be run.');
  });

  it("tells the VA what IT recommends once, when it changes", async () => {
    const { posture, world, notices } = setup();
    world.recorded = [sample('windows', 'bitlocker-on'), sample('windows', 'firewall-all-off')];
    await posture.checkNow();
    await posture.checkNow();
    expect(notices).toEqual([expect.stringMatching(/^IT recommends changes to this computer's settings\. Firewall: Microsoft Defender Firewall is off/)]);
    world.recorded = [sample('windows', 'bitlocker-on'), sample('windows', 'firewall-all-on')];
    await posture.checkNow();
    expect(notices).toHaveLength(1);
  });
});
