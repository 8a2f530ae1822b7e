// The guard as shipped: the production build's out/preload/hostedGuard.cjs (the file
// Electron loads as every hosted frame's preload) run in real Chromium in an isolated
// world, with a stand-in for the two pieces of Electron it uses (the Electron binary
// cannot run here): `ipcRenderer.send` becomes a CDP binding, and
// `contextBridge.executeInMainWorld` does what Electron documents, serializing the
// function and running it in the page's main world. This proves the bundle loads as
// one sandbox-safe file, reads its configuration from process.argv, and that the
// main-world function survives serialization as bundled. `ipcRenderer.sendSync` answers
// the watermark request as main's handler does.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test, type CDPSession, type Page } from '@playwright/test';
import { encodeGuardArgument, GUARD_REPORT_CHANNEL, GUARD_WATERMARK_CHANNEL, type GuardConfig, type GuardWatermark } from '../../common/hosting/guardProtocol';
import { BROWSER_BUILD_OUT } from '../browser/globalSetup';
import { TEST_WATERMARK } from './chromiumHost';
import { startHostileServers, type HostileServers } from './hostileServers';

let servers: HostileServers;
test.beforeAll(async () => {
  servers = await startHostileServers();
});
test.afterAll(async () => {
  await servers.close();
});

/** Stand-in for Electron's preload environment around the shipped CommonJS bundle. */
function preloadSource(bundle: string, argv: string[], watermark: GuardWatermark | null): string {
  return `(() => {
    // As Electron does (electron#31313): no preload in about:blank child frames.
    if (window !== window.top && location.href === 'about:blank') return;
    const ipcRenderer = {
      send: (channel, payload) => cordonIpcSend(JSON.stringify({ channel, payload })),
      invoke: async () => null,
      // Main's synchronous answer; the request is recorded like any other message.
      sendSync: (channel) => {
        cordonIpcSend(JSON.stringify({ channel }));
        return channel === ${JSON.stringify(GUARD_WATERMARK_CHANNEL)} ? ${JSON.stringify(watermark)} : undefined;
      },
    };
    // Electron serializes func, runs it in the main world before any page script, and
    // returns a copy of its result (here passed back on the script element, removed at once).
    const contextBridge = {
      executeInMainWorld: ({ func, args }) => {
        const source = 'document.currentScript.dataset.result = JSON.stringify((' + func.toString() + ')(' + JSON.stringify(args[0]) + ', (r) => cordonMainWorldReport(JSON.stringify(r)), (t) => cordonMainWorldCopy(t)));';
        const script = document.createElement('script');
        script.textContent = source;
        (document.documentElement ?? document).appendChild(script);
        script.remove();
        return script.dataset.result === undefined ? undefined : JSON.parse(script.dataset.result);
      },
    };
    const require = (name) => {
      if (name === 'electron') return { contextBridge, ipcRenderer };
      throw new Error('a sandboxed preload cannot load ' + name);
    };
    const process = { argv: ${JSON.stringify(argv)} };
    const module = { exports: {} };
    // Electron's 'preload-error' event: main audits it as preload.failed.
    try {
      (function (module, exports, require, process) {
${bundle}
      })(module, module.exports, require, process);
    } catch (error) {
      cordonIpcSend(JSON.stringify({ channel: 'preload-error', payload: String(error && error.message) }));
    }
  })();`;
}

interface Received {
  ipc: { channel: string; payload: unknown }[];
  mainWorld: unknown[];
}

async function openWithShippedGuard(page: Page, config: GuardConfig, watermarkAnswer: GuardWatermark | null = config.watermark): Promise<{ cdp: CDPSession; received: Received }> {
  const bundle = readFileSync(path.join(BROWSER_BUILD_OUT, 'preload', 'hostedGuard.cjs'), 'utf8');
  const cdp = await page.context().newCDPSession(page);
  const received: Received = { ipc: [], mainWorld: [] };
  await cdp.send('Page.enable');
  await cdp.send('Runtime.enable');
  await cdp.send('Runtime.addBinding', { name: 'cordonIpcSend', executionContextName: 'electron-preload' });
  await cdp.send('Runtime.addBinding', { name: 'cordonMainWorldReport' });
  await cdp.send('Runtime.addBinding', { name: 'cordonMainWorldCopy' });
  cdp.on('Runtime.bindingCalled', (event) => {
    if (event.name === 'cordonIpcSend') received.ipc.push(JSON.parse(event.payload) as Received['ipc'][number]);
    else received.mainWorld.push(event.name === 'cordonMainWorldReport' ? JSON.parse(event.payload) : { copied: event.payload });
  });
  await cdp.send('Page.addScriptToEvaluateOnNewDocument', { source: preloadSource(bundle, ['--type=renderer', encodeGuardArgument(guardArgumentOf(config))], watermarkAnswer), worldName: 'electron-preload', runImmediately: true });
  return { cdp, received };
}

/** What main puts on the command line: the rules, never the watermark. */
const guardArgumentOf = ({ navigationOrigins, printing, uploads, downloads, allowLoopbackHttp, clipboard, calls, iceHosts }: GuardConfig) => ({ navigationOrigins, printing, uploads, downloads, allowLoopbackHttp, clipboard, calls, iceHosts });

const config = (overrides: Partial<GuardConfig> = {}): GuardConfig => ({ navigationOrigins: [servers.appOrigin], printing: 'deny', uploads: 'deny', downloads: 'deny', allowLoopbackHttp: true, clipboard: 'workspace', calls: 'deny', iceHosts: ['127.0.0.1'], watermark: TEST_WATERMARK, ...overrides });

