// Agreements as main/index.ts connects them: the workspace's state asks the agreement
// gate (real device storage) before device posture, the shell's IPC channels carry the
// VA's answer with sender checks, and main, not the page, keeps the apps closed until
// every agreement is accepted. Declining signs out through the Sign out path.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Identity } from '../../../common/auth/identity';
import type { AppsHiddenReason } from '../../../common/capture/captureProtection';
import { oneYearAfter } from '../../../common/gates/agreementStanding';
import { IPC_CHANNELS } from '../../../common/ipc/channels';
import type { ShellState } from '../../../common/ipc/contract';
import { policyV1Schema } from '../../../common/policy/policySchema';
import type { PolicyResult } from '../../../common/policy/signedPolicy';
import { openDeviceAudit } from '../../../main/audit/openDeviceAudit';
import { AgreementDocuments } from '../../../main/gates/agreementDocuments';
import { AgreementGate } from '../../../main/gates/agreementGate';
import { registerIpcHandlers } from '../../../main/ipc/ipcServer';
import type { IdleStatus } from '../../../main/session/idleLock';
import { createShellHandlers } from '../../../main/shell/shellHandlers';
import { WorkspaceState } from '../../../main/workspace/workspaceState';
import { FakeKeychain } from '../../support/authHarness';
import { FakeIpcMain, fakeFrame, fakeInvokeEvent, RecordingAuditSink } from '../../support/electronFakes';
import { validPolicy } from '../../support/policyFixtures';

const SHELL = 41;
const START = Date.parse('2027-03-01T15:04:00Z');
const agreements = [
  { id: 'confidentiality', title: 'Confidentiality agreement', version: '2027-1', text: 'I keep patient information confidential.', reaccept: 'yearly' },
  { id: 'acceptable-use', title: 'Acceptable use', version: '4', text: 'I use the practice computer only for practice work.', reaccept: 'new-version' },
] as const;
const policy: PolicyResult = { ok: true, policy: policyV1Schema.parse({ ...validPolicy(), agreements }), file: '/etc/cordon/policy.json', keyId: 'k' };
const valerie = { subject: 'sub-valerie', name: 'Valerie Assistant', email: 'va@example.com', roles: ['va'], mfaMethods: ['pwd', 'otp'], authTime: 1_800_000_000, acr: null } as Identity;

/** Main's pieces as main/index.ts connects them; the sign-in and hosting stand-ins record what they are asked. */
function laptop(userData = mkdtempSync(path.join(tmpdir(), 'cordon-agreement-wiring-'))) {
  const device = openDeviceAudit(userData, new FakeKeychain(), 'linux');
  const audit = new RecordingAuditSink();
  const world = { identity: valerie as Identity | null, now: START, device: null as AppsHiddenReason | null };
  const calls: string[] = [];
  const record = audit.record.bind(audit);
  audit.record = (event) => {
    calls.push(event.type);
    record(event);
  };
  let state: WorkspaceState | null = null;
  const gate = new AgreementGate({
    documents: new AgreementDocuments({ agreements: policy.ok ? policy.policy.agreements : [], fetch: () => Promise.reject(new Error('no URL documents here')), audit, onChange: () => state?.publish() }),
    store: device.agreements,
    audit,
    identity: () => world.identity,
    now: () => world.now,
    onChange: () => state?.publish(),
  });
  state = new WorkspaceState({
    policy,
    posture: () => [],
    identity: () => world.identity,
    idle: (): IdleStatus => (world.identity === null ? { phase: 'signed-out' } : { phase: 'active' }),
    appsHidden: () => null,
    devicePosture: () => world.device,
    agreements: (identity) => gate.inputFor(identity),
    now: () => world.now,
    auditFailure: () => null,
  });
  const current = state;
  let hides = 0;
  current.onAppsHidden(() => (hides += 1));
  const pushed: ShellState[] = [];
  current.onChange((next) => pushed.push(next));
  const auth = {
    get identity() {
      return world.identity;
    },
    signIn: () => Promise.reject(new Error('not in this test')),
    signOut: async () => {
      calls.push('signOut');
      world.identity = null;
    },
  };
  const workspace = { show: (appId: string) => void calls.push(`show ${appId}`), hideAll: () => void calls.push('hideAll') };
  const ipc = new FakeIpcMain();
  const refusals: string[] = [];
  registerIpcHandlers(ipc, createShellHandlers(() => current.current(), auth, workspace, null, null, gate), { shellWebContentsId: () => SHELL, onRefused: (r) => refusals.push(r.reason) });
  const shell = fakeInvokeEvent(SHELL, fakeFrame('cordon://app/index.html'));
  const invoke = (channel: string, ...args: unknown[]) => ipc.invoke(channel, shell, ...args);
  const stop = () => {
    device.agreements.close();
    device.queue.close();
  };
  return { state: current, world, audit, calls, invoke, ipc, refusals, pushed, hides: () => hides, stop, userData };
}

