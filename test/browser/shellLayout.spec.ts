// The shell at the sizes VAs' laptops have: the top bar at 800, 1024 and 1366 px wide,
// checked for what a VA would notice (a tab or button on two lines, the name gone) and
// compared with committed screenshots in Chromium. With CORDON_UPDATE_SCREENSHOTS=1 it
// also writes the README's picture of the shell, as the console's tests write theirs.
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { policyV1Schema } from '../../common/policy/policySchema';
import { assessPosture, PROTECTION_IDS } from '../../common/posture/posture';
import { SHELL_TOPBAR_HEIGHT } from '../../common/ui/shellLayout';
import { validPolicy } from '../support/policyFixtures';
import { openShellPage, SHELL_PAGE_CONTEXT, workspace } from './shellPageHarness';
import { serveShellPage } from './shellPageServer';

// The screenshots were taken with this font; elsewhere they would differ in every glyph.
const SCREENSHOT_FONT = 'DejaVu Sans';
const README_PICTURE = path.resolve(import.meta.dirname, '../../docs/images/shell-workspace.png');

test.use(SHELL_PAGE_CONTEXT);

const server = serveShellPage();

/** The font Chromium actually drew `selector` with, from the DevTools protocol. */
async function renderedFont(page: Page, selector: string): Promise<string> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('DOM.enable');
  await cdp.send('CSS.enable');
  const { root } = await cdp.send('DOM.getDocument');
  const { nodeId } = await cdp.send('DOM.querySelector', { nodeId: root.nodeId, selector });
  const { fonts } = await cdp.send('CSS.getPlatformFontsForNode', { nodeId });
  await cdp.detach();
  return fonts.map((font) => font.familyName).join(', ');
}

/** Lines of text in each element of the top bar that must stay on one line, by name. */
function lineCounts(page: Page): Promise<Record<string, number>> {
  return page.locator('header.topbar').evaluate((bar) => {
    const counts: Record<string, number> = {};
    for (const element of bar.querySelectorAll('button, .identity-name, .identity-how')) {
      const range = document.createRange();
      range.selectNodeContents(element);
      // One rectangle per line box the text occupies.
      counts[element.textContent ?? ''] = new Set([...range.getClientRects()].map((rect) => Math.round(rect.top))).size;
    }
    return counts;
  });
}

for (const width of [800, 1024, 1366]) {
  test(`top bar at ${width} px wide: every tab and button on one line, every tab and the VA's name in full`, async ({ page }) => {
    await page.setViewportSize({ width, height: 768 });
    await openShellPage(page, server.origin, { state: workspace });
    const bar = page.locator('header.topbar');
    await expect(page.getByRole('tab')).toHaveCount(workspace.apps.length);
    expect(await renderedFont(page, '.identity-name'), 'the committed screenshots were taken with DejaVu Sans').toBe(SCREENSHOT_FONT);

    expect(Object.values(await lineCounts(page)).every((lines) => lines === 1), JSON.stringify(await lineCounts(page))).toBe(true);
    expect((await bar.boundingBox())?.height).toBe(SHELL_TOPBAR_HEIGHT);
    for (const tab of await page.getByRole('tab').all()) await expect(tab).toBeInViewport({ ratio: 1 });
    for (const name of ['Security posture', 'Sign out']) await expect(page.getByRole('button', { name })).toBeInViewport({ ratio: 1 });
    // The name is never cut short; only the line under it gives way, with an ellipsis.
    const name = page.locator('.identity-name');
    await expect(name).toHaveText('Valerie Assistant');
    await expect(name).toBeInViewport({ ratio: 1 });
    expect(await name.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);

    await expect(bar).toHaveScreenshot(`top-bar-${width}.png`);
  });
}

test('at 1366 × 768 the security posture panel fits the window and opens at its top (the README picture of the shell)', async ({ page }) => {
  // A Windows laptop with every protection this build has, as a practice would see it.
  const posture = assessPosture({ platform: 'win32', build: 'production', policy: policyV1Schema.parse(validPolicy()), installed: new Set(PROTECTION_IDS) });
  await page.setViewportSize({ width: 1366, height: 768 });
  await openShellPage(page, server.origin, { state: { ...workspace, posture } });
  await page.getByRole('button', { name: 'Security posture' }).click();
  const dialog = page.getByRole('dialog', { name: 'Security posture' });
  await expect(dialog).toBeInViewport({ ratio: 1 });
  await expect(dialog.getByRole('heading', { name: 'Security posture' })).toBeInViewport({ ratio: 1 });
  if (process.env.CORDON_UPDATE_SCREENSHOTS === '1') await page.screenshot({ path: README_PICTURE });
});
