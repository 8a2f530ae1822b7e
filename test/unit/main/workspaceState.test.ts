// The workspace's state has one owner: what the shell shows, why it is locked, and when
// the shell must be told.
import { describe, expect, it } from 'vitest';
import type { Identity } from '../../../common/auth/identity';
import type { AppsHiddenReason } from '../../../common/capture/captureProtection';
import type { TrainingInput } from '../../../common/gates/gateOrder';
import type { ShellState } from '../../../common/ipc/contract';
import { policyV1Schema } from '../../../common/policy/policySchema';
import type { PolicyResult } from '../../../common/policy/signedPolicy';
import type { IdleStatus } from '../../../main/session/idleLock';
import { ShellNotices } from '../../../main/shell/shellNotices';
import { WorkspaceState } from '../../../main/workspace/workspaceState';
import { validPolicy } from '../../support/policyFixtures';

const base = validPolicy();
const [ehr] = base.apps;
if (ehr === undefined) throw new Error('the fixture policy has an app');
const policy: PolicyResult = { ok: true, policy: policyV1Schema.parse({ ...base, apps: [ehr, { ...ehr, id: 'messages', name: 'Messages' }] }), file: '/etc/cordon/policy.json', keyId: 'k' };
const valerie: Identity = { subject: 'sub-1', name: 'Valerie Assistant', email: 'va@example.com', roles: ['va'], mfaMethods: ['otp'], authTime: 1_800_000_000 } as Identity;

function setup() {
  const world = { identity: null as Identity | null, idle: { phase: 'signed-out' } as IdleStatus, failure: null as { code: string; message: string } | null, now: 0, device: null as AppsHiddenReason | null, capture: null as AppsHiddenReason | null, training: { state: 'not-configured' } as TrainingInput };
  const state = new WorkspaceState({
    policy,
    posture: () => [],
    identity: () => world.identity,
    idle: () => world.idle,
    appsHidden: () => world.capture,
    devicePosture: () => world.device,
    training: () => world.training,
    auditFailure: () => world.failure,
    notices: new ShellNotices(() => world.now),
  });
  const pushed: ShellState[] = [];
  const locks: string[] = [];
  let hides = 0;
  state.onChange((s) => pushed.push(s));
  state.onLock((reason) => locks.push(reason.code));
  state.onAppsHidden(() => (hides += 1));
  return { state, world, pushed, locks, hides: () => hides };
}

