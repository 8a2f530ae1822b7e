// The Chromium conformance host: Debian Chromium running Cordon's own code in place of
// Electron's plumbing, so the decisions under test are the app's real ones, not copies.
// - hardenHostedSession is installed on a stand-in Session. Its request hook is fed by
//   CDP Fetch interception (every request, before it leaves) and Playwright's WebSocket
//   routing; its permission and display-media handlers by permissionShim; its
//   will-download handler by Playwright's download event.
// - The guard preload's two halves run as they do in Electron: installIsolatedGuard in
//   an isolated world of every frame (CDP addScriptToEvaluateOnNewDocument with a world
//   name), mainWorldGuard in the page's world; their reports and the workspace clipboard
//   reach main's guard reports and registerWorkspaceClipboard through CDP bindings
//   instead of IPC.
// - The service-worker preload that hardenHostedSession registers runs in every service
//   worker before the worker's own script: the browser-wide request interception puts the
//   bundled guard in front of each service-worker script (the request Chromium marks
//   `Service-Worker: script`). Over CDP a worker cannot be held before its first line
//   reliably (Playwright resumes it at once), so this is the host's way to run first. The
//   guard reports by fetching a secret URL that the interception answers itself (nothing
//   leaves); reports reach main's guard reports through the stand-in session's
//   serviceWorkers, as a ServiceWorkerMain's ipc does in Electron.
// Where this host cannot reproduce Electron, it says so in `differences`.
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import type { Browser, BrowserContext, CDPSession, Download, Page } from '@playwright/test';
import type { AuditSink } from '../../common/audit/auditSink';
import { guardConfigFor, watermarkFromMain, type GuardWatermark } from '../../common/hosting/guardProtocol';
import type { HostedAppRules } from '../../common/hosting/hostedAppRules';
import { bundleGuardScript } from '../../build/guardBundle';
import { WorkspaceClipboard } from '../../main/clipboard/workspaceClipboard';
import { registerWorkspaceClipboard } from '../../main/hosting/guardClipboard';
import { createGuardReports, frameReporter } from '../../main/hosting/guardReports';
import { registerGuardWatermark, type WatermarkRequestEvent } from '../../main/hosting/guardWatermark';
import { hardenHostedSession, type HostedSession } from '../../main/hosting/hostedSessionHardening';
import { mainWorldConfig } from '../../preload/guard/mainWorldGuard';
import { GUARD_REPORT_CHANNEL } from '../../common/hosting/guardProtocol';
import { FakeServiceWorkers } from '../support/electronFakes';

type ResponseHeaders = Record<string, string[]>;
type Handlers = {
  beforeRequest: (details: { url: string; resourceType: string; webContentsId: number }, callback: (response: { cancel: boolean }) => void) => void;
  headersReceived: (details: { url: string; resourceType: string; webContentsId: number; responseHeaders: ResponseHeaders }, callback: (response: { cancel?: boolean; responseHeaders?: ResponseHeaders }) => void) => void;
  permissionRequest: (contents: { id: number }, permission: string, callback: (granted: boolean) => void, details: { requestingUrl: string; mediaTypes?: string[] }) => void;
  displayMedia: (request: { securityOrigin: string }, callback: (streams: unknown) => void) => void;
  willDownload: (event: { preventDefault(): void }, item: unknown, contents: { id: number }) => void;
};

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

const GUARD_WORLD = 'cordon-guard';
// Both halves are bundled from source, never copied out of this process with
// Function.toString (whatever compiled this file may have added helpers the page lacks).
let isolatedGuardBundle: Promise<string> | null = null;
let mainWorldGuardBundle: Promise<string> | null = null;
let serviceWorkerGuardBundle: Promise<string> | null = null;

type Decide = (url: string, resourceType: string, webContentsId: number) => Promise<boolean>;
/** The session's onHeadersReceived answer for a document response: new headers, or null to leave it. */
type Respond = (url: string, resourceType: string, webContentsId: number, headers: ResponseHeaders) => Promise<ResponseHeaders | null>;

/** The service-worker preload as this host runs it: in front of each worker script. */
interface WorkerScripts {
  /** The guard source for one worker, given where it reports. */
  prefix(reportUrl: string): string;
  starting(versionId: number): void;
  report(versionId: number, payload: string): void;
  failed(message: string): void;
}

