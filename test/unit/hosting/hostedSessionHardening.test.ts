// hardenHostedSession against a named fake Session (no Electron binary here): each
// installed handler applies the app's policy and audits refusals by origin only.
import { describe, expect, it } from 'vitest';
import { hostedAppRules, type HostedAppRules } from '../../../common/hosting/hostedAppRules';
import { policyV1Schema } from '../../../common/policy/policySchema';
import { hardenHostedSession } from '../../../main/hosting/hostedSessionHardening';
import { FakeSession, fakeEvent, RecordingAuditSink } from '../../support/electronFakes';
import { validPolicy } from '../../support/policyFixtures';

const base = validPolicy();
const [ehrApp] = base.apps;
const policy = policyV1Schema.parse({
  ...base,
  apps: [
    { ...ehrApp, permissions: ['microphone'], downloads: 'deny' },
    { id: 'files', name: 'Files', startUrl: 'https://files.example.com/', navigationOrigins: ['https://files.example.com'], downloads: 'allow' },
  ],
});
const EHR = 11;
/** Service workers are covered in hostedApps.test.ts, where their reports are taken. */
const NO_WORKERS = { preloadPath: '/app/out/preload/serviceWorkerGuard.cjs', onWorker: () => undefined };
const FILES = 12;
const byId = new Map<number, HostedAppRules>(policy.apps.map((app, i) => [i === 0 ? EHR : FILES, hostedAppRules(policy, app)]));

function setup() {
  const session = new FakeSession();
  const audit = new RecordingAuditSink();
  hardenHostedSession(session as never, (id) => (id === undefined ? null : (byId.get(id) ?? null)), audit, NO_WORKERS);
  return { session, audit };
}

function request(session: FakeSession, webContentsId: number | undefined, url: string, resourceType = 'xhr'): boolean {
  let cancel: boolean | undefined;
  (session.beforeRequest as (...a: unknown[]) => void)({ webContentsId, url, resourceType }, (r: { cancel: boolean }) => (cancel = r.cancel));
  if (cancel === undefined) throw new Error('callback not called');
  return !cancel;
}

describe('hosted session hardening', () => {
  it('filters every request by its own app\'s origins, frames as navigations', () => {
    const { session, audit } = setup();
    expect(request(session, EHR, 'https://api.ehr.example.com/v1/patients')).toBe(true);
    expect(request(session, EHR, 'https://evil.test/beacon?mrn=SYN-0001', 'ping')).toBe(false);
    expect(request(session, EHR, 'wss://evil.test/socket', 'webSocket')).toBe(false);
    expect(request(session, EHR, 'https://api.ehr.example.com/frame', 'subFrame')).toBe(false); // not a navigation origin
    expect(request(session, FILES, 'https://ehr.example.com/app.js', 'script')).toBe(false); // another app's origin
    expect(audit.events).toEqual([
      { type: 'request.blocked', outcome: 'blocked', appId: 'ehr', origin: 'https://evil.test', reason: 'origin-not-approved' },
      { type: 'request.blocked', outcome: 'blocked', appId: 'ehr', origin: 'wss://evil.test', reason: 'origin-not-approved' },
      { type: 'navigation.blocked', outcome: 'blocked', appId: 'ehr', origin: 'https://api.ehr.example.com', reason: 'origin-not-approved' },
      { type: 'request.blocked', outcome: 'blocked', appId: 'files', origin: 'https://ehr.example.com', reason: 'origin-not-approved' },
    ]);
    expect(JSON.stringify(audit.events)).not.toContain('SYN-0001');
  });

  it('cancels everything from a webContents that is not a registered hosted app', () => {
    const { session, audit } = setup();
    expect(request(session, 99, 'https://ehr.example.com/')).toBe(false);
    expect(request(session, undefined, 'https://ehr.example.com/')).toBe(false);
    expect(audit.events[0]).toEqual({ type: 'request.blocked', outcome: 'blocked', origin: 'https://ehr.example.com', reason: 'not-a-hosted-app' });
  });

  it('grants only the permissions the app\'s policy lists, and audits each refusal', () => {
    const { session, audit } = setup();
    const ask = (id: number, permission: string, details: object = {}) => {
      let granted: boolean | undefined;
      (session.permissionRequestHandler as (...a: unknown[]) => void)({ id }, permission, (g: boolean) => (granted = g), { requestingUrl: 'https://ehr.example.com/x', ...details });
      return granted;
    };
    expect(ask(EHR, 'media', { mediaTypes: ['audio'] })).toBe(true);
    expect(ask(EHR, 'media', { mediaTypes: ['video'] })).toBe(false);
    expect(ask(FILES, 'media', { mediaTypes: ['audio'] })).toBe(false);
    expect(ask(EHR, 'geolocation')).toBe(false);
    expect(ask(EHR, 'clipboard-read')).toBe(false);
    expect(audit.events.map((e) => [e.appId, e.reason])).toEqual([
      ['ehr', 'permission-camera'],
      ['files', 'permission-microphone'],
      ['ehr', 'permission-geolocation'],
      ['ehr', 'permission-clipboard-read'],
    ]);
    const check = (id: number | undefined, permission: string, mediaType?: string) =>
      (session.permissionCheckHandler as (...a: unknown[]) => boolean)(id === undefined ? null : { id }, permission, 'https://ehr.example.com', { mediaType });
    expect(check(EHR, 'media', 'audio')).toBe(true);
    expect(check(EHR, 'notifications')).toBe(false);
    expect(check(undefined, 'media', 'audio')).toBe(false);
    expect((session.devicePermissionHandler as () => boolean)()).toBe(false);
  });

  it('never grants screen capture', () => {
    const { session, audit } = setup();
    let streams: unknown = 'untouched';
    (session.displayMediaRequestHandler as (...a: unknown[]) => void)({ securityOrigin: 'https://ehr.example.com' }, (s: unknown) => (streams = s));
    expect(streams).toBeNull();
    expect(audit.events).toEqual([{ type: 'permission.denied', outcome: 'blocked', origin: 'https://ehr.example.com', reason: 'display-capture' }]);
  });

  it('lets downloads through only for apps whose policy allows them', () => {
    const { session, audit } = setup();
    const ehrDownload = fakeEvent({});
    const filesDownload = fakeEvent({});
    session.emit('will-download', ehrDownload, {}, { id: EHR });
    session.emit('will-download', filesDownload, {}, { id: FILES });
    expect([ehrDownload.defaultPrevented, filesDownload.defaultPrevented]).toEqual([true, false]);
    expect(audit.events).toEqual([{ type: 'download.blocked', outcome: 'blocked', appId: 'ehr' }]);
    expect(session.spellCheckerEnabled).toBe(false);
  });
});