describe('WorkspaceState', () => {
  it('shows the sign-in screen, then the workspace on the app last shown', () => {
    const { state, world } = setup();
    expect(state.current()).toMatchObject({ kind: 'signed-out' });
    world.identity = valerie;
    world.idle = { phase: 'active' };
    expect(state.current()).toMatchObject({ kind: 'workspace', activeAppId: ehr.id });
    state.appShown('messages');
    expect(state.current()).toMatchObject({ kind: 'workspace', activeAppId: 'messages' });
  });

  it('locks when the queue is past its hard limit, says why, tells the lock listeners once, and unlocks when it drains', () => {
    const { state, world, locks } = setup();
    world.identity = valerie;
    world.idle = { phase: 'active' };
    state.queuePressure('soft');
    expect(state.current()).toMatchObject({ kind: 'workspace', notice: { text: expect.stringContaining('has not reached the practice') } });
    expect(locks).toEqual([]);
    state.queuePressure('hard');
    state.queuePressure('hard');
    expect(state.lockReason()?.code).toBe('audit-queue-full');
    expect(state.current()).toMatchObject({ kind: 'locked', reason: { code: 'audit-queue-full' } });
    expect(locks).toEqual(['audit-queue-full']);
    state.queuePressure('ok');
    expect(state.current()).toMatchObject({ kind: 'workspace' });
  });

  it('an audit failure locks before anything else and tells the lock listeners at the next publish', () => {
    const { state, world, locks } = setup();
    world.failure = { code: 'disk-full', message: 'the disk is full' };
    state.publish();
    expect(state.current()).toMatchObject({ kind: 'locked', reason: { code: 'audit-disk-full' } });
    expect(locks).toEqual(['audit-disk-full']);
  });

  it('after an automatic logoff the sign-in screen says why, until the next sign-in', () => {
    const { state } = setup();
    state.observe({ type: 'session.logoff', outcome: 'success', reason: 'idle' });
    expect(state.current()).toMatchObject({ kind: 'signed-out', notice: expect.stringContaining('signed you out') });
    state.observe({ type: 'sign-in.succeeded', outcome: 'success' });
    expect(state.current()).not.toHaveProperty('notice');
  });

  it('keeps a notice for the sign-in screen until the next sign-in (a refused start)', () => {
    const { state, pushed } = setup();
    state.noticeUntilSignIn('The last time: Cordon did not start because …');
    expect(pushed.at(-1)).toMatchObject({ kind: 'signed-out', notice: 'The last time: Cordon did not start because …' });
    state.observe({ type: 'sign-in.succeeded', outcome: 'success' });
    expect(state.current()).not.toHaveProperty('notice');
  });

  it('pushes each change once, and nothing when nothing changed', () => {
    const { state, world, pushed } = setup();
    state.publish();
    state.publish();
    expect(pushed.map((s) => s.kind)).toEqual(['signed-out']);
    world.identity = valerie;
    world.idle = { phase: 'active' };
    state.publish();
    world.idle = { phase: 'warning', lockAt: 60_000 };
    state.publish();
    state.publish();
    expect(pushed.map((s) => s.kind)).toEqual(['signed-out', 'workspace', 'workspace']);
    expect(pushed[2]).toMatchObject({ idleWarning: { lockAt: 60_000 } });
    // A notice appears and, once expired, disappears: both are changes.
    state.notify('Printing is turned off by your practice.');
    world.now = 60_000;
    state.publish();
    expect(pushed.slice(3).map((s) => (s.kind === 'workspace' ? (s.notice?.text ?? null) : s.kind))).toEqual(['Printing is turned off by your practice.', null]);
  });

  it('a required device check not passing withholds the apps with its reason, and the hide listeners run once as it begins', () => {
    const { state, world, hides } = setup();
    world.identity = valerie;
    world.idle = { phase: 'active' };
    state.publish();
    expect(hides()).toBe(0);
    world.device = { code: 'device-posture:diskEncryption', message: 'Practice apps stay closed until … Disk encryption: BitLocker is off on the system drive. Turn on BitLocker …' };
    state.publish();
    state.publish();
    expect(state.current()).toMatchObject({ kind: 'workspace', appsHidden: { code: 'device-posture:diskEncryption' } });
    expect(hides()).toBe(1);
    // A capture tool running says so first; the apps stay withheld either way.
    world.capture = { code: 'capture-tool-running', message: 'Practice apps are hidden while obs is running.' };
    state.publish();
    expect(state.current()).toMatchObject({ appsHidden: { code: 'capture-tool-running' } });
    expect(hides()).toBe(1);
    world.capture = null;
    world.device = null;
    state.publish();
    expect(state.current()).not.toHaveProperty('appsHidden', expect.anything());
    world.device = { code: 'device-check-pending', message: 'Checking …' };
    state.publish();
    expect(hides()).toBe(2);
  });

  it('training overdue withholds the apps with its sentence before a failing device check; checking and unknown withhold them too', () => {
    const { state, world, hides } = setup();
    world.identity = valerie;
    world.idle = { phase: 'active' };
    world.training = { state: 'checking' };
    state.publish();
    expect(state.current()).toMatchObject({ kind: 'workspace', appsHidden: { code: 'training-checking' } });
    expect(hides()).toBe(1);
    const overdue = { code: 'training-overdue', message: 'Your training "HIPAA privacy and security" was due on 10 February 2027 and is overdue, so practice apps stay closed. Ask Dana Reyes about it: apps open again once your completion is recorded.' };
    world.training = { state: 'closed', reason: overdue };
    world.device = { code: 'device-posture:firewall', message: 'Turn on the firewall.' };
    state.publish();
    expect(state.current()).toMatchObject({ kind: 'workspace', appsHidden: overdue });
    world.training = { state: 'unknown' };
    state.publish();
    expect(state.current()).toMatchObject({ appsHidden: { code: 'training-unknown' } });
    world.training = { state: 'clear' };
    state.publish();
    expect(state.current()).toMatchObject({ appsHidden: { code: 'device-posture:firewall' } });
    world.device = null;
    state.publish();
    expect(state.current()).not.toHaveProperty('appsHidden', expect.anything());
    expect(hides()).toBe(1);
  });
});