describe('agreements in main', () => {
  it('shows each outstanding agreement in turn, keeps the apps closed meanwhile, then opens the workspace', async () => {
    const cordon = laptop();
    expect(cordon.state.current()).toMatchObject({ kind: 'agreement', document: { id: 'confidentiality', version: '2027-1', content: { state: 'ready' } }, why: 'never-accepted', remaining: 1 });
    // The page cannot open an app by asking: main refuses and shows nothing.
    expect(await cordon.invoke(IPC_CHANNELS.selectApp, 'ehr')).toEqual({ ok: false, message: 'Practice apps open once you have accepted \u201cConfidentiality agreement\u201d.' });
    expect(cordon.calls.filter((c) => c.startsWith('show'))).toEqual([]);
    // Only the document on screen can be answered.
    expect(await cordon.invoke(IPC_CHANNELS.acceptAgreement, 'acceptable-use', '4')).toEqual({ ok: false, message: 'There is no agreement to answer now.' });
    expect(await cordon.invoke(IPC_CHANNELS.acceptAgreement, 'confidentiality', '2027-1')).toEqual({ ok: true });
    expect(cordon.pushed.at(-1)).toMatchObject({ kind: 'agreement', document: { id: 'acceptable-use' }, remaining: 0 });
    expect(await cordon.invoke(IPC_CHANNELS.acceptAgreement, 'acceptable-use', '4')).toEqual({ ok: true });
    expect(cordon.pushed.at(-1)).toMatchObject({ kind: 'workspace', activeAppId: 'ehr' });
    expect(await cordon.invoke(IPC_CHANNELS.selectApp, 'ehr')).toEqual({ ok: true });
    expect(cordon.calls.filter((c) => c.startsWith('agreement.') || c.startsWith('show'))).toEqual(['agreement.accepted', 'agreement.accepted', 'show ehr']);
    expect(cordon.refusals).toEqual([]);
    cordon.stop();
  });

  it('asks for device posture only after the agreements: a failing required check then closes the apps with its reason', async () => {
    const cordon = laptop();
    cordon.world.device = { code: 'device-posture:diskEncryption', message: 'Turn on disk encryption.' };
    expect(cordon.state.current().kind).toBe('agreement');
    await cordon.invoke(IPC_CHANNELS.acceptAgreement, 'confidentiality', '2027-1');
    await cordon.invoke(IPC_CHANNELS.acceptAgreement, 'acceptable-use', '4');
    expect(cordon.state.current()).toMatchObject({ kind: 'workspace', appsHidden: { code: 'device-posture:diskEncryption' } });
    expect(await cordon.invoke(IPC_CHANNELS.selectApp, 'ehr')).toEqual({ ok: false, message: 'Turn on disk encryption.' });
    cordon.stop();
  });

  it('declining is audited while signed in, then signs out by the Sign out path (apps hidden first)', async () => {
    const cordon = laptop();
    expect(await cordon.invoke(IPC_CHANNELS.declineAgreement, 'confidentiality')).toEqual({ ok: true });
    expect(cordon.calls.slice(-3)).toEqual(['agreement.declined', 'hideAll', 'signOut']);
    expect(cordon.state.current()).toMatchObject({ kind: 'signed-out' });
    // Nothing to decline now.
    expect(await cordon.invoke(IPC_CHANNELS.declineAgreement, 'confidentiality')).toEqual({ ok: false, message: 'There is no agreement to answer now.' });
    cordon.stop();
  });

  it('a restart does not ask again; a yearly agreement falls due in the session and the apps are hidden at once', async () => {
    const first = laptop();
    await first.invoke(IPC_CHANNELS.acceptAgreement, 'confidentiality', '2027-1');
    await first.invoke(IPC_CHANNELS.acceptAgreement, 'acceptable-use', '4');
    first.stop();
    const again = laptop(first.userData);
    again.state.publish();
    expect(again.state.current()).toMatchObject({ kind: 'workspace' });
    const hidesBefore = again.hides();
    again.world.now = oneYearAfter(START);
    again.state.publish();
    expect(again.state.current()).toMatchObject({ kind: 'agreement', document: { id: 'confidentiality' }, why: 'period-ended', remaining: 0 });
    expect(again.hides()).toBe(hidesBefore + 1);
    again.stop();
  });

  it('offers another try only at a document that could not be had', async () => {
    const cordon = laptop();
    expect(await cordon.invoke(IPC_CHANNELS.retryAgreement)).toEqual({ ok: false, message: 'There is no agreement to answer now.' });
    cordon.stop();
  });
});
