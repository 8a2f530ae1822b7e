// The Chromium conformance host: Debian Chromium with Cordon's own hardenHostedSession
// installed on a stand-in Session whose webRequest hook is fed by CDP (browser-wide
// Fetch interception sees every request of every page, popups and iframes included,
// before it leaves) and by Playwright's WebSocket routing (Fetch does not see
// WebSockets). So the decisions under test are the app's real ones, not copies.
import type { Browser, BrowserContext, CDPSession } from '@playwright/test';
import type { AuditSink } from '../../common/audit/auditSink';
import type { HostedAppRules } from '../../common/hosting/hostedAppRules';
import { hardenHostedSession, type HostedSession } from '../../main/hosting/hostedSessionHardening';

type BeforeRequest = (details: { url: string; resourceType: string; webContentsId: number }, callback: (response: { cancel: boolean }) => void) => void;

/** The one simulated webContents id all pages of the hosted app share. */
const HOSTED_WEB_CONTENTS = 1;

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

export interface ChromiumHost {
  context: BrowserContext;
  close(): Promise<void>;
  /** Handlers hardenHostedSession installed that this host cannot drive (yet). */
  unwired: string[];
}

export async function startChromiumHost(browser: Browser, rules: HostedAppRules, audit: AuditSink): Promise<ChromiumHost> {
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
  hardenHostedSession(session, (id) => (id === HOSTED_WEB_CONTENTS ? rules : null), audit);
  const decide = (url: string, resourceType: string): Promise<boolean> =>
    new Promise((resolve) => {
      if (beforeRequest === null) throw new Error('hardenHostedSession installed no request hook');
      beforeRequest({ url, resourceType, webContentsId: HOSTED_WEB_CONTENTS }, ({ cancel }) => resolve(!cancel));
    });

  const cdp: CDPSession = await browser.newBrowserCDPSession();
  await cdp.send('Fetch.enable', { patterns: [{ urlPattern: '*', requestStage: 'Request' }] });
  cdp.on('Fetch.requestPaused', (event) => {
    void decide(event.request.url, RESOURCE_TYPES[event.resourceType] ?? 'other').then((allowed) =>
      (allowed ? cdp.send('Fetch.continueRequest', { requestId: event.requestId }) : cdp.send('Fetch.failRequest', { requestId: event.requestId, errorReason: 'BlockedByClient' })).catch(() => undefined),
    );
  });
  const context = await browser.newContext();
  await context.routeWebSocket(/.*/, async (ws) => {
    if (await decide(ws.url(), 'webSocket')) ws.connectToServer();
    else await ws.close({ code: 1008, reason: 'blocked by Cordon' });
  });
  return {
    context,
    unwired,
    close: async () => {
      await context.close();
      await cdp.detach().catch(() => undefined);
    },
  };
}
