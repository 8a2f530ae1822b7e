// "Connect this computer to the practice" (issue 14 item 1): the path an enrollment code
// from `npm run collector -- issue-code` takes in the app. The shell is told the computer
// is not connected (before anyone signs in, and after zero-touch enrollment failed
// because the IdP cannot mint collector tokens); the code typed into the shell goes over
// the validated IPC channel to main's handler, main's audit sync enrolls with the real
// collector, the step disappears, and the queued events are delivered.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IPC_CHANNELS } from '../../../common/ipc/channels';
import type { Identity } from '../../../common/auth/identity';
import { policyV1Schema } from '../../../common/policy/policySchema';
import type { PolicyResult } from '../../../common/policy/signedPolicy';
import { enrollmentStepFor } from '../../../common/ui/enrollmentStep';
import { AuditSync } from '../../../main/audit/auditSync';
import { NodeSyncTransport } from '../../../main/audit/nodeSyncTransport';
import { registerIpcHandlers } from '../../../main/ipc/ipcServer';
import { createShellHandlers } from '../../../main/shell/shellHandlers';
import type { IdleStatus } from '../../../main/session/idleLock';
import { WorkspaceState } from '../../../main/workspace/workspaceState';
import { STORAGES } from '../../support/collectorStorages';
import { appendEvents, syncPolicy, testDeviceKey, testQueue } from '../../support/auditSyncFixtures';
import { FakeIpcMain, fakeFrame, fakeInvokeEvent, RecordingAuditSink } from '../../support/electronFakes';
import { validPolicy } from '../../support/policyFixtures';
import { startTestCollector, type TestCollector } from '../collector/collectorHarness';

const sqlite = STORAGES.find((s) => s.name === 'sqlite');
if (sqlite === undefined) throw new Error('SQLite storage is always available');
const policy: PolicyResult = { ok: true, policy: policyV1Schema.parse(validPolicy()), file: '/etc/cordon/policy.json', keyId: 'k' };
const valerie = { subject: 'sub-1', name: 'Valerie Assistant', email: 'va@example.com', roles: ['va'], mfaMethods: ['pwd', 'otp'], authTime: 1_800_000_000 } as Identity;
const SHELL = 41;

let server: TestCollector;
const transport = new NodeSyncTransport();
beforeAll(async () => {
  server = await startTestCollector(sqlite);
});
afterAll(async () => {
  transport.close();
  await server.stop();
});

/** Main's pieces as main/index.ts connects them, with the real queue, sync and collector. */
function laptop(zeroTouch: () => Promise<null>) {
  const { queue } = testQueue();
  appendEvents(queue, 5);
  const audit = new RecordingAuditSink();
  const world = { identity: null as Identity | null };
  const sync = new AuditSync({ queue, deviceKey: testDeviceKey(), policy: syncPolicy(server.url), transport, audit, onQueueFailure: () => undefined, enrollmentProof: zeroTouch, deviceName: 'VA laptop 9' });
  const state = new WorkspaceState({
    policy,
    posture: () => [],
    identity: () => world.identity,
    idle: (): IdleStatus => (world.identity === null ? { phase: 'signed-out' } : { phase: 'active' }),
    appsHidden: () => null,
    auditFailure: () => null,
    enrollment: () => enrollmentStepFor(sync.status, world.identity !== null),
  });
  const ipc = new FakeIpcMain();
  registerIpcHandlers(ipc, createShellHandlers(() => state.current(), null, null, null, { withCode: (code) => sync.enrollWithCode(code) }), { shellWebContentsId: () => SHELL, onRefused: () => undefined });
  const typeCode = (typed: unknown) => ipc.invoke(IPC_CHANNELS.enrollWithCode, fakeInvokeEvent(SHELL, fakeFrame('cordon://app/index.html')), typed);
  return { sync, state, world, audit, typeCode, queue };
}

describe('connect this computer to the practice', () => {
  it('IT connects a computer nobody has signed in to yet, with a code typed as read aloud', async () => {
    const { sync, state, typeCode, audit } = laptop(async () => null);
    await sync.syncNow();
    expect(state.current()).toMatchObject({ kind: 'signed-out', enrollment: { message: expect.stringContaining('It connects when you sign in, or IT can connect it now') } });

    const code = await server.collector.issueEnrollmentCode();
    // Lower case and spaces for hyphens, as someone types what IT reads out.
    expect(await typeCode(code.toLowerCase().replaceAll('-', ' '))).toEqual({ ok: true });
    expect(audit.events).toContainEqual({ type: 'audit.device-enrolled', outcome: 'success', reason: 'enrollment-code' });
    expect(await sync.syncNow()).toMatchObject({ state: 'delivered', unacknowledged: 0, acknowledgedSeq: 5 });
    expect(state.current()).not.toHaveProperty('enrollment');
    // Connected: the channel refuses another code instead of enrolling again.
    expect(await typeCode(await server.collector.issueEnrollmentCode())).toEqual({ ok: false, message: expect.stringContaining('already connected') });
  });

  it('offers the step in the workspace when the IdP cannot mint collector tokens, and says what is wrong with a bad code', async () => {
    const { sync, state, world, typeCode } = laptop(() => Promise.reject(new Error('invalid_target')));
    world.identity = valerie;
    await sync.syncNow();
    expect(state.current()).toMatchObject({ kind: 'workspace', enrollment: { message: expect.stringContaining('could not connect') } });

    expect(await typeCode('ABCD-EFGH-JKLM')).toEqual({ ok: false, message: expect.stringContaining('16 letters and digits') });
    expect(await typeCode('ABCD-EFGH-JKLM-NP0R')).toEqual({ ok: false, message: expect.stringContaining('never has I, O, 0 or 1') });
    // Well formed but never issued: the collector refuses it, and the VA is told to call IT.
    expect(await typeCode('ABCD-EFGH-JKLM-NPQR')).toEqual({ ok: false, message: expect.stringMatching(/refused to enroll this computer .*Call IT/) });
    // Anything but text is refused at the IPC boundary before the handler runs.
    await expect(typeCode({ code: 'ABCD' })).rejects.toThrow();

    expect(await typeCode(await server.collector.issueEnrollmentCode())).toEqual({ ok: true });
    await sync.syncNow();
    expect(state.current()).toMatchObject({ kind: 'workspace' });
    expect(state.current()).not.toHaveProperty('enrollment');
  });
});
