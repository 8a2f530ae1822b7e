// "Connect this computer to the practice" (issue 14 item 1) in the shell, in real
// Chromium against the preload bridge's test double: the code IT issued is typed on the
// sign-in screen or into the strip under the workspace's top bar, main's answer is shown,
// and the step goes once main says the computer is connected. Main's side, with the real
// collector, is test/unit/main/connectThisComputer.test.ts.
import { expect, test, type Page } from '@playwright/test';
import type { ShellState } from '../../common/ipc/contract';
import { SHELL_INFOBAR_HEIGHT, SHELL_TOPBAR_HEIGHT } from '../../common/ui/shellLayout';
import { cordonCalls, type FakeApiScript } from './fakeCordonApi';
import { expectAccessible, openShellPage, SHELL_PAGE_CONTEXT, signedOut, workspace } from './shellPageHarness';
import { serveShellPage } from './shellPageServer';

test.use(SHELL_PAGE_CONTEXT);
const server = serveShellPage();

const NOT_CONNECTED = 'This computer is not connected to the practice\u2019s activity log yet. It connects when you sign in, or IT can connect it now with an enrollment code.';
const FAILED = 'This computer could not connect to the practice\u2019s activity log: no token for the audit collector could be obtained (Error). If IT gave you an enrollment code, enter it here.';

/** The sign-in screen with the step, as main sends it. */
const notConnected: ShellState = { kind: 'signed-out', practiceName: 'Sunrise Family Medicine', posture: signedOut.posture, enrollment: { message: NOT_CONNECTED } };

async function open(page: Page, script: FakeApiScript): Promise<void> {
  const { problems } = await openShellPage(page, server.origin, script);
  expect(problems).toEqual([]);
}

test('IT connects the computer from the sign-in screen with the code as read out; the step goes once main says so', async ({ page }) => {
  await open(page, { state: notConnected, afterEnroll: signedOut });
  const step = page.getByRole('region', { name: 'Connect this computer to the practice' });
  await expect(step).toContainText(NOT_CONNECTED);
  await expectAccessible(page);
  const connect = step.getByRole('button', { name: 'Connect' });
  await expect(connect).toBeDisabled();
  await step.getByLabel('Enrollment code').fill('abcd efgh jklm npqr');
  await connect.click();
  await expect(step).toHaveCount(0);
  // The code goes to main as typed: main reads it (case, spaces), not the page.
  expect(await cordonCalls(page)).toContainEqual(['enrollWithCode', 'abcd efgh jklm npqr']);
  await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
});

test("a refused code shows main's sentence and keeps the step", async ({ page }) => {
  await open(page, { state: notConnected, enrollWithCode: { ok: false, message: 'An enrollment code never has I, O, 0 or 1: check those characters with IT.' } });
  const step = page.getByRole('region', { name: 'Connect this computer to the practice' });
  await step.getByLabel('Enrollment code').fill('ABCD-EFGH-JKLM-NP0R');
  await step.getByRole('button', { name: 'Connect' }).press('Enter');
  await expect(step.getByRole('status')).toHaveText('An enrollment code never has I, O, 0 or 1: check those characters with IT.');
  await expect(step.getByLabel('Enrollment code')).toHaveValue('ABCD-EFGH-JKLM-NP0R');
});

for (const width of [800, 1366]) {
  test(`in the workspace the step is a strip of fixed height under the top bar, whole at ${width} px`, async ({ page }) => {
    await page.setViewportSize({ width, height: 700 });
    const state: ShellState = { ...workspace, enrollment: { message: FAILED } };
    await open(page, { state, afterEnroll: workspace });
    const strip = page.getByRole('region', { name: 'Connect this computer to the practice' });
    // Main places the hosted app exactly below it (SHELL_INFOBAR_HEIGHT), so it must be exactly that tall, right under the bar.
    const box = await strip.boundingBox();
    expect(box).toMatchObject({ y: SHELL_TOPBAR_HEIGHT, height: SHELL_INFOBAR_HEIGHT });
    for (const control of [strip.getByLabel('Enrollment code'), strip.getByRole('button', { name: 'Connect' })]) {
      const place = await control.boundingBox();
      expect(place !== null && place.x + place.width <= width && place.y + place.height <= SHELL_TOPBAR_HEIGHT + SHELL_INFOBAR_HEIGHT).toBe(true);
    }
    await expectAccessible(page);
    await strip.getByLabel('Enrollment code').fill('ABCD-EFGH-JKLM-NPQR');
    await strip.getByRole('button', { name: 'Connect' }).click();
    await expect(strip).toHaveCount(0);
    await expect(page.getByRole('tab', { name: 'EHR' })).toBeVisible();
  });
}
