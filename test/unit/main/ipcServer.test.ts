import { describe, expect, it } from 'vitest';
import { IPC_CHANNELS } from '../../../common/ipc/channels';
import type { IpcHandlers, ShellState } from '../../../common/ipc/contract';
import { registerIpcHandlers, senderRefusal, type IpcRefusal } from '../../../main/ipc/ipcServer';
import { createShellHandlers } from '../../../main/shell/shellHandlers';
import { AuthError } from '../../../common/auth/authErrors';
import { FakeIpcMain, fakeFrame, fakeInvokeEvent } from '../../support/electronFakes';

const SHELL_ID = 7;
const shellFrame = fakeFrame('cordon://app/index.html');

const workspace: ShellState = {
  kind: 'workspace',
  practiceName: 'Test',
  identity: { name: 'Val Assistant', email: 'va@example.com', roles: ['va'], mfaMethods: ['pwd', 'otp'], signedInAt: '2027-03-01T12:00:00.000Z' },
  apps: [{ id: 'ehr', name: 'EHR' }],
  activeAppId: 'ehr',
  posture: [],
};

function setup(state: ShellState = workspace, handlers?: Partial<IpcHandlers>) {
  const ipc = new FakeIpcMain();
  const refusals: IpcRefusal[] = [];
  registerIpcHandlers(ipc, { ...createShellHandlers(() => state, null), ...handlers }, { shellWebContentsId: () => SHELL_ID, onRefused: (r) => refusals.push(r) });
  return { ipc, refusals };
}

