// The Chromium conformance host: Debian Chromium with Cordon's own hardenHostedSession
// installed on a stand-in Session whose webRequest hook is fed by CDP Fetch interception
// (browser-wide, it sees every request of every page, popups and iframes included,
// before it leaves) and by Playwright's WebSocket routing (Fetch does not see
// WebSockets). So the decisions under test are the app's real ones, not copies.
import type { Browser, BrowserContext, CDPSession, Page } from '@playwright/test';
import type { AuditSink } from '../../common/audit/auditSink';
import type { HostedAppRules } from '../../common/hosting/hostedAppRules';
import { hardenHostedSession, type HostedSession } from '../../main/hosting/hostedSessionHardening';

type BeforeRequest = (details: { url: string; resourceType: string; webContentsId: number }, callback: (response: { cancel: boolean }) => void) => void;

const RESOURCE_TYPES: Record<string, string> = {
  Document: 'mainFrame',
  XHR: 'xhr',
  Fetch: 'xhr',
  Ping: 'ping',
  Image: 'image',
  Script: 'script',
  Stylesheet: 'stylesheet',
  Font: 'font',
  Media: 'media',
  WebSocket: 'webSocket',
  CSPViolationReport: 'cspReport',
};

type Decide = (url: string, resourceType: string, webContentsId: number) => Promise<boolean>;

/** Feeds every request a CDP session sees through the decision, before it leaves. */
async function filterRequests(cdp: CDPSession, webContentsId: number, decide: Decide): Promise<void> {
  await cdp.send('Fetch.enable', { patterns: [{ urlPattern: '*', requestStage: 'Request' }] });
  cdp.on('Fetch.requestPaused', (event) => {
    void decide(event.request.url, RESOURCE_TYPES[event.resourceType] ?? 'other', webContentsId).then((allowed) =>
      (allowed ? cdp.send('Fetch.continueRequest', { requestId: event.requestId }) : cdp.send('Fetch.failRequest', { requestId: event.requestId, errorReason: 'BlockedByClient' })).catch(() => undefined),
    );
  });
}

export interface ChromiumHost {
  context: BrowserContext;
  /**
   * A page standing for the hosted view of app `webContentsId`. With scope 'browser' all
   * pages (and the popups they open) count as the one app; with scope 'page' each page is
   * its own app's view, in one shared session, as Cordon's practice session is.
   */
  openApp(webContentsId: number): Promise<Page>;
  close(): Promise<void>;
  /** Handlers hardenHostedSession installed that this host cannot drive (yet). */
  unwired: string[];
}

export async function startChromiumHost(browser: Browser, apps: ReadonlyMap<number, HostedAppRules>, audit: AuditSink, scope: 'browser' | 'page' = 'browser'): Promise<ChromiumHost> {
  let beforeRequest: BeforeRequest | null = null;
  const unwired: string[] = [];
  const session: HostedSession = {
    webRequest: { onBeforeRequest: ((listener: BeforeRequest) => (beforeRequest = listener)) as never },
    setSpellCheckerEnabled: () => undefined,
    setPermissionRequestHandler: () => void unwired.push('permission-request'),
    setPermissionCheckHandler: () => void unwired.push('permission-check'),
    setDevicePermissionHandler: () => void unwired.push('device-permission'),
    setDisplayMediaRequestHandler: () => void unwired.push('display-media'),
    on: ((event: string) => void unwired.push(event)) as never,
  };
  hardenHostedSession(session, (id) => (id === undefined ? null : (apps.get(id) ?? null)), audit);
  const decide: Decide = (url, resourceType, webContentsId) =>
    new Promise((resolve) => {
      if (beforeRequest === null) throw new Error('hardenHostedSession installed no request hook');
      beforeRequest({ url, resourceType, webContentsId }, ({ cancel }) => resolve(!cancel));
    });

  const [onlyApp] = apps.keys();
  let browserCdp: CDPSession | null = null;
  if (scope === 'browser') {
    if (onlyApp === undefined || apps.size !== 1) throw new Error('a browser-wide host stands for exactly one app');
    browserCdp = await browser.newBrowserCDPSession();
    await filterRequests(browserCdp, onlyApp, decide);
  }
  const context = await browser.newContext();
  return {
    context,
    unwired,
    openApp: async (webContentsId) => {
      const page = await context.newPage();
      if (scope === 'page') await filterRequests(await context.newCDPSession(page), webContentsId, decide);
      await page.routeWebSocket(/.*/, async (ws) => {
        if (await decide(ws.url(), 'webSocket', webContentsId)) ws.connectToServer();
        else await ws.close({ code: 1008, reason: 'blocked by Cordon' });
      });
      return page;
    },
    close: async () => {
      await context.close();
      await browserCdp?.detach().catch(() => undefined);
    },
  };
}
