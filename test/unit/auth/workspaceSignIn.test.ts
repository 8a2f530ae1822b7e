// The Electron side of workspace-mode sign-in, against named fakes (no Electron binary):
// the window lives in the in-memory practice session, only the IdP's and approved origins
// are reachable, the redirect is intercepted, and closing the window cancels.
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { AuthError } from '../../../common/auth/authErrors';
import { signInNavigation, signInScope, WORKSPACE_POST_LOGOUT_URI, WORKSPACE_REDIRECT_URI } from '../../../common/auth/signInNavigation';
import { policyV1Schema } from '../../../common/policy/policySchema';
import { oidcSettingsFor, signInOrigins } from '../../../main/auth/createSignIn';
import { endIdpSessionInWorkspace, PRACTICE_PARTITION, workspaceRedirectChannel } from '../../../main/auth/workspaceSignIn';
import { wipeSession } from '../../../main/hosting/hostedApps';
import { NavigationRules } from '../../../main/shell/navigationRules';
import { hardenWebContents } from '../../../main/shell/webContentsHardening';
import { fakeEvent, FakeWebContents, RecordingAuditSink } from '../../support/electronFakes';
import { validPolicy } from '../../support/policyFixtures';

class FakeSignInWindow extends EventEmitter {
  static created: FakeSignInWindow[] = [];
  readonly webContents = new FakeWebContents();
  loaded: string | null = null;
  destroyed = false;
  constructor(readonly options: { show?: boolean; webPreferences: Record<string, unknown> }) {
    super();
    FakeSignInWindow.created.push(this);
  }
  loadURL(url: string) {
    this.loaded = url;
    return Promise.resolve();
  }
  isDestroyed() {
    return this.destroyed;
  }
  close() {
    this.destroyed = true;
    this.emit('closed');
  }
}

function setup() {
  FakeSignInWindow.created = [];
  const navigation = new NavigationRules();
  const audit = new RecordingAuditSink();
  const registered: unknown[] = [];
  const options = { BrowserWindow: FakeSignInWindow as never, parent: () => null, navigation, allowedOrigins: ['https://idp.example', 'https://ehr.example'], allowDevTools: false, register: (contents: unknown) => void registered.push(contents) };
  return { navigation, audit, options, registered };
}

/** What 'web-contents-created' would do for the window's contents. */
function hardenLatest(navigation: NavigationRules, audit: RecordingAuditSink): FakeSignInWindow {
  const window = FakeSignInWindow.created.at(-1);
  if (window === undefined) throw new Error('no window');
  hardenWebContents(window.webContents as never, { allowDevTools: false, audit, navigation });
  return window;
}

describe('workspace sign-in window', () => {
  it('opens the IdP in the in-memory practice session with a locked-down window', async () => {
    const { navigation, audit, options, registered } = setup();
    const channel = workspaceRedirectChannel(options);
    expect(channel.redirectUri).toBe(WORKSPACE_REDIRECT_URI);
    const result = channel.run('https://idp.example/authorize?x=1');
    const window = hardenLatest(navigation, audit);
    expect(window.options.webPreferences).toMatchObject({ partition: PRACTICE_PARTITION, sandbox: true, contextIsolation: true, nodeIntegration: false, devTools: false });
    expect(PRACTICE_PARTITION.startsWith('persist:')).toBe(false);
    expect(window.loaded).toBe('https://idp.example/authorize?x=1');
    // Registered with the practice session's filter before it loads anything.
    expect(registered).toEqual([window.webContents]);

    const login = fakeEvent({ url: 'https://idp.example/interaction/abc', isMainFrame: true });
    const offsite = fakeEvent({ url: 'https://phish.example/login', isMainFrame: true });
    const callback = fakeEvent({ url: `${WORKSPACE_REDIRECT_URI}?code=c&state=s&iss=x` });
    window.webContents.emit('will-frame-navigate', login);
    window.webContents.emit('will-frame-navigate', offsite);
    window.webContents.emit('will-redirect', callback);
    expect([login.defaultPrevented, offsite.defaultPrevented, callback.defaultPrevented]).toEqual([false, true, true]);
    await expect(result).resolves.toBe(`${WORKSPACE_REDIRECT_URI}?code=c&state=s&iss=x`);
    expect(window.destroyed).toBe(true);
    expect(audit.events).toEqual([{ type: 'navigation.blocked', outcome: 'blocked', origin: 'https://phish.example', reason: 'main-frame' }]);
  });

  it('cancels when the VA closes the sign-in window', async () => {
    const { navigation, audit, options } = setup();
    const result = workspaceRedirectChannel(options).run('https://idp.example/authorize');
    hardenLatest(navigation, audit).close();
    const error = await result.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthError);
    expect((error as AuthError).code).toBe('cancelled');
  });

  it('ends the IdP session out of sight and returns at the post-logout redirect', async () => {
    const { navigation, audit, options } = setup();
    const done = endIdpSessionInWorkspace(options, 'https://idp.example/session/end?id_token_hint=x', 5_000);
    const window = hardenLatest(navigation, audit);
    expect(window.options.show).toBe(false);
    window.webContents.emit('will-redirect', fakeEvent({ url: `${WORKSPACE_POST_LOGOUT_URI}?state=1` }));
    await done;
    expect(window.destroyed).toBe(true);
  });

  it('wipes cookies, storage, caches and HTTP auth of a session', async () => {
    const calls: string[] = [];
    await wipeSession({ clearStorageData: async () => void calls.push('storage'), clearCache: async () => void calls.push('cache'), clearAuthCache: async () => void calls.push('auth') });
    expect(calls).toEqual(['storage', 'cache', 'auth']);
  });
});

describe('sign-in settings from the policy', () => {
  it('allows plain http only for a demo policy IdP on 127.0.0.1', () => {
    const base = validPolicy();
    expect(oidcSettingsFor(policyV1Schema.parse(base)).allowInsecureLoopback).toBe(false);
    const demo = policyV1Schema.parse({ ...base, environment: 'demo', identity: { ...base.identity, issuer: 'http://127.0.0.1:4400' } });
    expect(oidcSettingsFor(demo).allowInsecureLoopback).toBe(true);
  });

  it('lets the sign-in window reach the IdP and the approved app origins only', () => {
    expect(signInOrigins(policyV1Schema.parse(validPolicy())).sort()).toEqual(['https://ehr.example.com', 'https://login.example.com']);
  });

  it("loads the IdP's assets from identity.requestOrigins but never navigates there", () => {
    const scope = signInScope(['https://login.example.com'], ['https://cdn.idp.example']);
    expect(scope).toEqual({ navigation: ['https://login.example.com'], request: ['https://login.example.com', 'https://cdn.idp.example'] });
    const navigate = (url: string) => signInNavigation(url, { redirectUris: [WORKSPACE_REDIRECT_URI], allowedOrigins: scope.navigation });
    expect(navigate('https://login.example.com/authorize')).toBe('allow');
    expect(navigate('https://cdn.idp.example/login.html')).toBe('deny');
  });
});