test('the shipped guard bundle blocks print from the main world and a javascript: link from the isolated world, and draws the watermark', async ({ page }) => {
  const { received, cdp } = await openWithShippedGuard(page, config());
  await page.goto(`${servers.appOrigin}/clipboard`);
  await page.evaluate(() => {
    window.print();
    const link = document.createElement('a');
    link.href = 'javascript:void(0)';
    document.body.append(link);
    link.click();
  });
  await expect.poll(() => received.mainWorld).toContainEqual({ block: 'print', reason: 'window-print' });
  await expect.poll(() => received.ipc).toContainEqual({ channel: GUARD_REPORT_CHANNEL, payload: { block: 'navigation', origin: 'javascript:', reason: 'scheme-not-allowed' } });
  // The page cannot restore print: the main-world property is locked.
  expect(await page.evaluate(() => Object.getOwnPropertyDescriptor(window, 'print')?.configurable)).toBe(false);
  const { root } = await cdp.send('DOM.getDocument', { depth: -1, pierce: true });
  expect(JSON.stringify(root)).toContain('CORDON-WATERMARK');
  expect(decodeURIComponent(JSON.stringify(root))).toContain('7K2M-QX4P');
});

test('the shipped guard asks main for the watermark over IPC, and draws the unidentified mark when main refuses', async ({ page }) => {
  const { received, cdp } = await openWithShippedGuard(page, config(), null);
  await page.goto(`${servers.appOrigin}/clipboard`);
  // Asked once per top-level document (this stand-in also runs in the initial about:blank one).
  expect(received.ipc.filter((m) => m.channel === GUARD_WATERMARK_CHANNEL).length).toBeGreaterThan(0);
  const { root } = await cdp.send('DOM.getDocument', { depth: -1, pierce: true });
  const drawn = decodeURIComponent(JSON.stringify(root));
  expect(drawn).toContain('unidentified session');
  expect(drawn).not.toContain('7K2M-QX4P');
});

test('a main-world install that does not finish makes the shipped preload fail (preload-error)', async ({ page }) => {
  // Runs before the guard: reading register now throws inside mainWorldGuard.
  await page.addInitScript(() => {
    Object.defineProperty(ServiceWorkerContainer.prototype, 'register', {
      get() {
        throw new Error('poisoned');
      },
    });
  });
  const { received } = await openWithShippedGuard(page, config());
  await page.goto(`${servers.appOrigin}/clipboard`);
  await expect.poll(() => received.ipc).toContainEqual({ channel: 'preload-error', payload: 'the main-world guard did not install' });
});

test('the shipped guard reads its configuration from the renderer arguments (printing allowed here)', async ({ page }) => {
  const { received } = await openWithShippedGuard(page, config({ printing: 'allow' }));
  await page.goto(`${servers.appOrigin}/clipboard`);
  await page.evaluate(() => window.print());
  await page.waitForTimeout(300);
  expect(received.mainWorld).toEqual([]);
  // Left as the browser made it: not replaced, not locked.
  expect(await page.evaluate(() => Object.getOwnPropertyDescriptor(window, 'print')?.configurable)).toBe(true);
});

test('the shipped guard keeps the file picker closed when uploads are denied', async ({ page }) => {
  const { received } = await openWithShippedGuard(page, config());
  await page.goto(`${servers.appOrigin}/clipboard`);
  await page.evaluate(() => document.body.insertAdjacentHTML('beforeend', '<input type="file" id="upload" aria-label="attach">'));
  let chooserOpened = false;
  page.on('filechooser', () => (chooserOpened = true));
  await page.click('#upload');
  await expect.poll(() => received.ipc).toContainEqual({ channel: GUARD_REPORT_CHANNEL, payload: { block: 'upload', reason: 'file-picker' } });
  await page.waitForTimeout(300);
  expect(chooserOpened).toBe(false);
});

test('about:blank child frames, which get no preload in Electron, are guarded by their parent', async ({ page }) => {
  const { received } = await openWithShippedGuard(page, config());
  await page.goto(`${servers.appOrigin}/clipboard`);
  // A rich-text editor in a script-made about:blank iframe, as many EHR editors are.
  await page.evaluate(() => {
    const frame = document.createElement('iframe');
    frame.id = 'editor';
    frame.title = 'note editor';
    document.body.append(frame);
  });
  const editor = page.frameLocator('#editor').locator('body');
  await page.waitForTimeout(100);
  await page.evaluate(() => {
    const frame = document.getElementById('editor') as HTMLIFrameElement;
    const doc = frame.contentDocument as Document;
    doc.body.contentEditable = 'true';
    doc.body.textContent = 'Phone 555-0100';
    frame.contentWindow?.print();
  });
  await editor.click();
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Control+C');
  // The copy went to the workspace clipboard (so not to the OS), and the child's print was blocked.
  await expect.poll(() => received.ipc).toContainEqual({ channel: 'cordon:workspace-clipboard-write', payload: 'Phone 555-0100' });
  await expect.poll(() => received.mainWorld).toContainEqual({ block: 'print', reason: 'window-print' });
});

test('the shipped guard sends Clipboard API writes to the workspace clipboard through the main-world bridge', async ({ page }) => {
  const { received } = await openWithShippedGuard(page, config());
  await page.goto(`${servers.appOrigin}/clipboard`);
  await page.evaluate(() => navigator.clipboard.writeText('SYN-0001 555-0100'));
  await expect.poll(() => received.mainWorld).toContainEqual({ copied: 'SYN-0001 555-0100' });
});
