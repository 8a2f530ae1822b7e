// HostedApps against named fakes of WebContentsView and Session (no Electron binary):
// every view and session it creates is hardened, by the same functions, per the policy.
import { describe, expect, it } from 'vitest';
import { signInScope } from '../../../common/auth/signInNavigation';
import { decodeGuardArgument } from '../../../common/hosting/guardProtocol';
import { policyV1Schema } from '../../../common/policy/policySchema';
import { WorkspaceClipboard } from '../../../main/clipboard/workspaceClipboard';
import { createGuardReports } from '../../../main/hosting/guardReports';
import { HostedApps } from '../../../main/hosting/hostedApps';
import { GUARD_REPORT_CHANNEL } from '../../../common/hosting/guardProtocol';
import { NavigationRules } from '../../../main/shell/navigationRules';
import { hardenWebContents } from '../../../main/shell/webContentsHardening';
import { FakeSession, FakeWebContents, fakeEvent, RecordingAuditSink } from '../../support/electronFakes';
import { validPolicy } from '../../support/policyFixtures';

class FakeView {
  static created: FakeView[] = [];
  readonly webContents = new FakeWebContents();
  constructor(readonly options: { webPreferences: Record<string, unknown> & { additionalArguments?: string[] } }) {
    FakeView.created.push(this);
  }
}

const base = validPolicy();
const policy = policyV1Schema.parse({
  ...base,
  identity: { ...base.identity, requestOrigins: ['https://cdn.login.example.com'] },
  apps: [
    base.apps[0],
    { id: 'messages', name: 'Messages', startUrl: 'https://chat.example.com/', navigationOrigins: ['https://chat.example.com'], permissions: ['microphone'] },
    { id: 'billing', name: 'Billing', startUrl: 'https://billing.example.com/', navigationOrigins: ['https://billing.example.com'], session: 'isolated' },
  ],
});

/** Lets settled promises run their callbacks (the allowlist, then the load). */
const flush = () => new Promise<void>((resolve) => setImmediate(resolve));

const WATERMARK = { text: 'Valerie Demo · 7K2M-QX4P · {time}', opacity: 0.12 };

function setup(setProxy: (config: unknown) => Promise<void> = () => Promise.resolve()) {
  FakeView.created = [];
  let watermark: { text: string; opacity: number } | null = WATERMARK;
  const cleared: string[] = [];
  const sessions = new Map<string, FakeSession & { clearStorageData(): Promise<void>; clearCache(): Promise<void>; clearAuthCache(): Promise<void> }>();
  const navigation = new NavigationRules();
  const audit = new RecordingAuditSink();
  const clipboard = new WorkspaceClipboard(60_000);
  const apps = new HostedApps({
    policy,
    navigation,
    audit,
    allowDevTools: false,
    guardPreloadPath: '/app/out/preload/hostedGuard.cjs',
    serviceWorkerGuardPath: '/app/out/preload/serviceWorkerGuard.cjs',
    reports: createGuardReports(audit),
    clipboard,
    watermark: () => watermark,
    electron: {
      WebContentsView: FakeView as never,
      sessionFor: (partition) => {
        const session =
          sessions.get(partition) ??
          Object.assign(new FakeSession(), {
            clearStorageData: async () => void cleared.push(`${partition}:storage`),
            clearCache: async () => void cleared.push(`${partition}:cache`),
            clearAuthCache: async () => void cleared.push(`${partition}:auth`),
          });
        const record = session.setProxy.bind(session);
        session.setProxy = (config) => record(config).then(() => setProxy(config));
        sessions.set(partition, session);
        return session as never;
      },
    },
  });
  // What app.on('web-contents-created') does for every new webContents.
  const harden = (contents: FakeWebContents) => hardenWebContents(contents as never, { allowDevTools: false, audit, navigation });
  return { apps, sessions, navigation, audit, harden, clipboard, cleared, signOut: () => (watermark = null) };
}

