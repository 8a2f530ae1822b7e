// A hosted app that silently signed the VA out (issue 11 item 5), with named stand-ins
// for WebContentsView and Session: the app's top frame reaching one of its signed-out
// pages is audited by origin and marks the app in the shell's state; the strip's button
// (over the validated IPC channel) loads the app's start page again; the app's own page
// showing again ends it.
import { describe, expect, it } from 'vitest';
import type { Identity } from '../../../common/auth/identity';
import { IPC_CHANNELS } from '../../../common/ipc/channels';
import type { ShellState } from '../../../common/ipc/contract';
import { policyV1Schema } from '../../../common/policy/policySchema';
import type { PolicyResult } from '../../../common/policy/signedPolicy';
import { workspaceInfobar } from '../../../common/ui/shellLayout';
import { HostedApps } from '../../../main/hosting/hostedApps';
import { SIGNED_OUT_AUDIT_LIMIT, SIGNED_OUT_AUDIT_WINDOW_MS, SignedOutApps } from '../../../main/hosting/signedOutApps';
import { registerIpcHandlers } from '../../../main/ipc/ipcServer';
import { createShellHandlers } from '../../../main/shell/shellHandlers';
import type { IdleStatus } from '../../../main/session/idleLock';
import { WorkspaceState } from '../../../main/workspace/workspaceState';
import { FakeIpcMain, FakeWebContents, type FakeView, fakeFrame, fakeInvokeEvent, hostedAppsOptions, RecordingAuditSink } from '../../support/electronFakes';
import { validPolicy } from '../../support/policyFixtures';

const base = validPolicy();
const [ehr] = base.apps;
if (ehr === undefined) throw new Error('the fixture policy has an app');
const policy = policyV1Schema.parse({
  ...base,
  apps: [
    { ...ehr, signedOutUrls: ['https://ehr.example.com/login*', 'https://login.example.com/interaction/*'] },
    { id: 'messages', name: 'Messages', startUrl: 'https://chat.example.com/', navigationOrigins: ['https://chat.example.com'] },
  ],
});
const loaded: PolicyResult = { ok: true, policy, file: '/etc/cordon/policy.json', keyId: 'k' };
const valerie = { subject: 'sub-valerie', name: 'Valerie Assistant', email: 'va@example.com', roles: ['va'], mfaMethods: ['pwd', 'otp'], authTime: 1_800_000_000, acr: null } as Identity;
const SHELL = 41;

/** Lets settled promises run their callbacks (the allowlist, then the load). */
const flush = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Hosting and the workspace's state as main/index.ts connects them. */
function workspace() {
  const audit = new RecordingAuditSink();
  let state: WorkspaceState | null = null;
  const hosting = new HostedApps({ ...hostedAppsOptions(policy, audit), onSignedOut: (appId, signedOut) => state?.appSignedOut(appId, signedOut) });
  const current = new WorkspaceState({
    policy: loaded,
    posture: () => [],
    identity: () => valerie,
    idle: (): IdleStatus => ({ phase: 'active' }),
    appsHidden: () => null,
    auditFailure: () => null,
  });
  state = current;
  const pushed: ShellState[] = [];
  current.onChange((next) => pushed.push(next));
  const ipc = new FakeIpcMain();
  registerIpcHandlers(ipc, createShellHandlers(() => current.current(), null, null, null, null, null, hosting), { shellWebContentsId: () => SHELL, onRefused: () => undefined });
  const reopen = (appId: unknown) => ipc.invoke(IPC_CHANNELS.reopenApp, fakeInvokeEvent(SHELL, fakeFrame('cordon://app/index.html')), appId);
  const view = (appId: string) => (hosting.view(appId) as unknown as FakeView).webContents;
  return { audit, hosting, state: current, pushed, reopen, view };
}