/** Where a guarded worker reports: an unroutable name the interception answers itself. */
const REPORT_ORIGIN = 'http://cordon-worker-report.invalid';

/**
 * Feeds every request a CDP session sees through the decision, before it leaves, and
 * every document's response headers through the headers hook (CDP names every frame's
 * document 'Document': the hook sees them all as 'mainFrame'). With `workers`, each
 * service-worker script gets the guard in front, and the guard's reports are answered here.
 */
async function filterRequests(cdp: CDPSession, webContentsId: number, decide: Decide, respond: Respond, workers: WorkerScripts | null): Promise<void> {
  const secret = randomUUID();
  let versions = 0;
  await cdp.send('Fetch.enable', {
    patterns: [
      { urlPattern: '*', requestStage: 'Request' },
      { urlPattern: '*', resourceType: 'Document', requestStage: 'Response' },
      ...(workers === null ? [] : [{ urlPattern: '*', resourceType: 'Other' as const, requestStage: 'Response' as const }]),
    ],
  });
  const fulfill = (requestId: string, responseCode: number, responseHeaders: { name: string; value: string }[], body: string) =>
    cdp.send('Fetch.fulfillRequest', { requestId, responseCode, responseHeaders, body: Buffer.from(body).toString('base64') });
  cdp.on('Fetch.requestPaused', (event) => {
    if (workers !== null && event.request.url.startsWith(`${REPORT_ORIGIN}/${secret}/`)) {
      const url = new URL(event.request.url);
      const versionId = Number(url.pathname.split('/')[2]);
      const failure = url.searchParams.get('failed');
      if (failure !== null) workers.failed(failure);
      else workers.report(versionId, url.searchParams.get('report') ?? '');
      void fulfill(event.requestId, 204, [], '').catch(() => undefined);
      return;
    }
    const isWorkerScript = Object.entries(event.request.headers).some(([name, value]) => name.toLowerCase() === 'service-worker' && value === 'script');
    if (event.responseStatusCode !== undefined && event.resourceType === 'Other') {
      if (workers === null || !isWorkerScript || event.responseStatusCode !== 200) {
        void cdp.send('Fetch.continueRequest', { requestId: event.requestId }).catch(() => undefined);
        return;
      }
      versions += 1;
      const versionId = versions;
      workers.starting(versionId);
      void cdp
        .send('Fetch.getResponseBody', { requestId: event.requestId })
        .then(({ body, base64Encoded }) => {
          const script = base64Encoded ? Buffer.from(body, 'base64').toString('utf8') : body;
          return fulfill(event.requestId, 200, event.responseHeaders ?? [], `${workers.prefix(`${REPORT_ORIGIN}/${secret}/${versionId}`)}\n${script}`);
        })
        .catch(() => undefined);
      return;
    }
    if (event.responseStatusCode !== undefined) {
      const headers: ResponseHeaders = {};
      for (const { name, value } of event.responseHeaders ?? []) headers[name] = [...(headers[name] ?? []), value];
      void respond(event.request.url, 'mainFrame', webContentsId, headers)
        .then(async (changed) => {
          if (changed === null) return cdp.send('Fetch.continueRequest', { requestId: event.requestId });
          // New headers need the body read and handed back (continueResponse stalls downloads).
          const { body, base64Encoded } = await cdp.send('Fetch.getResponseBody', { requestId: event.requestId });
          return cdp.send('Fetch.fulfillRequest', {
            requestId: event.requestId,
            responseCode: event.responseStatusCode ?? 200,
            responseHeaders: Object.entries(changed).flatMap(([name, values]) => values.map((value) => ({ name, value }))),
            body: base64Encoded ? body : Buffer.from(body).toString('base64'),
          });
        })
        .catch(() => undefined);
      return;
    }
    void decide(event.request.url, RESOURCE_TYPES[event.resourceType] ?? 'other', webContentsId).then((allowed) =>
      (allowed ? cdp.send('Fetch.continueRequest', { requestId: event.requestId }) : cdp.send('Fetch.failRequest', { requestId: event.requestId, errorReason: 'BlockedByClient' })).catch(() => undefined),
    );
  });
}

/** What Cordon's will-download handler decided for each download a page began. */
export type DownloadVerdict = 'refused' | 'allowed';