describe('IPC server', () => {
  it('registers a handler for every channel of the contract', () => {
    const { ipc } = setup();
    expect([...ipc.handlers.keys()].sort()).toEqual(Object.values(IPC_CHANNELS).sort());
  });

  it('answers the shell window with validated results', async () => {
    const { ipc, refusals } = setup();
    expect(await ipc.invoke(IPC_CHANNELS.getShellState, fakeInvokeEvent(SHELL_ID, shellFrame))).toEqual(workspace);
    expect(await ipc.invoke(IPC_CHANNELS.selectApp, fakeInvokeEvent(SHELL_ID, shellFrame), 'ehr')).toEqual({ ok: true });
    expect(await ipc.invoke(IPC_CHANNELS.selectApp, fakeInvokeEvent(SHELL_ID, shellFrame), 'billing')).toEqual({ ok: false, message: 'That app is not approved by the policy.' });
    expect(refusals).toEqual([]);
  });

  const badArguments: [string, unknown[]][] = [
    ['a number instead of an app id', [42]],
    ['an object', [{ toString: 'ehr' }]],
    ['a path-like string', ['../../etc/passwd']],
    ['an overlong id', ['a'.repeat(300)]],
    ['no argument', []],
    ['an extra argument', ['ehr', 'more']],
  ];
  for (const [name, args] of badArguments) {
    it(`refuses ${name} and reports it`, async () => {
      const { ipc, refusals } = setup();
      await expect(ipc.invoke(IPC_CHANNELS.selectApp, fakeInvokeEvent(SHELL_ID, shellFrame), ...args)).rejects.toThrow('Request refused');
      expect(refusals).toHaveLength(1);
      expect(refusals[0]?.reason).toMatch(/^invalid arguments/);
    });
  }

  const badCalls: [string, string, unknown[]][] = [
    ['an upper-case document id', IPC_CHANNELS.acceptAgreement, ['Confidentiality', '1']],
    ['a version with a space', IPC_CHANNELS.acceptAgreement, ['confidentiality', 'v 1']],
    ['an overlong version', IPC_CHANNELS.acceptAgreement, ['confidentiality', '1'.repeat(33)]],
    ['no version', IPC_CHANNELS.acceptAgreement, ['confidentiality']],
    ['a number for the version', IPC_CHANNELS.acceptAgreement, ['confidentiality', 1]],
    ['an object for the document', IPC_CHANNELS.declineAgreement, [{ id: 'confidentiality' }]],
    ['a decline without a document', IPC_CHANNELS.declineAgreement, []],
    ['a decline with an extra argument', IPC_CHANNELS.declineAgreement, ['confidentiality', 'now']],
    ['an argument to retry (it takes none)', IPC_CHANNELS.retryAgreement, ['confidentiality']],
    ['a URL instead of an app id', IPC_CHANNELS.reopenApp, ['https://ehr.example.com/']],
    ['no app to reopen', IPC_CHANNELS.reopenApp, []],
    ['two apps to reopen', IPC_CHANNELS.reopenApp, ['ehr', 'messages']],
  ];
  for (const [name, channel, args] of badCalls) {
    it(`refuses ${name} on ${channel} before any handler runs, and reports it`, async () => {
      let handled = false;
      const handle = () => {
        handled = true;
        return { ok: true as const };
      };
      const { ipc, refusals } = setup(workspace, { acceptAgreement: handle, declineAgreement: handle, retryAgreement: handle, reopenApp: handle });
      await expect(ipc.invoke(channel, fakeInvokeEvent(SHELL_ID, shellFrame), ...args)).rejects.toThrow('Request refused');
      expect(handled).toBe(false);
      expect(refusals).toEqual([{ channel, reason: expect.stringMatching(/^invalid arguments/) }]);
    });
  }

  it('refuses an agreement answer from a hosted page, whatever it says', async () => {
    const { ipc, refusals } = setup();
    await expect(ipc.invoke(IPC_CHANNELS.acceptAgreement, fakeInvokeEvent(99, shellFrame), 'confidentiality', '1')).rejects.toThrow('Request refused');
    expect(refusals).toEqual([{ channel: IPC_CHANNELS.acceptAgreement, reason: 'sender is not the Cordon shell window' }]);
  });

  it('refuses an argument to unlock (it takes none) and reports it', async () => {
    const { ipc, refusals } = setup();
    await expect(ipc.invoke(IPC_CHANNELS.unlock, fakeInvokeEvent(SHELL_ID, shellFrame), 'valerie')).rejects.toThrow('Request refused');
    expect(refusals).toHaveLength(1);
    expect(refusals[0]?.channel).toBe(IPC_CHANNELS.unlock);
  });

  it('refuses arguments on a channel that takes none', async () => {
    const { ipc, refusals } = setup();
    await expect(ipc.invoke(IPC_CHANNELS.getShellState, fakeInvokeEvent(SHELL_ID, shellFrame), 'x')).rejects.toThrow('Request refused');
    expect(refusals).toHaveLength(1);
  });

  const foreignSenders: [string, ReturnType<typeof fakeInvokeEvent>][] = [
    ['another webContents (a hosted app)', fakeInvokeEvent(99, shellFrame)],
    ['a subframe of the shell', fakeInvokeEvent(SHELL_ID, fakeFrame('cordon://app/index.html', shellFrame))],
    ['a frame on another origin', fakeInvokeEvent(SHELL_ID, fakeFrame('https://evil.example/'))],
    ['a frame on another cordon host', fakeInvokeEvent(SHELL_ID, fakeFrame('cordon://evil/index.html'))],
    ['a destroyed frame', fakeInvokeEvent(SHELL_ID, fakeFrame('cordon://app/index.html', null, true))],
    ['a missing frame', fakeInvokeEvent(SHELL_ID, null)],
    ['a file:// frame', fakeInvokeEvent(SHELL_ID, fakeFrame('file:///tmp/index.html'))],
  ];
  for (const [name, event] of foreignSenders) {
    it(`refuses ${name} before validating or handling anything`, async () => {
      let handled = false;
      const { ipc, refusals } = setup(workspace, {
        getShellState: () => {
          handled = true;
          return workspace;
        },
      });
      await expect(ipc.invoke(IPC_CHANNELS.getShellState, event)).rejects.toThrow('Request refused');
      expect(handled).toBe(false);
      expect(refusals).toHaveLength(1);
      expect(refusals[0]?.channel).toBe(IPC_CHANNELS.getShellState);
    });
  }

  it('refuses everything while no shell window exists', () => {
    expect(senderRefusal(fakeInvokeEvent(SHELL_ID, shellFrame), undefined)).toMatch(/not the Cordon shell/);
  });

  it('never sends a result that breaks the contract', async () => {
    const { ipc } = setup(workspace, { getShellState: () => ({ kind: 'workspace', token: 'secret' }) as unknown as ShellState });
    await expect(ipc.invoke(IPC_CHANNELS.getShellState, fakeInvokeEvent(SHELL_ID, shellFrame))).rejects.toThrow();
  });
});

