// What the renderer is told once the idle lock and the capture checks have had their say.
import { describe, expect, it } from 'vitest';
import type { ShellState } from '../../../common/ipc/contract';
import { shellStateSchema } from '../../../common/ipc/contract';
import { gatedShellState } from '../../../main/shell/shellState';

const workspace: ShellState = {
  kind: 'workspace',
  practiceName: 'Sunrise Family Medicine',
  identity: { name: 'Valerie Assistant', email: 'va@example.com', roles: ['va'], mfaMethods: ['otp'], signedInAt: '2027-03-01T12:00:00.000Z' },
  apps: [{ id: 'ehr', name: 'EHR' }],
  activeAppId: 'ehr',
  posture: [],
};
const hidden = { code: 'capture-tool-running', message: 'Practice apps are hidden while obs is running. Close it to continue.' };

describe('workspace gates', () => {
  it('an active session with nothing hidden leaves the workspace as it is', () => {
    expect(gatedShellState(workspace, { idle: { phase: 'active' }, appsHidden: null })).toEqual(workspace);
  });

  it('the idle lock replaces the workspace: user name and reason, no apps, no email', () => {
    const locked = gatedShellState(workspace, { idle: { phase: 'locked', reason: 'suspend' }, appsHidden: hidden });
    expect(locked).toEqual({ kind: 'idle-locked', practiceName: 'Sunrise Family Medicine', userName: 'Valerie Assistant', reason: 'suspend', posture: [] });
    expect(shellStateSchema.parse(locked)).toEqual(locked);
  });

  it('the countdown and a hiding reason annotate the workspace', () => {
    const gated = gatedShellState(workspace, { idle: { phase: 'warning', lockAt: 1_800_000_000_000 }, appsHidden: hidden });
    expect(gated).toMatchObject({ kind: 'workspace', idleWarning: { lockAt: 1_800_000_000_000 }, appsHidden: hidden });
    expect(shellStateSchema.parse(gated)).toEqual(gated);
  });

  it('leaves every other state alone: an audit-failure lock is never turned into an unlockable one', () => {
    const others: ShellState[] = [
      { kind: 'locked', reason: { code: 'audit-disk-full', message: 'Cordon is locked: the disk is full' }, posture: [] },
      { kind: 'signed-out', practiceName: 'P', posture: [] },
      { kind: 'policy-error', problem: { code: 'expired', file: 'f', reason: 'r' }, posture: [] },
    ];
    for (const state of others) expect(gatedShellState(state, { idle: { phase: 'locked', reason: 'idle' }, appsHidden: hidden })).toBe(state);
  });
});