describe('a hosted app that signed the VA out', () => {
  it("is noticed on its top frame's navigation, audited by origin only, and shown in a strip naming it", async () => {
    const { audit, state, view } = workspace();
    const contents = view('ehr');
    await flush();
    contents.emit('did-navigate', {}, 'https://ehr.example.com/chart/SYN-0001?tab=meds', 200, 'OK');
    expect(state.current()).toMatchObject({ kind: 'workspace', apps: [{ id: 'ehr', name: 'Test EHR' }, { id: 'messages' }] });
    expect(workspaceInfobar(state.current())).toBeNull();
    contents.emit('did-navigate', {}, 'https://ehr.example.com/login?next=%2Fchart%2FSYN-0001&mrn=SYN-0001', 200, 'OK');
    expect(state.current()).toMatchObject({ kind: 'workspace', apps: [{ id: 'ehr', signedOut: true }, { id: 'messages' }] });
    expect(workspaceInfobar(state.current())).toBe('signed-out');
    // Origin only: the page's path and query (which may name a patient) never reach the trail.
    expect(audit.events.filter((e) => e.type === 'app.signed-out')).toEqual([{ type: 'app.signed-out', outcome: 'success', appId: 'ehr', origin: 'https://ehr.example.com' }]);
    expect(JSON.stringify(audit.events)).not.toContain('SYN-0001');
  });

  it('notices a single-page app routing to its login page in the top frame, not in an iframe', () => {
    const { state, view } = workspace();
    const contents = view('ehr');
    contents.emit('did-navigate-in-page', {}, 'https://ehr.example.com/login', false, 1, 2);
    expect(state.current()).not.toHaveProperty('apps.0.signedOut');
    contents.emit('did-navigate-in-page', {}, 'https://ehr.example.com/login', true, 1, 1);
    expect(state.current()).toHaveProperty('apps.0.signedOut', true);
  });

  it("the strip's button loads the start page again; the app's own page showing again ends it", async () => {
    const { state, view, reopen } = workspace();
    const contents = view('ehr');
    await flush();
    expect(await reopen('ehr')).toEqual({ ok: false, message: 'That app has not signed you out.' });
    contents.emit('did-navigate', {}, 'https://login.example.com/interaction/Xq7/password', 200, 'OK');
    contents.loaded = null;
    expect(await reopen('ehr')).toEqual({ ok: true });
    expect(contents.loaded).toBe('https://ehr.example.com/home');
    // Single sign-on brings the VA back to the app's own page.
    contents.emit('did-navigate', {}, 'https://ehr.example.com/home', 200, 'OK');
    expect(state.current()).not.toHaveProperty('apps.0.signedOut');
    expect(workspaceInfobar(state.current())).toBeNull();
    // The page cannot reload an app that did not sign out, nor one the policy does not list.
    expect(await reopen('messages')).toEqual({ ok: false, message: 'That app has not signed you out.' });
    await expect(reopen('../ehr')).rejects.toThrow('Request refused');
  });

  it('an app without signed-out pages is never said to be signed out', () => {
    const { state, view, audit } = workspace();
    view('messages').emit('did-navigate', {}, 'https://chat.example.com/login', 200, 'OK');
    expect(state.current()).not.toHaveProperty('apps.1.signedOut');
    expect(audit.events.filter((e) => e.type === 'app.signed-out')).toEqual([]);
  });

  it('sign-out closes the views and forgets which apps had signed the VA out', () => {
    const { state, view, hosting } = workspace();
    view('ehr').emit('did-navigate', {}, 'https://ehr.example.com/login', 200, 'OK');
    expect(state.current()).toHaveProperty('apps.0.signedOut', true);
    hosting.destroyAll();
    expect(state.current()).not.toHaveProperty('apps.0.signedOut');
  });

  it('the strip shows only over the app on screen, and only while apps show; it takes the place of the connect step', () => {
    const { state, view } = workspace();
    view('ehr').emit('did-navigate', {}, 'https://ehr.example.com/login', 200, 'OK');
    const now = state.current();
    if (now.kind !== 'workspace') throw new Error('the workspace shows');
    expect(workspaceInfobar({ ...now, enrollment: { message: 'Not connected.' } })).toBe('signed-out');
    expect(workspaceInfobar({ ...now, activeAppId: 'messages', enrollment: { message: 'Not connected.' } })).toBe('enrollment');
    expect(workspaceInfobar({ ...now, activeAppId: 'messages' })).toBeNull();
    expect(workspaceInfobar({ ...now, appsHidden: { code: 'capture-protection-unavailable', message: 'Hidden.' } })).toBeNull();
  });

  it('a page flipping between its login route and another is audited within a budget, the rest summarised', () => {
    const audit = new RecordingAuditSink();
    let now = 0;
    const changes: boolean[] = [];
    const apps = new SignedOutApps(audit, (_id, signedOut) => changes.push(signedOut), () => now);
    const contents = new FakeWebContents();
    apps.watch(contents as never, { id: 'ehr', signedOutUrls: ['https://ehr.example.com/login'] });
    for (let i = 0; i < SIGNED_OUT_AUDIT_LIMIT + 7; i += 1) {
      contents.emit('did-navigate-in-page', {}, 'https://ehr.example.com/login', true, 1, 1);
      contents.emit('did-navigate-in-page', {}, 'https://ehr.example.com/', true, 1, 1);
    }
    expect(changes).toHaveLength(2 * (SIGNED_OUT_AUDIT_LIMIT + 7));
    expect(audit.events).toHaveLength(SIGNED_OUT_AUDIT_LIMIT);
    now = SIGNED_OUT_AUDIT_WINDOW_MS;
    contents.emit('did-navigate', {}, 'https://ehr.example.com/login', 200, 'OK');
    expect(audit.events.slice(SIGNED_OUT_AUDIT_LIMIT)).toEqual([
      { type: 'app.signed-out', outcome: 'success', appId: 'ehr', reason: 'repeated:7' },
      { type: 'app.signed-out', outcome: 'success', appId: 'ehr', origin: 'https://ehr.example.com' },
    ]);
  });
});
