// Drives main/index.ts against a stand-in for the `electron` module (the Electron binary
// cannot run here) and checks that the real wiring installs every hardening step.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { GUARD_REPORT_CHANNEL, GUARD_WATERMARK_CHANNEL, WORKSPACE_CLIPBOARD_READ_CHANNEL, WORKSPACE_CLIPBOARD_WRITE_CHANNEL } from '../../../common/hosting/guardProtocol';
import { IPC_CHANNELS, IPC_EVENTS } from '../../../common/ipc/channels';
import { demoKeys, signedText, validPolicy } from '../../support/policyFixtures';
import { FakeWebContents, fakeEvent, fakeFrame, fakeInvokeEvent } from '../../support/electronFakes';
import { FakeWindow, fakeElectron, type Calls } from '../../support/fakeElectronModule';
import { FakeKeychain } from '../../support/authHarness';
import { openDeviceAudit } from '../../../main/audit/openDeviceAudit';

let policyDir: string;
beforeEach(async () => {
  vi.resetModules();
  policyDir = await mkdtemp(path.join(tmpdir(), 'cordon-main-'));
  Object.assign(globalThis, { __CORDON_BUILD_KIND__: 'development', __CORDON_POLICY_KEYS__: [demoKeys().publicKeyPem] });
  vi.stubEnv('CORDON_MANAGED_POLICY', path.join(policyDir, 'managed.json'));
  vi.stubEnv('CORDON_BUNDLED_POLICY', path.join(policyDir, 'bundled.json'));
});
afterEach(() => {
  vi.unstubAllEnvs();
  vi.doUnmock('electron');
  vi.restoreAllMocks();
});

/** Main's stderr line when the audit queue locks Cordon: expected here, so kept out of the test output and checked. */
function lockLine() {
  const said = vi.spyOn(console, 'error').mockImplementation(() => undefined);
  return () => expect(said).toHaveBeenCalledWith(expect.stringContaining('Cordon locked: audit queue no-keychain: this computer has no usable OS keychain'));
}

async function startMain(options: { gotLock?: boolean; keychain?: boolean; userData?: string } = {}) {
  const calls: Calls = { order: [], windows: [], handled: [], menu: 'unset' };
  const fake = fakeElectron(calls, options);
  vi.doMock('electron', () => fake.electron);
  await import('../../../main/index');
  return { calls, ...fake };
}

async function settle() {
  for (let i = 0; i < 20; i += 1) await new Promise((resolve) => setImmediate(resolve));
}