describe('shell handlers', () => {
  const identity = { subject: 's', name: 'Val', email: 'v@example.com', roles: ['va' as const], authTime: 1, mfaMethods: ['otp'], acr: null };

  it('refuses sign-in while the policy is refused', async () => {
    const handlers = createShellHandlers(() => ({ kind: 'policy-error', problem: { code: 'expired', file: 'f', reason: 'r' }, posture: [] }), null);
    expect(await handlers.signIn()).toEqual({ ok: false, message: 'Cordon is locked until IT fixes the policy.' });
    expect(await handlers.selectApp('ehr')).toEqual({ ok: false, message: 'Sign in first.' });
  });

  it('refuses sign-in while Cordon is locked, with the lock reason', async () => {
    const locked = createShellHandlers(() => ({ kind: 'locked', reason: { code: 'audit-disk-full', message: 'Cordon is locked: the disk is full' }, posture: [] }), {
      identity: null,
      signIn: () => Promise.reject(new Error('must not be called')),
      signOut: async () => undefined,
    });
    expect(await locked.signIn()).toEqual({ ok: false, message: 'Cordon is locked: the disk is full' });
    expect(await locked.selectApp('ehr')).toEqual({ ok: false, message: 'Sign in first.' });
  });

  it("passes an AuthError's VA message through and hides any other error's text", async () => {
    const state = () => ({ kind: 'signed-out', practiceName: 'P', posture: [] }) as ShellState;
    const mfa = createShellHandlers(state, { identity: null, signIn: () => Promise.reject(new AuthError('mfa-missing', 'token had amr [pwd]')), signOut: async () => undefined });
    expect(await mfa.signIn()).toEqual({ ok: false, message: new AuthError('mfa-missing').message });
    const crash = createShellHandlers(state, { identity: null, signIn: () => Promise.reject(new Error('ECONNRESET at token endpoint secret=abc')), signOut: async () => undefined });
    expect(await crash.signIn()).toEqual({ ok: false, message: 'Sign-in failed. Try again, or call IT.' });
  });

  it('unlocks an idle lock through the session, and nothing else', async () => {
    const unlocks: string[] = [];
    const session = { unlock: async () => (unlocks.push('unlock'), { ok: true as const }) };
    const idleLocked: ShellState = { kind: 'idle-locked', practiceName: 'P', userName: 'Val', reason: 'idle', posture: [] };
    expect(await createShellHandlers(() => idleLocked, null, null, session).unlock()).toEqual({ ok: true });
    expect(await createShellHandlers(() => workspace, null, null, session).unlock()).toEqual({ ok: false, message: 'Cordon is not locked.' });
    expect(await createShellHandlers(() => idleLocked, null, null, null).unlock()).toEqual({ ok: false, message: 'Cordon is not locked.' });
    expect(unlocks).toEqual(['unlock']);
  });

  it('never unlocks an audit-failure lock by signing in again: only fixing the cause ends it', async () => {
    const session = { unlock: () => Promise.reject(new Error('must not be called')) };
    const auditLocked: ShellState = { kind: 'locked', reason: { code: 'audit-disk-full', message: 'Cordon is locked: the disk is full' }, posture: [] };
    expect(await createShellHandlers(() => auditLocked, null, null, session).unlock()).toEqual({ ok: false, message: 'Cordon is locked: the disk is full' });
  });

  it('shows no app while the apps are hidden, and says why', async () => {
    const shown: string[] = [];
    const hiddenState: ShellState = { ...workspace, appsHidden: { code: 'capture-tool-running', message: 'Practice apps are hidden while obs is running. Close it to continue.' } } as ShellState;
    const handlers = createShellHandlers(() => hiddenState, null, { show: (id) => void shown.push(id), hideAll: () => undefined });
    expect(await handlers.selectApp('ehr')).toEqual({ ok: false, message: 'Practice apps are hidden while obs is running. Close it to continue.' });
    expect(shown).toEqual([]);
  });

  it('signs in once and signs out through the auth service', async () => {
    const calls: string[] = [];
    let current: typeof identity | null = null;
    const auth = {
      get identity() {
        return current;
      },
      signIn: async () => {
        calls.push('signIn');
        current = identity;
        return identity;
      },
      signOut: async () => {
        calls.push('signOut');
        current = null;
      },
    };
    const handlers = createShellHandlers(() => ({ kind: 'signed-out', practiceName: 'P', posture: [] }), auth);
    expect(await handlers.signIn()).toEqual({ ok: true });
    expect(await handlers.signIn()).toEqual({ ok: true });
    expect(await handlers.signOut()).toEqual({ ok: true });
    expect(calls).toEqual(['signIn', 'signOut']);
  });
});
