import { describe, expect, it } from 'vitest';
import { hardenShellSession, shellRequestAllowed } from '../../../main/shell/sessionHardening';
import { NavigationRules } from '../../../main/shell/navigationRules';
import { hardenWebContents } from '../../../main/shell/webContentsHardening';
import { FakeSession, FakeWebContents, fakeEvent, RecordingAuditSink } from '../../support/electronFakes';

function hardened(allowDevTools = false) {
  const contents = new FakeWebContents();
  const audit = new RecordingAuditSink();
  const navigation = new NavigationRules();
  hardenWebContents(contents as never, { allowDevTools, audit, navigation });
  return { contents, audit, navigation };
}

describe('webContents hardening', () => {
  it('blocks and audits every frame navigation, recording only the origin', () => {
    const { contents, audit } = hardened();
    const event = fakeEvent({ url: 'https://evil.example/steal?mrn=12345#chart', isMainFrame: true });
    contents.emit('will-frame-navigate', event);
    expect(event.defaultPrevented).toBe(true);
    expect(audit.events).toEqual([{ type: 'navigation.blocked', outcome: 'blocked', origin: 'https://evil.example', reason: 'main-frame' }]);
    expect(JSON.stringify(audit.events)).not.toContain('12345');
  });

  it('blocks subframe navigations and redirects', () => {
    const { contents, audit } = hardened();
    const sub = fakeEvent({ url: 'javascript:alert(1)', isMainFrame: false });
    const redirect = fakeEvent({ url: 'http://127.0.0.1:9/x' });
    contents.emit('will-frame-navigate', sub);
    contents.emit('will-redirect', redirect);
    expect(sub.defaultPrevented && redirect.defaultPrevented).toBe(true);
    expect(audit.events.map((e) => [e.origin, e.reason])).toEqual([
      ['javascript:', 'subframe'],
      ['http://127.0.0.1:9', 'redirect'],
    ]);
  });

  it('follows the rule registered for that webContents after creation: allow, deny, intercept', () => {
    const { contents, audit, navigation } = hardened();
    const caught: string[] = [];
    navigation.set(contents, (url) => (url.startsWith('https://idp.example/') ? 'allow' : url.startsWith('https://callback.cordon.invalid/') ? { intercept: (u) => caught.push(u) } : 'deny'));
    const allowed = fakeEvent({ url: 'https://idp.example/login', isMainFrame: true });
    const callback = fakeEvent({ url: 'https://callback.cordon.invalid/oidc?code=abc&state=xyz' });
    const denied = fakeEvent({ url: 'https://evil.example/', isMainFrame: true });
    contents.emit('will-frame-navigate', allowed);
    contents.emit('will-redirect', callback);
    contents.emit('will-frame-navigate', denied);
    expect([allowed.defaultPrevented, callback.defaultPrevented, denied.defaultPrevented]).toEqual([false, true, true]);
    expect(caught).toEqual(['https://callback.cordon.invalid/oidc?code=abc&state=xyz']);
    // An intercepted callback is not a blocked navigation; only the denial is audited.
    expect(audit.events).toEqual([{ type: 'navigation.blocked', outcome: 'blocked', origin: 'https://evil.example', reason: 'main-frame' }]);
    // Another webContents without a rule still denies everything.
    const other = hardened();
    const event = fakeEvent({ url: 'https://idp.example/login', isMainFrame: true });
    other.contents.emit('will-frame-navigate', event);
    expect(event.defaultPrevented).toBe(true);
  });

  it('denies every window.open and audits it', () => {
    const { contents, audit } = hardened();
    expect(contents.windowOpenHandler?.({ url: 'https://evil.example/popup' })).toEqual({ action: 'deny' });
    expect(audit.events[0]).toMatchObject({ type: 'window-open.blocked', origin: 'https://evil.example' });
  });

  it('refuses <webview> attachment', () => {
    const { contents, audit } = hardened();
    const event = fakeEvent({});
    contents.emit('will-attach-webview', event, {}, {});
    expect(event.defaultPrevented).toBe(true);
    expect(audit.events[0]?.type).toBe('webview.blocked');
  });

  it('closes devtools in production builds and leaves them in development builds', () => {
    const production = hardened(false);
    production.contents.emit('devtools-opened');
    expect(production.contents.devToolsClosed).toBe(1);
    expect(production.audit.events[0]?.type).toBe('devtools.blocked');
    const development = hardened(true);
    development.contents.emit('devtools-opened');
    expect(development.contents.devToolsClosed).toBe(0);
  });
});