describe('main process wiring', () => {
  it('enables the sandbox and registers the scheme before anything else, then takes the single-instance lock', async () => {
    const { calls } = await startMain();
    expect(calls.order.slice(0, 3)).toEqual(['enableSandbox', 'registerSchemesAsPrivileged', 'requestSingleInstanceLock']);
  });

  it('refuses a production start with an unsafe switch before anything else, and the next start audits it', async () => {
    Object.assign(globalThis, { __CORDON_BUILD_KIND__: 'production' });
    const argv = process.argv;
    process.argv = ['/opt/Cordon/cordon', '--remote-debugging-port=9222'];
    // The fake answers every getPath with this one directory (appData included).
    const userData = await mkdtemp(path.join(tmpdir(), 'cordon-appdata-'));
    const marker = path.join(userData, 'Cordon', 'refused-launch.json');
    try {
      const { calls, appEvents } = await startMain({ userData });
      expect(calls.order).toEqual(['showErrorBox Cordon did not start', 'exit 1']);
      expect(appEvents.size).toBe(0);
      expect(calls.windows).toHaveLength(0);
    } finally {
      process.argv = argv;
    }
    // The next (development) start finds the marker, records it, deletes it, and the
    // sign-in screen says why the last start was refused (on Linux the dialog was stderr only).
    Object.assign(globalThis, { __CORDON_BUILD_KIND__: 'development' });
    vi.resetModules();
    expect(existsSync(marker)).toBe(true);
    await writeFile(path.join(policyDir, 'bundled.json'), signedText(validPolicy({ environment: 'demo', issuedAt: '2026-01-01T00:00:00Z', expiresAt: '2099-01-01T00:00:00Z' }), demoKeys()));
    const { calls, ready, ipcMain } = await startMain({ userData });
    expect(calls.order.slice(0, 3)).toEqual(['enableSandbox', 'registerSchemesAsPrivileged', 'requestSingleInstanceLock']);
    expect(existsSync(marker)).toBe(false);
    ready();
    await vi.waitFor(() => expect(calls.windows).toHaveLength(1));
    expect(await ipcMain.invoke(IPC_CHANNELS.getShellState, fakeInvokeEvent(41, fakeFrame('cordon://app/index.html')))).toMatchObject({
      kind: 'signed-out',
      notice: expect.stringContaining('the switch --remote-debugging-port'),
    });
  });

  it('quits a second instance without creating anything', async () => {
    const { calls, appEvents, ready } = await startMain({ gotLock: false });
    ready();
    await settle();
    expect(calls.order).toContain('quit');
    expect(appEvents.has('web-contents-created')).toBe(false);
    expect(calls.windows).toHaveLength(0);
  });

  it('sends no TLS client certificate unless the policy names one (Electron would send the first)', async () => {
    const { appEvents } = await startMain();
    const select = appEvents.get('select-client-certificate');
    expect(select).toBeDefined();
    const event = fakeEvent({});
    const answers: unknown[] = [];
    select?.(event, null, 'ehr.example.com:443', [{ issuer: { commonName: 'Any CA' } }], (...args: unknown[]) => answers.push(args));
    expect(event.defaultPrevented).toBe(true);
    expect(answers).toEqual([[undefined]]);
  });

  it('hardens every webContents the app creates', async () => {
    const { appEvents } = await startMain();
    const created = appEvents.get('web-contents-created');
    expect(created).toBeDefined();
    for (let i = 0; i < 3; i += 1) {
      const contents = new FakeWebContents();
      created?.({}, contents);
      expect(contents.windowOpenHandler?.({ url: 'https://evil.example' })).toEqual({ action: 'deny' });
      expect(contents.listenerCount('will-frame-navigate')).toBe(1);
      expect(contents.listenerCount('will-redirect')).toBe(1);
      expect(contents.listenerCount('will-attach-webview')).toBe(1);
    }
  });

  it('once ready: hardens the session, serves cordon://, registers IPC and opens a locked-down window', async () => {
    await writeFile(path.join(policyDir, 'bundled.json'), signedText(validPolicy({ environment: 'demo', issuedAt: '2026-01-01T00:00:00Z', expiresAt: '2099-01-01T00:00:00Z' }), demoKeys()));
    const { calls, ready, ipcMain, defaultSession, partitions } = await startMain();
    ready();
    await vi.waitFor(() => expect(calls.windows).toHaveLength(1));
    expect(defaultSession.permissionRequestHandler).not.toBeNull();
    expect(defaultSession.permissionCheckHandler).not.toBeNull();
    expect(defaultSession.beforeRequest).not.toBeNull();
    expect(defaultSession.listenerCount('will-download')).toBe(1);
    expect(defaultSession.spellCheckerEnabled).toBe(false);
    // The practice session (sign-in window, later hosted apps) denies every capability too.
    const practice = partitions.get('cordon-practice');
    expect(practice?.permissionRequestHandler).not.toBeNull();
    expect(practice?.listenerCount('will-download')).toBe(1);
    expect(calls.handled).toEqual(['cordon']);
    expect(calls.menu).toBeNull();
    // The shell's contract, plus the hosted guard's workspace-clipboard read.
    expect([...ipcMain.handlers.keys()].sort()).toEqual([...Object.values(IPC_CHANNELS), WORKSPACE_CLIPBOARD_READ_CHANNEL].sort());
    // Hosted pages' guards report and copy on their own one-way channels, and ask for the watermark (never in their process arguments).
    expect([...ipcMain.listeners.keys()].sort()).toEqual([GUARD_REPORT_CHANNEL, GUARD_WATERMARK_CHANNEL, WORKSPACE_CLIPBOARD_WRITE_CHANNEL].sort());
    // The resolver allowlist went onto the command line from the policy, before 'ready' (it counts only then).
    expect(calls.switches).toEqual([['host-resolver-rules', expect.stringMatching(/^MAP \* ~NOTFOUND , EXCLUDE /)]]);
    expect(calls.windows).toHaveLength(1);
    // The queue opened, so delivery to the collector started, in its own session.
    expect(partitions.has('cordon-audit-sync')).toBe(true);
    const [window] = calls.windows;
    expect(window?.options.webPreferences).toMatchObject({ sandbox: true, contextIsolation: true, nodeIntegration: false, webSecurity: true, webviewTag: false });
    expect(window?.loaded).toBe('cordon://app/index.html');
    expect(window?.contentProtection).toBe(true);
    // Nobody has signed in and no code was typed: the computer is not connected to the collector yet.
    const shellState = () => ipcMain.invoke(IPC_CHANNELS.getShellState, fakeInvokeEvent(41, fakeFrame('cordon://app/index.html')));
    await vi.waitFor(async () => expect(await shellState()).toHaveProperty('enrollment'));
    const state = await shellState();
    expect(state).toMatchObject({ kind: 'signed-out', practiceName: 'Test Family Practice', enrollment: { message: expect.stringContaining('not connected') } });
    // Main pushes each new state to the page on the contract's event channel (the page does not poll): the last one is the current one.
    expect(window?.webContents.sent.at(-1)).toEqual([IPC_EVENTS.shellStateChanged, state]);
    expect(window?.webContents.sent.every(([channel]) => channel === IPC_EVENTS.shellStateChanged)).toBe(true);
    // A crashed shell page is reloaded (its state lives in main); a clean exit is not.
    window?.webContents.emit('render-process-gone', {}, { reason: 'crashed', exitCode: 139 });
    window?.webContents.emit('render-process-gone', {}, { reason: 'clean-exit', exitCode: 0 });
    expect(window?.webContents.reloads).toBe(1);
    // Crash dumps of a hosted renderer hold PHI: Electron's crash reporter is never started.
    expect(calls.order).not.toContain('crashReporter.start');
  });

  it('sign-out destroys every other Cordon window (a popup cannot cancel it with beforeunload), never the shell', async () => {
    await writeFile(path.join(policyDir, 'bundled.json'), signedText(validPolicy({ environment: 'demo', issuedAt: '2026-01-01T00:00:00Z', expiresAt: '2099-01-01T00:00:00Z' }), demoKeys()));
    const { calls, ready, ipcMain } = await startMain();
    ready();
    await vi.waitFor(() => expect(calls.windows).toHaveLength(1));
    // Stands in for a hosted popup (the fake records close vs destroy).
    const popup = new FakeWindow({ webPreferences: {} });
    expect(await ipcMain.invoke(IPC_CHANNELS.signOut, fakeInvokeEvent(41, fakeFrame('cordon://app/index.html')))).toEqual({ ok: true });
    expect(popup.ended).toEqual(['destroy']);
    expect(calls.windows[0]?.ended).toEqual([]);
    // Sign-out is audited; the state owner hears it and the page is told only when its state changed.
    const sent = calls.windows[0]?.webContents.sent.map(([, state]) => JSON.stringify(state)) ?? [];
    expect(sent.every((state) => JSON.parse(state).kind === 'signed-out')).toBe(true);
    expect(sent.filter((state, i) => state === sent[i - 1])).toEqual([]);
  });

  it('with agreements in the policy: opens their store in the encrypted device storage and answers on their channels', async () => {
    const agreements = [{ id: 'confidentiality', title: 'Confidentiality agreement', version: '2027-1', text: 'I keep patient information confidential.', reaccept: 'yearly' as const }];
    await writeFile(path.join(policyDir, 'bundled.json'), signedText(validPolicy({ environment: 'demo', issuedAt: '2026-01-01T00:00:00Z', expiresAt: '2099-01-01T00:00:00Z', agreements }), demoKeys()));
    const userData = await mkdtemp(path.join(tmpdir(), 'cordon-userdata-'));
    const { calls, ready, ipcMain } = await startMain({ userData });
    ready();
    await vi.waitFor(() => expect(calls.windows).toHaveLength(1));
    const event = fakeInvokeEvent(41, fakeFrame('cordon://app/index.html'));
    // Nobody signed in: nothing to answer, and the sign-in screen, not the agreement.
    expect(await ipcMain.invoke(IPC_CHANNELS.getShellState, event)).toMatchObject({ kind: 'signed-out' });
    expect(await ipcMain.invoke(IPC_CHANNELS.acceptAgreement, event, 'confidentiality', '2027-1')).toEqual({ ok: false, message: 'There is no agreement to answer now.' });
    expect(await ipcMain.invoke(IPC_CHANNELS.declineAgreement, event, 'confidentiality')).toEqual({ ok: false, message: 'There is no agreement to answer now.' });
    // The acceptances' table is in the queue's encrypted file, opened with the queue's key.
    const device = openDeviceAudit(userData, new FakeKeychain(), 'linux');
    expect(device.agreements.latest('anyone', 'confidentiality')).toBeUndefined();
    device.agreements.close();
    device.queue.close();
  });

  it('with training in the policy: starts signed out, and keeps training status in the encrypted device storage', async () => {
    const { generateKeyPairSync } = await import('node:crypto');
    const base = validPolicy({ environment: 'demo', issuedAt: '2026-01-01T00:00:00Z', expiresAt: '2099-01-01T00:00:00Z' });
    const collectorPublicKey = generateKeyPairSync('ed25519').publicKey.export({ format: 'pem', type: 'spki' }).toString();
    const training = { courses: [{ id: 'hipaa-privacy', title: 'HIPAA privacy and security', everyMonths: 12 }], contact: 'Dana Reyes, compliance officer' };
    await writeFile(path.join(policyDir, 'bundled.json'), signedText({ ...base, audit: { ...base.audit, collectorPublicKey }, training }, demoKeys()));
    const userData = await mkdtemp(path.join(tmpdir(), 'cordon-userdata-'));
    const { calls, ready, ipcMain } = await startMain({ userData });
    ready();
    await vi.waitFor(() => expect(calls.windows).toHaveLength(1));
    // Nobody signed in: no training is judged, and the sign-in screen shows.
    expect(await ipcMain.invoke(IPC_CHANNELS.getShellState, fakeInvokeEvent(41, fakeFrame('cordon://app/index.html')))).toMatchObject({ kind: 'signed-out' });
    // The last confirmed status has its table in the queue's encrypted file, opened with the queue's key.
    const device = openDeviceAudit(userData, new FakeKeychain(), 'linux');
    expect(device.training.latest('anyone', (await import('node:crypto')).createPublicKey(collectorPublicKey))).toBeNull();
    device.training.close();
    device.agreements.close();
    device.queue.close();
  });

  it('locks (and says why) when the audit queue cannot be opened safely: no OS keychain', async () => {
    await writeFile(path.join(policyDir, 'bundled.json'), signedText(validPolicy({ environment: 'demo', issuedAt: '2026-01-01T00:00:00Z', expiresAt: '2099-01-01T00:00:00Z' }), demoKeys()));
    const saidWhy = lockLine();
    const { ready, ipcMain, calls, partitions } = await startMain({ keychain: false });
    ready();
    await vi.waitFor(() => expect(calls.windows).toHaveLength(1));
    const event = fakeInvokeEvent(41, fakeFrame('cordon://app/index.html'));
    expect(await ipcMain.invoke(IPC_CHANNELS.getShellState, event)).toMatchObject({ kind: 'locked', reason: { code: 'audit-no-keychain' } });
    expect(calls.windows[0]?.webContents.sent).toEqual([[IPC_EVENTS.shellStateChanged, expect.objectContaining({ kind: 'locked', reason: expect.objectContaining({ code: 'audit-no-keychain' }) })]]);
    expect(await ipcMain.invoke(IPC_CHANNELS.signIn, event)).toMatchObject({ ok: false, message: expect.stringContaining('keychain') });
    // No queue, nothing to deliver.
    expect(partitions.has('cordon-audit-sync')).toBe(false);
    saidWhy();
  });

  it('an audit lock hides everything the idle lock hides: other windows destroyed, the shell kept', async () => {
    await writeFile(path.join(policyDir, 'bundled.json'), signedText(validPolicy({ environment: 'demo', issuedAt: '2026-01-01T00:00:00Z', expiresAt: '2099-01-01T00:00:00Z' }), demoKeys()));
    const saidWhy = lockLine();
    const { ready, calls } = await startMain({ keychain: false });
    // Stands in for a window already open when the lock begins (the fake records close vs destroy).
    const popup = new FakeWindow({ webPreferences: {} });
    ready();
    await vi.waitFor(() => expect(calls.windows).toHaveLength(2));
    expect(popup.ended).toEqual(['destroy']);
    expect(calls.windows[1]?.ended).toEqual([]);
    saidWhy();
  });

  it('records the effective policy at every start, its SHA-256 included; a build below the policy\'s minimum version opens locked, saying to update', async () => {
    const text = signedText(validPolicy({ environment: 'demo', issuedAt: '2026-01-01T00:00:00Z', expiresAt: '2099-01-01T00:00:00Z', policyId: 'sunrise', serial: 12 }), demoKeys());
    await writeFile(path.join(policyDir, 'bundled.json'), text);
    const userData = await mkdtemp(path.join(tmpdir(), 'cordon-userdata-'));
    const first = await startMain({ userData });
    first.ready();
    await vi.waitFor(() => expect(first.calls.windows).toHaveLength(1));
    const device = openDeviceAudit(userData, new FakeKeychain(), 'linux');
    const events = device.queue.unacknowledged(100).map((e) => JSON.parse(e.body) as { type: string; reason?: string });
    device.agreements.close();
    device.queue.close();
    expect(events).toContainEqual(expect.objectContaining({ type: 'policy.loaded', reason: `sunrise#12 sha256:${createHash('sha256').update(text).digest('hex')}` }));

    // The fake app is version 0.1.0.
    await writeFile(path.join(policyDir, 'bundled.json'), signedText(validPolicy({ environment: 'demo', issuedAt: '2026-01-01T00:00:00Z', expiresAt: '2099-01-01T00:00:00Z', updates: { channel: 'none', minimumVersion: '1.0.0' } }), demoKeys()));
    vi.resetModules();
    const old = await startMain();
    old.ready();
    await vi.waitFor(() => expect(old.calls.windows).toHaveLength(1));
    const state = await old.ipcMain.invoke(IPC_CHANNELS.getShellState, fakeInvokeEvent(41, fakeFrame('cordon://app/index.html')));
    expect(state).toMatchObject({ kind: 'policy-error', problem: { code: 'below-minimum-version', field: 'updates.minimumVersion', reason: expect.stringContaining('the practice requires 1.0.0 or later') } });
  });

  it('shows the policy-error state and hosts nothing when the policy is tampered', async () => {
    const text = JSON.parse(signedText(validPolicy({ environment: 'demo', issuedAt: '2026-01-01T00:00:00Z', expiresAt: '2099-01-01T00:00:00Z' }), demoKeys()));
    text.policy.practice.name = 'Tampered';
    await writeFile(path.join(policyDir, 'bundled.json'), JSON.stringify(text));
    const { ready, ipcMain, calls } = await startMain();
    ready();
    await vi.waitFor(() => expect(calls.windows).toHaveLength(1));
    const state = await ipcMain.invoke(IPC_CHANNELS.getShellState, fakeInvokeEvent(41, fakeFrame('cordon://app/index.html')));
    expect(state).toMatchObject({ kind: 'policy-error', problem: { code: 'bad-signature', file: path.join(policyDir, 'bundled.json') } });
    expect(calls.windows[0]?.contentProtection).toBe(true);
    // Nothing is hosted, so no page could report.
    expect(ipcMain.listeners.size).toBe(0);
  });
});
