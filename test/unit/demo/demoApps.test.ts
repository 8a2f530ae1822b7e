// The demo EHR and messaging apps are the first practice software a newcomer sees: every
// page is styled by a stylesheet from the app's own origin (the demo policy approves no
// other origin for them), says it is a demo, and has one h1 and one main. Over HTTP here,
// signed in through the real demo IdP; then in Chromium, where the style must apply, the
// label must show, and axe must find nothing of moderate impact or worse.
import AxeBuilder from '@axe-core/playwright';
import { chromium } from '@playwright/test';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../../playwright.config';
import { DEMO_APP_STYLESHEET_PATH, startDemoApp } from '../../../demo/apps/demoApps';
import { startDemoIdp, type DemoIdp } from '../../../demo/idp/demoIdp';
import { demoUser } from '../../support/authHarness';
import { ScriptedUserAgent } from '../../support/scriptedUserAgent';

let idp: DemoIdp;
const apps: { url: string; close: () => Promise<void> }[] = [];
/** Every kind of page the apps have: the EHR's patient list and a chart, the message thread, and a page not found. */
const pages = () => {
  const [ehr = '', messages = ''] = apps.map((app) => app.url);
  return [ehr, `${ehr}chart/SYN-0001`, messages, `${ehr}no-such-page`];
};

beforeAll(async () => {
  idp = await startDemoIdp();
  apps.push(await startDemoApp('ehr', { issuer: idp.issuer }), await startDemoApp('messages', { issuer: idp.issuer }));
});
afterAll(async () => {
  await Promise.all([...apps.map((app) => app.close()), idp.close()]);
});

/** Valerie's session cookie for each app: the first sign-in asks for her password and code, the second is single sign-on. */
async function signedIn(): Promise<Map<string, string>> {
  const agent = new ScriptedUserAgent();
  const cookies = new Map<string, string>();
  for (const { url } of apps) {
    const toIdp = (await fetch(url, { redirect: 'manual' })).headers.get('location') ?? '';
    const callback = await agent.signIn(toIdp, new URL('/callback', url).href, demoUser('valerie'));
    const cookie = (await fetch(callback, { redirect: 'manual' })).headers.getSetCookie()[0]?.split(';')[0] ?? '';
    cookies.set(new URL(url).origin, cookie);
  }
  return cookies;
}

describe('the demo apps over HTTP', () => {
  it('serve their stylesheet from their own origin, before sign-in too', async () => {
    for (const { url } of apps) {
      const response = await fetch(new URL(DEMO_APP_STYLESHEET_PATH, url));
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/css/);
      expect(await response.text()).toContain('.demo-badge');
    }
  });

  it('every page links that stylesheet, is labelled Demo, and has one h1 and one main, with no inline style', async () => {
    const cookies = await signedIn();
    for (const page of pages()) {
      const html = await (await fetch(page, { headers: { cookie: cookies.get(new URL(page).origin) ?? '' } })).text();
      expect(html, page).toContain(`<link rel="stylesheet" href="${DEMO_APP_STYLESHEET_PATH}">`);
      expect(html, page).toContain('<span class="demo-badge">Demo</span>');
      expect(html, page).toContain('<span id="user">Valerie Assistant</span>');
      expect(html.match(/<h1[ >]/g), page).toHaveLength(1);
      expect(html.match(/<main[ >]/g), page).toHaveLength(1);
      expect(html, page).not.toMatch(/<style|\sstyle=/);
    }
  });
});

describe('the demo apps in Chromium', () => {
  it('are styled, show their Demo label, and pass axe at moderate impact', async () => {
    const cookies = await signedIn();
    const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
    try {
      const context = await browser.newContext();
      context.setDefaultTimeout(5_000);
      await context.addCookies([...cookies].map(([origin, pair]) => ({ url: origin, name: pair.split('=')[0] ?? '', value: pair.split('=')[1] ?? '' })));
      const tab = await context.newPage();
      for (const page of pages()) {
        await tab.goto(page);
        expect(await tab.locator('.topbar').evaluate((bar) => getComputedStyle(bar).backgroundColor), page).toBe('rgb(31, 95, 158)');
        expect(await tab.getByText('Demo', { exact: true }).isVisible(), page).toBe(true);
        // The page not found has nothing the others lack; axe is slow enough to spare it.
        if (page.endsWith('no-such-page')) continue;
        const { violations } = await new AxeBuilder({ page: tab }).analyze();
        const found = violations.filter((v) => v.impact === 'moderate' || v.impact === 'serious' || v.impact === 'critical');
        expect(found.map((v) => `${page}: ${v.id} (${v.impact}) ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
      }
    } finally {
      await browser.close();
    }
  }, 120_000);
});
