// A hosted app that silently signed the VA out (issue 11 item 5), in real Chromium with
// the shipped CSP and the bridge's test double: the strip under the top bar names the
// app calmly, its button asks main to open the app again, and it goes once main says the
// app shows its own pages. Exactly the infobar's height, where main places the app below it.
import { expect, test, type Page } from '@playwright/test';
import type { ShellState } from '../../common/ipc/contract';
import { SHELL_INFOBAR_HEIGHT, SHELL_TOPBAR_HEIGHT } from '../../common/ui/shellLayout';
import { cordonCalls, setMainState, type FakeApiScript } from './fakeCordonApi';
import { expectAccessible, openShellPage, SHELL_PAGE_CONTEXT, workspace } from './shellPageHarness';
import { serveShellPage } from './shellPageServer';

test.use(SHELL_PAGE_CONTEXT);
const server = serveShellPage();

/** The workspace as main sends it once the EHR showed one of its signed-out pages. */
const ehrSignedOut: ShellState = { ...workspace, apps: workspace.apps.map((app) => (app.id === 'ehr' ? { ...app, signedOut: true as const } : app)) };

async function open(page: Page, script: FakeApiScript): Promise<void> {
  const { problems } = await openShellPage(page, server.origin, script);
  expect(problems).toEqual([]);
}

const strip = (page: Page) => page.getByTestId('signed-out-infobar');

for (const width of [800, 1366]) {
  test(`at ${width} px the strip names the app, fits under the top bar, and its button opens the app again`, async ({ page }) => {
    await page.setViewportSize({ width, height: 700 });
    await open(page, { state: workspace, afterReopen: workspace });
    await expect(strip(page)).toHaveCount(0);
    // Main noticed the sign-out and pushed the change: the page did not ask.
    await setMainState(page, ehrSignedOut);
    await expect(page.getByRole('status').filter({ hasText: 'Sunrise EHR signed you out. Sign in to it again to go on.' })).toBeVisible();
    expect(await strip(page).boundingBox()).toMatchObject({ y: SHELL_TOPBAR_HEIGHT, height: SHELL_INFOBAR_HEIGHT });
    const button = strip(page).getByRole('button', { name: 'Sign in to Sunrise EHR again' });
    const place = await button.boundingBox();
    expect(place !== null && place.x + place.width <= width && place.y + place.height <= SHELL_TOPBAR_HEIGHT + SHELL_INFOBAR_HEIGHT).toBe(true);
    await expectAccessible(page);
    await button.click();
    await expect(strip(page)).toHaveCount(0);
    expect(await cordonCalls(page)).toContainEqual(['reopenApp', 'ehr']);
    // The tabs stay as they were: the app is where it was.
    await expect(page.getByRole('tab', { name: 'Sunrise EHR' })).toHaveAttribute('aria-selected', 'true');
  });
}

test('the strip is for the app on screen: another tab shows none, and the connect step waits behind it', async ({ page }) => {
  const connectStep = { message: 'This computer is not connected to the practice\u2019s activity log yet.' };
  await open(page, { state: { ...ehrSignedOut, enrollment: connectStep } });
  await expect(strip(page)).toBeVisible();
  await expect(page.getByRole('region', { name: 'Connect this computer to the practice' })).toHaveCount(0);
  await setMainState(page, { ...ehrSignedOut, enrollment: connectStep, activeAppId: 'messages' });
  await expect(strip(page)).toHaveCount(0);
  await expect(page.getByRole('region', { name: 'Connect this computer to the practice' })).toBeVisible();
});

test('no strip while the apps are hidden: the reason they are hidden is what counts then', async ({ page }) => {
  await open(page, { state: { ...ehrSignedOut, appsHidden: { code: 'device-posture:diskEncryption', message: 'Practice apps stay closed until this computer meets the practice\u2019s security requirements.' } } });
  await expect(page.getByTestId('apps-hidden')).toBeVisible();
  await expect(strip(page)).toHaveCount(0);
});
