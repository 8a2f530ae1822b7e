// Run by hostInstall.spec.ts under tsx (as `npm run bench` runs the host): opens one page
// on the Chromium host and prints, as one JSON line, whether both halves of the guard
// installed there. tsx compiles with esbuild's keepNames, which once broke the main-world
// half (`__name is not defined`) without failing anything.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../playwright.config';
import { originsOnlyRules } from '../../common/hosting/hostedAppRules';
import { RecordingAuditSink } from '../support/electronFakes';
import { startChromiumHost } from './chromiumHost';

const server = createServer((_req, res) => res.writeHead(200, { 'Content-Type': 'text/html' }).end('<!doctype html><title>probe</title><p>probe</p>'));
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
const pageErrors: string[] = [];
try {
  const host = await startChromiumHost(browser, new Map([[1, originsOnlyRules('probe', { navigation: [origin], request: [origin] }, true)]]), new RecordingAuditSink());
  const page = await host.openApp(1);
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await page.goto(origin);
  const printLocked = await page.evaluate(() => Object.getOwnPropertyDescriptor(window, 'print')?.configurable === false);
  const watermark = await page.evaluate(() => document.querySelector('cordon-watermark') !== null);
  let closeError: string | null = null;
  await host.close().catch((error: unknown) => (closeError = String(error)));
  console.log(`PROBE ${JSON.stringify({ printLocked, watermark, pageErrors, closeError })}`);
} finally {
  await browser.close();
  server.close();
}