describe('webContents failure events', () => {
  it('audits a crashed renderer and a failed preload', () => {
    const { contents, audit } = hardened();
    contents.emit('render-process-gone', fakeEvent({}), { reason: 'crashed', exitCode: 139 });
    contents.emit('preload-error', fakeEvent({}), '/app/out/preload/index.cjs', new Error('boom'));
    expect(audit.events).toEqual([
      { type: 'renderer.gone', outcome: 'failure', reason: 'crashed' },
      { type: 'preload.failed', outcome: 'failure' },
    ]);
  });
});

describe('shell session hardening', () => {
  function session(allowDevTools = false) {
    const fake = new FakeSession();
    const audit = new RecordingAuditSink();
    hardenShellSession(fake as never, { allowDevTools, audit });
    return { fake, audit };
  }

  it('denies every permission request and check', () => {
    const { fake, audit } = session();
    for (const permission of ['media', 'notifications', 'clipboard-read', 'geolocation', 'display-capture']) {
      let granted: boolean | undefined;
      (fake.permissionRequestHandler as (...a: unknown[]) => void)({}, permission, (g: boolean) => (granted = g), {});
      expect(granted).toBe(false);
      expect((fake.permissionCheckHandler as (...a: unknown[]) => boolean)(null, permission, 'cordon://app', {})).toBe(false);
    }
    expect((fake.devicePermissionHandler as (...a: unknown[]) => boolean)({ deviceType: 'usb' })).toBe(false);
    expect(audit.events.filter((e) => e.type === 'permission.denied')).toHaveLength(5);
  });

  it('turns the session spellchecker off (it would fetch dictionaries)', () => {
    expect(session().fake.spellCheckerEnabled).toBe(false);
  });

  it('denies screen capture requests', () => {
    const { fake, audit } = session();
    let streams: unknown = 'untouched';
    (fake.displayMediaRequestHandler as (...a: unknown[]) => void)({}, (s: unknown) => (streams = s));
    expect(streams).toBeNull();
    expect(audit.events[0]).toMatchObject({ type: 'permission.denied', reason: 'display-capture' });
  });

  it('cancels downloads', () => {
    const { fake, audit } = session();
    const event = fakeEvent({});
    fake.emit('will-download', event, {}, {});
    expect(event.defaultPrevented).toBe(true);
    expect(audit.events[0]?.type).toBe('download.blocked');
  });

  it('lets the shell request only cordon:// (and devtools:// in development)', () => {
    const { fake, audit } = session();
    const decide = (url: string) => {
      let cancel: boolean | undefined;
      (fake.beforeRequest as (...a: unknown[]) => void)({ url }, (r: { cancel: boolean }) => (cancel = r.cancel));
      return cancel;
    };
    expect(decide('cordon://app/assets/index.js')).toBe(false);
    expect(decide('https://evil.example/beacon?x=1')).toBe(true);
    expect(decide('file:///etc/passwd')).toBe(true);
    expect(decide('devtools://devtools/bundled/inspector.html')).toBe(true);
    expect(audit.events.map((e) => e.origin)).toEqual(['https://evil.example', 'file:', 'devtools://devtools']);
    expect(shellRequestAllowed('devtools://devtools/x', true)).toBe(true);
  });
});