describe('hosted apps', () => {
  it('creates each view once, locked down, in the app\'s in-memory partition, and loads its start URL', async () => {
    const { apps } = setup();
    const view = apps.view('ehr') as unknown as FakeView;
    expect(apps.view('ehr')).toBe(view as never);
    expect(view.options.webPreferences).toMatchObject({ partition: 'cordon-practice', sandbox: true, contextIsolation: true, nodeIntegration: false, webviewTag: false, devTools: false, spellcheck: false });
    // The guard preload runs in every frame (sub-frames included), configured for this app.
    expect(view.options.webPreferences).toMatchObject({ preload: '/app/out/preload/hostedGuard.cjs', nodeIntegrationInSubFrames: true });
    expect(decodeGuardArgument(view.options.webPreferences.additionalArguments ?? [])).toEqual({ navigationOrigins: ['https://ehr.example.com', 'https://login.example.com'], printing: 'deny', uploads: 'deny', downloads: 'deny', allowLoopbackHttp: false, clipboard: 'workspace', calls: 'deny', iceHosts: ['ehr.example.com', 'login.example.com', 'api.ehr.example.com'] });
    await flush();
    expect(view.webContents.loaded).toBe('https://ehr.example.com/home');
    expect((apps.view('billing') as unknown as FakeView).options.webPreferences.partition).toBe('cordon-app-billing');
    expect(() => apps.view('payroll')).toThrow(/not approved/);
  });

  it('puts nothing of who is signed in into any webPreferences (renderer arguments show in the process list)', () => {
    const { apps, harden } = setup();
    const ehr = (apps.view('ehr') as unknown as FakeView).webContents;
    harden(ehr);
    // A popup the page opens gets its preferences from the same place.
    const popup = ehr.windowOpenHandler?.({ url: 'https://ehr.example.com/print-preview' }).overrideBrowserWindowOptions as { webPreferences?: unknown } | undefined;
    const everyPreference = [...FakeView.created.map((v) => v.options.webPreferences), popup?.webPreferences];
    expect(everyPreference.filter((p) => p !== undefined)).toHaveLength(2);
    for (const preferences of everyPreference) {
      const text = decodeURIComponent(JSON.stringify(preferences));
      for (const secret of ['Valerie', '7K2M-QX4P', WATERMARK.text]) expect(text).not.toContain(secret);
    }
  });

  it('puts a network allowlist (PAC) on each hosted session and loads nothing before Chromium applied it', async () => {
    let applied: () => void = () => undefined;
    const { apps, sessions } = setup(() => new Promise<void>((resolve) => (applied = resolve)));
    const view = apps.view('ehr') as unknown as FakeView;
    const [config] = (sessions.get('cordon-practice')?.proxies ?? []) as { mode: string; pacScript: string }[];
    expect(config?.mode).toBe('pac_script');
    const pac = Buffer.from(config?.pacScript.replace('data:application/x-ns-proxy-autoconfig;base64,', '') ?? '', 'base64').toString('utf8');
    // The practice session's apps and the IdP; not the isolated billing app.
    // The IdP's asset origin too: the sign-in window runs in this session.
    expect(pac).toContain('["api.ehr.example.com","cdn.login.example.com","chat.example.com","ehr.example.com","login.example.com"]');
    expect(pac).not.toContain('billing.example.com');
    await flush();
    expect(view.webContents.loaded).toBeNull();
    applied();
    await flush();
    expect(view.webContents.loaded).toBe('https://ehr.example.com/home');
  });

  it("lets the sign-in window load the IdP's assets from identity.requestOrigins, never frame or navigate there", () => {
    const { apps, sessions, audit } = setup();
    const signIn = new FakeWebContents();
    apps.registerSignInWindow(signIn as never, signInScope(['https://login.example.com'], policy.identity.requestOrigins));
    const hook = sessions.get('cordon-practice')?.beforeRequest as (details: unknown, callback: (r: { cancel: boolean }) => void) => void;
    const allowed = (url: string, resourceType: string) => {
      let cancel = true;
      hook({ webContentsId: signIn.id, url, resourceType }, (r) => (cancel = r.cancel));
      return !cancel;
    };
    expect(allowed('https://login.example.com/authorize', 'mainFrame')).toBe(true);
    expect(allowed('https://cdn.login.example.com/idp.css', 'stylesheet')).toBe(true);
    expect(allowed('https://cdn.login.example.com/idp.js', 'script')).toBe(true);
    expect(allowed('https://cdn.login.example.com/page.html', 'subFrame')).toBe(false);
    expect(allowed('https://cdn.login.example.com/page.html', 'mainFrame')).toBe(false);
    expect(allowed('https://ehr.example.com/', 'mainFrame')).toBe(false);
    expect(audit.events.filter((e) => e.type === 'navigation.blocked').map((e) => e.origin)).toEqual(['https://cdn.login.example.com', 'https://cdn.login.example.com', 'https://ehr.example.com']);
    expect(signIn.webRTCIPHandlingPolicy).toBe('disable_non_proxied_udp');
  });

  it('keeps WebRTC UDP inside the proxy for every hosted webContents, popups included', () => {
    const { apps, harden } = setup();
    const ehr = (apps.view('ehr') as unknown as FakeView).webContents;
    harden(ehr);
    const popup = new FakeWebContents();
    ehr.emit('did-create-window', { webContents: popup });
    expect([ehr.webRTCIPHandlingPolicy, popup.webRTCIPHandlingPolicy]).toEqual(['disable_non_proxied_udp', 'disable_non_proxied_udp']);
  });

  it('loads nothing, and audits, when the allowlist cannot be applied', async () => {
    const { apps, audit } = setup(() => Promise.reject(new Error('proxy refused')));
    const view = apps.view('ehr') as unknown as FakeView;
    await flush();
    expect(view.webContents.loaded).toBeNull();
    expect(audit.events).toContainEqual({ type: 'request.blocked', outcome: 'blocked', appId: 'ehr', reason: 'network-allowlist-not-applied' });
  });

  it('hardens each session exactly once, with the request filter that maps webContents to apps', () => {
    const { apps, sessions } = setup();
    apps.view('ehr');
    const practice = sessions.get('cordon-practice');
    const installed = practice?.beforeRequest;
    apps.view('messages'); // same partition: no second hardening
    expect(practice?.beforeRequest).toBe(installed);
    apps.view('billing');
    expect(sessions.get('cordon-app-billing')?.beforeRequest).not.toBeNull();
    expect(apps.partitions().sort()).toEqual(['cordon-app-billing', 'cordon-practice']);
  });

  it('lets each view navigate only within its own app\'s origins, auditing with the app id', () => {
    const { apps, audit, harden } = setup();
    const ehr = (apps.view('ehr') as unknown as FakeView).webContents;
    const messages = (apps.view('messages') as unknown as FakeView).webContents;
    harden(ehr);
    harden(messages);
    const within = fakeEvent({ url: 'https://ehr.example.com/chart/1', isMainFrame: true });
    const crossApp = fakeEvent({ url: 'https://ehr.example.com/chart/1', isMainFrame: true });
    ehr.emit('will-frame-navigate', within);
    messages.emit('will-frame-navigate', crossApp);
    expect([within.defaultPrevented, crossApp.defaultPrevented]).toEqual([false, true]);
    expect(audit.events.filter((e) => e.outcome === 'blocked')).toEqual([{ type: 'navigation.blocked', outcome: 'blocked', appId: 'messages', origin: 'https://ehr.example.com', reason: 'main-frame' }]);
  });

  it('opens approved popups as controlled, locked-down Cordon windows of the same app, and refuses the rest', () => {
    const { apps, audit, harden } = setup();
    const ehr = (apps.view('ehr') as unknown as FakeView).webContents;
    harden(ehr);
    const approved = ehr.windowOpenHandler?.({ url: 'https://ehr.example.com/print-preview' });
    expect(approved).toMatchObject({ action: 'allow', overrideBrowserWindowOptions: { webPreferences: { partition: 'cordon-practice', sandbox: true, contextIsolation: true, nodeIntegration: false, preload: '/app/out/preload/hostedGuard.cjs' } } });
    expect(ehr.windowOpenHandler?.({ url: 'https://evil.test/popup' })).toEqual({ action: 'deny' });
    expect(audit.events.filter((e) => e.outcome === 'blocked')).toEqual([{ type: 'window-open.blocked', outcome: 'blocked', appId: 'ehr', origin: 'https://evil.test' }]);
    // The window the page opened belongs to the app: its requests and navigations follow the app's rules.
    const child = new FakeWebContents();
    harden(child);
    ehr.emit('did-create-window', { webContents: child }, {});
    expect(apps.appFor(child.id)?.appId).toBe('ehr');
    const offsite = fakeEvent({ url: 'https://evil.test/', isMainFrame: true });
    child.emit('will-frame-navigate', offsite);
    expect(offsite.defaultPrevented).toBe(true);
  });

  it('maps requests to apps by webContents, forgets destroyed ones, and refuses unknown ones', () => {
    const { apps, sessions } = setup();
    const ehr = (apps.view('ehr') as unknown as FakeView).webContents;
    const decide = (webContentsId: number | undefined, url: string) => {
      let cancel: boolean | undefined;
      (sessions.get('cordon-practice')?.beforeRequest as (...a: unknown[]) => void)({ webContentsId, url, resourceType: 'xhr' }, (r: { cancel: boolean }) => (cancel = r.cancel));
      return !cancel;
    };
    expect(decide(ehr.id, 'https://api.ehr.example.com/v1')).toBe(true);
    expect(decide(ehr.id, 'https://evil.test/')).toBe(false);
    expect(decide(424242, 'https://api.ehr.example.com/v1')).toBe(false);
    apps.destroyAll();
    expect(ehr.destroyed).toBe(true);
    expect(decide(ehr.id, 'https://api.ehr.example.com/v1')).toBe(false);
    // Forgotten, not cached: the next use of the app builds a fresh view.
    expect((apps.view('ehr') as unknown as FakeView).webContents).not.toBe(ehr);
  });

  it('lets workers (no webContents) reach only the origins of the apps sharing their partition', () => {
    const { apps, sessions, audit } = setup();
    apps.view('ehr');
    apps.view('billing');
    const decide = (partition: string, url: string) => {
      let cancel: boolean | undefined;
      (sessions.get(partition)?.beforeRequest as (...a: unknown[]) => void)({ webContentsId: undefined, url, resourceType: 'xhr' }, (r: { cancel: boolean }) => (cancel = r.cancel));
      return !cancel;
    };
    // The practice session is shared by ehr and messages: a worker there may reach either.
    expect(decide('cordon-practice', 'https://api.ehr.example.com/v1')).toBe(true);
    expect(decide('cordon-practice', 'https://chat.example.com/sw.js')).toBe(true);
    expect(decide('cordon-practice', 'https://billing.example.com/')).toBe(false);
    expect(decide('cordon-app-billing', 'https://billing.example.com/sw.js')).toBe(true);
    expect(decide('cordon-app-billing', 'https://api.ehr.example.com/v1')).toBe(false);
    expect(audit.events.filter((e) => e.outcome === 'blocked').map((e) => e.appId)).toEqual(['practice-workers', 'billing']);
  });

  it('runs the service-worker guard in every hosted session, and audits a worker\'s reports as its partition\'s app', () => {
    const { apps, sessions, audit } = setup();
    apps.view('ehr');
    apps.view('billing');
    for (const partition of ['cordon-practice', 'cordon-app-billing']) {
      expect(sessions.get(partition)?.preloadScripts).toEqual([{ type: 'service-worker', id: 'cordon-service-worker-guard', filePath: '/app/out/preload/serviceWorkerGuard.cjs' }]);
    }
    const report = (partition: string, versionId: number, payload: unknown) => {
      const worker = sessions.get(partition)?.serviceWorkers.start(versionId);
      worker?.ipc.listeners.get(GUARD_REPORT_CHANNEL)?.({ sender: { id: 0 } }, payload);
    };
    report('cordon-app-billing', 4, { block: 'service-worker', origin: 'wss://evil.example', reason: 'websocket' });
    report('cordon-practice', 9, { block: 'service-worker', origin: 'https://evil.example', reason: 'webtransport' });
    // A worker's report of its own choosing (a full URL) is refused, not recorded.
    report('cordon-practice', 10, { block: 'service-worker', origin: 'wss://evil.example/chart?mrn=SYN-0001', reason: 'websocket' });
    expect(audit.events.filter((e) => e.type === 'request.blocked' || e.type === 'ipc.refused')).toEqual([
      { type: 'request.blocked', outcome: 'blocked', appId: 'billing', origin: 'wss://evil.example', reason: 'service-worker-websocket' },
      { type: 'request.blocked', outcome: 'blocked', appId: 'practice-workers', origin: 'https://evil.example', reason: 'service-worker-webtransport' },
      { type: 'ipc.refused', outcome: 'blocked', appId: 'practice-workers', reason: `${GUARD_REPORT_CHANNEL}: invalid report` },
    ]);
    // A restarted worker keeps its one listener (a second would throw in the fake ipc).
    expect(() => sessions.get('cordon-practice')?.serviceWorkers.start(9)).not.toThrow();
  });

  it('sign-out closes every view, wipes the workspace clipboard and clears every hosted session', async () => {
    const { apps, clipboard, cleared, audit } = setup();
    const ehr = (apps.view('ehr') as unknown as FakeView).webContents;
    clipboard.write('555-0100');
    await apps.wipeAllSessions();
    expect(ehr.destroyed).toBe(true);
    // Each app's opening and closing is in the audit trail.
    expect(audit.events).toEqual([
      { type: 'app.opened', outcome: 'success', appId: 'ehr' },
      { type: 'app.closed', outcome: 'success', appId: 'ehr' },
    ]);
    expect(clipboard.read()).toBeNull();
    expect(cleared.sort()).toEqual(['cordon-app-billing:auth', 'cordon-app-billing:cache', 'cordon-app-billing:storage', 'cordon-practice:auth', 'cordon-practice:cache', 'cordon-practice:storage']);
  });

  it('hosts nothing, and opens no window, while nobody is signed in to name in the watermark', () => {
    const { apps, harden, signOut } = setup();
    const ehr = (apps.view('ehr') as unknown as FakeView).webContents;
    harden(ehr);
    signOut();
    expect(() => apps.view('messages')).toThrow(/nobody is signed in/);
    expect(ehr.windowOpenHandler?.({ url: 'https://ehr.example.com/print-preview' })).toEqual({ action: 'deny' });
  });

  it('counts a live call: an app granted the microphone whose page is audible, until it closes', () => {
    const { apps, sessions } = setup();
    const ehr = (apps.view('ehr') as unknown as FakeView).webContents;
    const messages = (apps.view('messages') as unknown as FakeView).webContents;
    const ask = (contents: FakeWebContents) => {
      let granted = false;
      (sessions.get('cordon-practice')?.permissionRequestHandler as (...a: unknown[]) => void)({ id: contents.id }, 'media', (g: boolean) => (granted = g), { requestingUrl: 'https://chat.example.com/call', mediaTypes: ['audio'] });
      return granted;
    };
    expect(ask(ehr)).toBe(false);
    expect(ask(messages)).toBe(true);
    ehr.audible = true;
    expect(apps.isInActiveCall()).toBe(false);
    messages.audible = true;
    expect(apps.isInActiveCall()).toBe(true);
    messages.close();
    expect(apps.isInActiveCall()).toBe(false);
  });
});