describe('PDF documents in apps that may not print', () => {
  /** What the session's onHeadersReceived hook answers for one response. */
  function respond(session: FakeSession, webContentsId: number, resourceType: string, responseHeaders: Record<string, string[]>) {
    let answer: { cancel?: boolean; responseHeaders?: Record<string, string[]> } | undefined;
    (session.headersReceived as (...a: unknown[]) => void)({ webContentsId, url: 'https://ehr.example.com/charts/SYN-0001.pdf?token=secret', resourceType, responseHeaders }, (r: typeof answer) => (answer = r));
    if (answer === undefined) throw new Error('callback not called');
    return answer;
  }

  it('turns a PDF document into a download (so the download rule decides), keeping its file name, and audits the viewer refused', () => {
    const { session, audit } = setup();
    const answer = respond(session, EHR, 'mainFrame', { 'content-type': ['application/pdf'], 'Content-Disposition': ['inline; filename="chart.pdf"'], 'cache-control': ['no-store'] });
    expect(answer).toEqual({ responseHeaders: { 'content-type': ['application/pdf'], 'cache-control': ['no-store'], 'Content-Disposition': ['attachment; filename="chart.pdf"'] } });
    expect(respond(session, EHR, 'subFrame', { 'Content-Type': ['Application/PDF; qs=0.9'] }).responseHeaders?.['Content-Disposition']).toEqual(['attachment']);
    // The audit names the origin, never the URL's path or query.
    expect(audit.events).toContainEqual({ type: 'print.blocked', outcome: 'blocked', appId: 'ehr', origin: 'https://ehr.example.com', reason: 'pdf-viewer' });
    expect(JSON.stringify(audit.events)).not.toContain('secret');
  });

  it('leaves alone PDFs fetched by script, other documents, and apps that may print', () => {
    const { session } = setup();
    expect(respond(session, EHR, 'xhr', { 'content-type': ['application/pdf'] })).toEqual({});
    expect(respond(session, EHR, 'mainFrame', { 'content-type': ['text/html'] })).toEqual({});
    const printing = new FakeSession();
    const ehrRules = byId.get(EHR);
    if (ehrRules === undefined) throw new Error('no ehr rules');
    hardenHostedSession(printing as never, () => ({ ...ehrRules, printing: 'allow' }), new RecordingAuditSink(), NO_WORKERS);
    expect(respond(printing, EHR, 'mainFrame', { 'content-type': ['application/pdf'] })).toEqual({});
  });
});