export interface ChromiumHost {
  context: BrowserContext;
  /**
   * A page standing for the hosted view of app `webContentsId`. With scope 'browser' all
   * pages (and the popups they open) count as the one app; with scope 'page' each page is
   * its own app's view, in one shared session, as Cordon's practice session is.
   */
  openApp(webContentsId: number): Promise<Page>;
  downloads: DownloadVerdict[];
  /** Page-side guard installs that threw: close() fails when there is any. */
  installFailures: string[];
  close(): Promise<void>;
  /** What this host does differently from Electron, for the test output. */
  differences: string[];
}

export interface HostOptions {
  scope?: 'browser' | 'page';
  /** Install the guard preload and the permission and download plumbing (default true). */
  guard?: boolean;
  watermark?: GuardWatermark;
}

/** What main would put in the watermark for a signed-in demo VA. */
export const TEST_WATERMARK: GuardWatermark = { text: 'Valerie Demo · valerie@example.test · Test Family Practice · test-device · 7K2M-QX4P · {time}', opacity: 0.12 };

export async function startChromiumHost(browser: Browser, apps: ReadonlyMap<number, HostedAppRules>, audit: AuditSink, { scope = 'browser', guard = true, watermark = TEST_WATERMARK }: HostOptions = {}): Promise<ChromiumHost> {
  const handlers: Partial<Handlers> = {};
  const differences = [
    'popups opened by a page run without the guard preload (their requests are still filtered)',
    'permission checks (navigator.permissions.query) are not routed to the check handler',
    'devices (setDevicePermissionHandler) have no CDP equivalent',
    "downloads are refused by this host's engine as well; the evidence is the will-download handler's verdict",
  ];
  const preloads: { type: string; filePath: string }[] = [];
  const serviceWorkers = new FakeServiceWorkers();
  const session: HostedSession = {
    registerPreloadScript: (script) => (preloads.push(script), script.id ?? 'preload'),
    serviceWorkers: serviceWorkers as never,
    webRequest: {
      onBeforeRequest: ((listener: Handlers['beforeRequest']) => (handlers.beforeRequest = listener)) as never,
      onHeadersReceived: ((listener: Handlers['headersReceived']) => (handlers.headersReceived = listener)) as never,
    },
    setSpellCheckerEnabled: () => undefined,
    setPermissionRequestHandler: ((h: Handlers['permissionRequest']) => (handlers.permissionRequest = h)) as never,
    setPermissionCheckHandler: () => undefined,
    setDevicePermissionHandler: () => undefined,
    setDisplayMediaRequestHandler: ((h: Handlers['displayMedia']) => (handlers.displayMedia = h)) as never,
    on: ((event: string, h: Handlers['willDownload']) => {
      if (event === 'will-download') handlers.willDownload = h;
      else differences.push(`session event '${event}' is not driven`);
    }) as never,
  };
  const appFor = (id: number | undefined) => (id === undefined ? null : (apps.get(id) ?? null));
  const reports = createGuardReports(audit);
  // A worker gets its session's rules: here, the one app a browser-wide host stands for.
  const workerRules = apps.size === 1 ? appFor([...apps.keys()][0]) : null;
  hardenHostedSession(session, appFor, audit, {
    preloadPath: '/out/preload/serviceWorkerGuard.cjs',
    onWorker: (worker) => reports.listen(worker.ipc, () => ({ key: `worker:${worker.versionId}`, rules: workerRules })),
  });
  let guardReport: ((event: { sender: { id: number } }, payload: unknown) => void) | null = null;
  reports.listen({ on: (_channel, listener: (event: { sender: { id: number } }, payload: unknown) => void) => (guardReport = listener) }, frameReporter((id) => appFor(id)));
  // The watermark comes from main's own IPC handler, asked for the page's top frame as the guard asks it.
  let watermarkAnswer: ((event: WatermarkRequestEvent) => void) | null = null;
  registerGuardWatermark({ on: (_channel, listener) => (watermarkAnswer = listener) }, (id) => appFor(id), () => watermark, audit);
  const watermarkFor = (webContentsId: number): GuardWatermark => {
    const event: WatermarkRequestEvent = { sender: { id: webContentsId }, senderFrame: { parent: null }, returnValue: undefined };
    watermarkAnswer?.(event);
    return watermarkFromMain(event.returnValue);
  };
  // One workspace clipboard for all apps, as main keeps one; reached through main's own handlers.
  const clipboard = { write: null as ((event: { sender: { id: number } }, text: unknown) => void) | null, read: null as ((event: { sender: { id: number } }) => unknown) | null };
  registerWorkspaceClipboard(
    { on: (_channel, listener) => (clipboard.write = listener), handle: (_channel, listener) => (clipboard.read = listener) },
    (id) => appFor(id),
    new WorkspaceClipboard(60_000),
    audit,
  );

  const decide: Decide = (url, resourceType, webContentsId) =>
    new Promise((resolve) => {
      if (handlers.beforeRequest === undefined) throw new Error('hardenHostedSession installed no request hook');
      handlers.beforeRequest({ url, resourceType, webContentsId }, ({ cancel }) => resolve(!cancel));
    });

  const respond: Respond = (url, resourceType, webContentsId, responseHeaders) =>
    new Promise((resolve) => {
      if (handlers.headersReceived === undefined) throw new Error('hardenHostedSession installed no headers hook');
      handlers.headersReceived({ url, resourceType, webContentsId, responseHeaders }, (answer) => resolve(answer.responseHeaders ?? null));
    });

  const askHandlers = (webContentsId: number, requestingUrl: string, permission: string, mediaTypes: string[]): Promise<boolean> =>
    new Promise((resolve) => {
      if (permission === 'display-capture') {
        if (handlers.displayMedia === undefined) throw new Error('no display-media handler');
        handlers.displayMedia({ securityOrigin: new URL(requestingUrl).origin }, (streams) => resolve(streams !== null));
        return;
      }
      if (handlers.permissionRequest === undefined) throw new Error('no permission handler');
      handlers.permissionRequest({ id: webContentsId }, permission, resolve, { requestingUrl, mediaTypes });
    });

  async function installGuard(page: Page, cdp: CDPSession, webContentsId: number, rules: HostedAppRules): Promise<void> {
    const config = guardConfigFor(rules, watermarkFor(webContentsId));
    isolatedGuardBundle ??= bundleGuardScript(path.join(import.meta.dirname, 'chromiumGuardEntry.ts'), 'iife');
    mainWorldGuardBundle ??= bundleGuardScript(path.join(import.meta.dirname, 'chromiumMainWorldEntry.ts'), 'iife');
    const mainBinding = `b${randomUUID().replaceAll('-', '')}`;
    const permissionBinding = `p${randomUUID().replaceAll('-', '')}`;
    const resolver = `r${randomUUID().replaceAll('-', '')}`;
    const clipboardBinding = `c${randomUUID().replaceAll('-', '')}`;
    const failedBinding = `f${randomUUID().replaceAll('-', '')}`;
    await cdp.send('Page.enable');
    // Bindings report only with the Runtime domain on.
    await cdp.send('Runtime.enable');
    await cdp.send('Runtime.addBinding', { name: 'cordonGuardReport', executionContextName: GUARD_WORLD });
    await cdp.send('Runtime.addBinding', { name: mainBinding });
    await cdp.send('Runtime.addBinding', { name: permissionBinding });
    await cdp.send('Runtime.addBinding', { name: clipboardBinding });
    await cdp.send('Runtime.addBinding', { name: failedBinding });
    for (const name of ['cordonClipboardWrite', 'cordonClipboardRead', 'cordonGuardInstallFailed']) await cdp.send('Runtime.addBinding', { name, executionContextName: GUARD_WORLD });
    cdp.on('Runtime.bindingCalled', (event) => {
      if (event.name === failedBinding || event.name === 'cordonGuardInstallFailed') {
        installFailures.push(event.payload);
        console.error(`CORDON-HOST guard install failed: ${event.payload}`);
        return;
      }
      // CDP does not name the calling frame: the page's origin stands in for it here.
      const sender = { sender: { id: webContentsId }, senderFrame: { origin: new URL(page.url()).origin } };
      if (event.name === 'cordonGuardReport' || event.name === mainBinding) {
        guardReport?.(sender, JSON.parse(event.payload) as unknown);
      } else if (event.name === 'cordonClipboardWrite' || event.name === clipboardBinding) {
        clipboard.write?.(sender, event.payload);
      } else if (event.name === 'cordonClipboardRead') {
        const text = clipboard.read?.(sender) ?? null;
        void cdp.send('Runtime.evaluate', { expression: `cordonClipboardAnswer(${JSON.stringify(event.payload)}, ${JSON.stringify(text)})`, contextId: event.executionContextId }).catch(() => undefined);
      } else if (event.name === permissionBinding) {
        const request = JSON.parse(event.payload) as { id: number; permission: string; mediaTypes: string[]; url: string };
        void askHandlers(webContentsId, request.url, request.permission, request.mediaTypes).then((granted) =>
          cdp.send('Runtime.evaluate', { expression: `window.${resolver}(${request.id}, ${granted})`, contextId: event.executionContextId }).catch(() => undefined),
        );
      }
    });
    await cdp.send('Page.addScriptToEvaluateOnNewDocument', {
      source: `var cordonGuardConfig = ${JSON.stringify(config)};\n${await isolatedGuardBundle}`,
      worldName: GUARD_WORLD,
      runImmediately: true,
    });
    // Main world: the bundle takes the bindings out of the page's reach before any page script runs.
    const mainWorld = { config: mainWorldConfig(config), bindings: { report: mainBinding, clipboard: clipboardBinding, permission: permissionBinding, failed: failedBinding }, resolver };
    await cdp.send('Page.addScriptToEvaluateOnNewDocument', {
      source: `(() => { const cordonMainWorld = ${JSON.stringify(mainWorld)};\n${await mainWorldGuardBundle}\n})();`,
      runImmediately: true,
    });
    // Electron decides will-download before the item exists. Over CDP a page's download
    // may finish before a cancel lands (measured: lost races), so this host's engine
    // refuses every download itself and records what Cordon's handler decided.
    page.on('download', (download: Download) => {
      let refused = false;
      handlers.willDownload?.({ preventDefault: () => (refused = true) }, download, { id: webContentsId });
      downloads.push(refused ? 'refused' : 'allowed');
    });
  }

  /** The service-worker guard, if main registered it; only a browser-wide host sees worker scripts. */
  const workerScripts = async (): Promise<WorkerScripts | null> => {
    if (!guard || !preloads.some((p) => p.type === 'service-worker')) return null;
    serviceWorkerGuardBundle ??= bundleGuardScript(path.join(import.meta.dirname, 'chromiumServiceWorkerEntry.ts'), 'iife');
    const bundle = await serviceWorkerGuardBundle;
    return {
      prefix: (reportUrl) => `(() => { const cordonServiceWorker = ${JSON.stringify({ reportUrl })};\n${bundle}\n})();`,
      starting: (versionId) => serviceWorkers.emit('running-status-changed', { versionId, runningStatus: 'starting' }),
      report: (versionId, payload) => serviceWorkers.workers.get(versionId)?.ipc.listeners.get(GUARD_REPORT_CHANNEL)?.({ sender: { id: 0 } }, JSON.parse(payload) as unknown),
      failed: (message) => {
        installFailures.push(message);
        console.error(`CORDON-HOST guard install failed: ${message}`);
      },
    };
  };
  if (scope === 'page' && guard) differences.push('service workers run without their guard: only a browser-wide host sees their scripts (the network allowlist still holds them)');
  const installFailures: string[] = [];
  const [onlyApp] = apps.keys();
  let browserCdp: CDPSession | null = null;
  if (scope === 'browser') {
    if (onlyApp === undefined || apps.size !== 1) throw new Error('a browser-wide host stands for exactly one app');
    browserCdp = await browser.newBrowserCDPSession();
    await filterRequests(browserCdp, onlyApp, decide, respond, await workerScripts());
  }
  const context = await browser.newContext({ acceptDownloads: false });
  const downloads: DownloadVerdict[] = [];
  return {
    context,
    downloads,
    installFailures,
    differences,
    openApp: async (webContentsId) => {
      const rules = apps.get(webContentsId);
      if (rules === undefined) throw new Error(`no app ${webContentsId}`);
      const page = await context.newPage();
      const cdp = await context.newCDPSession(page);
      if (scope === 'page') await filterRequests(cdp, webContentsId, decide, respond, null);
      if (guard) await installGuard(page, cdp, webContentsId, rules);
      await page.routeWebSocket(/.*/, async (ws) => {
        if (await decide(ws.url(), 'webSocket', webContentsId)) ws.connectToServer();
        else await ws.close({ code: 1008, reason: 'blocked by Cordon' });
      });
      return page;
    },
    close: async () => {
      await context.close();
      await browserCdp?.detach().catch(() => undefined);
      if (installFailures.length > 0) throw new Error(`the guard did not install in every frame: ${installFailures.join('; ')}`);
    },
  };
}
