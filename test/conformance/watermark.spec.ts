// The watermark against hostile pages on the Chromium host: each page tries to remove,
// restyle, hide or cover it. Afterwards a screenshot of an area where the page itself
// paints nothing but white (or its white cover) must still show the watermark's ink, the
// layer must carry the session code, and each attempt must be audited. A control run
// without the guard shows the same screenshot check fails when there is no watermark.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { expect, test, type Browser, type Page } from '@playwright/test';
import { PNG } from 'pngjs';
import { hostedAppRules } from '../../common/hosting/hostedAppRules';
import { policyV1Schema } from '../../common/policy/policySchema';
import { RecordingAuditSink } from '../support/electronFakes';
import { validPolicy } from '../support/policyFixtures';
import { startChromiumHost, TEST_WATERMARK } from './chromiumHost';
import { startHostileServers, type HostileServers } from './hostileServers';
import { watermarkText } from './watermarkProbe';

const SESSION_CODE = '7K2M-QX4P';
const SCREENSHOTS = path.resolve(import.meta.dirname, '../../.cache/watermark-screenshots');

interface WatermarkAttack {
  id: string;
  /** Script the hostile page runs once loaded. */
  attack: string;
  /**
   * The audit reason the attempt must leave. Null where there is nothing to tell apart
   * from an honest page: apps open dialogs and popovers all the time, and a stylesheet
   * rule loses to the layer's inline !important styles without any visible change.
   */
  reason: string | null;
}

const cover = (make: string) => `const c = ${make}; c.style.cssText = 'position:fixed;inset:0;width:100vw;height:100vh;max-width:none;max-height:none;margin:0;border:0;background:#fff;z-index:2147483647'; c.textContent = 'cover';`;

const ATTACKS: WatermarkAttack[] = [
  { id: 'watermark-remove', attack: `setInterval(() => document.querySelectorAll('cordon-watermark').forEach((w) => w.remove()), 10);`, reason: 'watermark-removed' },
  { id: 'watermark-replace-html', attack: `document.documentElement.replaceWith(document.createElement('html')); document.documentElement.append(document.createElement('body'));`, reason: 'watermark-removed' },
  { id: 'watermark-restyle-inline', attack: `for (const w of document.querySelectorAll('cordon-watermark')) { w.style.setProperty('display', 'none', 'important'); w.setAttribute('hidden', ''); }`, reason: 'watermark-restyled' },
  { id: 'watermark-restyle-stylesheet', attack: `const s = document.createElement('style'); s.textContent = 'cordon-watermark, cordon-watermark * { display: none !important; opacity: 0 !important; visibility: hidden !important }'; document.head.append(s);`, reason: null },
  { id: 'watermark-hide-popover', attack: `document.querySelector('cordon-watermark').hidePopover();`, reason: 'watermark-hidden' },
  { id: 'watermark-cover-zindex', attack: `${cover(`document.createElement('div')`)} document.body.append(c);`, reason: null },
  { id: 'watermark-cover-dialog', attack: `${cover(`document.createElement('dialog')`)} document.body.append(c); c.showModal();`, reason: null },
  { id: 'watermark-cover-popover', attack: `${cover(`document.createElement('div')`)} c.popover = 'manual'; document.body.append(c); c.showPopover();`, reason: null },
];

let servers: HostileServers;
test.beforeAll(async () => {
  servers = await startHostileServers();
  await mkdir(SCREENSHOTS, { recursive: true });
});
test.afterAll(async () => {
  await servers.close();
});

/** Share of pixels in the lower half of the viewport that are not (near) white. */
async function inkShare(page: Page): Promise<{ share: number; png: Buffer }> {
  const size = page.viewportSize() ?? { width: 1280, height: 720 };
  const png = await page.screenshot({ clip: { x: 0, y: size.height / 2, width: size.width, height: size.height / 2 } });
  const image = PNG.sync.read(png);
  let ink = 0;
  for (let i = 0; i < image.data.length; i += 4) {
    if ((image.data[i] ?? 255) < 235 || (image.data[i + 1] ?? 255) < 235 || (image.data[i + 2] ?? 255) < 235) ink += 1;
  }
  return { share: ink / (image.width * image.height), png };
}

async function attacked(browser: Browser, attack: WatermarkAttack, guard: boolean) {
  const policy = policyV1Schema.parse({ ...validPolicy(), environment: 'demo', apps: [{ id: 'ehr', name: 'EHR', startUrl: `${servers.appOrigin}/`, navigationOrigins: [servers.appOrigin] }] });
  const [app] = policy.apps;
  if (app === undefined) throw new Error('no app');
  const audit = new RecordingAuditSink();
  const host = await startChromiumHost(browser, new Map([[1, hostedAppRules(policy, app)]]), audit, { guard, watermark: { ...TEST_WATERMARK, text: TEST_WATERMARK.text.replace('7K2M-QX4P', SESSION_CODE) } });
  const page = await host.openApp(1);
  await page.goto(`${servers.appOrigin}/clipboard`);
  await page.evaluate(attack.attack).catch(() => undefined);
  // Long enough for a repeating attack to have run many times.
  await page.waitForTimeout(300);
  return { host, page, audit };
}

for (const attack of ATTACKS) {
  test(`conformance ${attack.id} (chromium)`, async ({ browser }) => {
    const { host, page, audit } = await attacked(browser, attack, true);
    try {
      const { share, png } = await inkShare(page);
      await writeFile(path.join(SCREENSHOTS, `${attack.id}.png`), png);
      const text = await watermarkText(page);
      const visible = share > 0.002 && text.includes(SESSION_CODE);
      const audited = attack.reason === null || audit.events.some((e) => e.type === 'watermark.tampered' && e.reason === attack.reason);
      console.log(`CONFORMANCE ${attack.id} chromium ${visible && audited ? 'PASS' : 'FAIL'} ${visible ? 'blocked' : 'allowed'} ${audited && attack.reason !== null ? 'audited' : 'unaudited'}`);
      expect({ visible, audited }).toEqual({ visible: true, audited: true });
    } finally {
      await host.close();
    }
  });
}

test('control: without the guard the same check finds no watermark under a white cover', async ({ browser }) => {
  const attack = ATTACKS.find((a) => a.id === 'watermark-cover-zindex');
  if (attack === undefined) throw new Error('no attack');
  const { host, page } = await attacked(browser, attack, false);
  try {
    expect((await inkShare(page)).share).toBeLessThan(0.002);
  } finally {
    await host.close();
  }
});
