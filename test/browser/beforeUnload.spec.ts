// Why Cordon destroys hosted windows instead of closing them, shown in real Chromium:
// a page's beforeunload handler cancels a close that runs it. Playwright's
// page.close({ runBeforeUnload: true }) stands in for Electron's BrowserWindow.close()
// (both run beforeunload and let the page keep itself open); the plain page.close()
// stands in for BrowserWindow.destroy(), which skips beforeunload. The Electron calls
// themselves are checked with fakes in test/unit/main/hidePracticeData.test.ts.
import { expect, test } from '@playwright/test';

const UNSAVED = 'data:text/html,<title>popup</title><script>addEventListener("beforeunload", (e) => { e.preventDefault(); e.returnValue = "unsaved"; });</script><input autofocus>';

test('a beforeunload handler keeps the page open through a close that runs it; a forced close ends it', async ({ browser }) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(UNSAVED);
  // Chromium asks for beforeunload only after a user gesture on the page.
  await page.locator('input').click();
  await page.keyboard.type('x');
  const dialogs: string[] = [];
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.type());
    // The answer a page gets when nobody agrees to leave: stay.
    void dialog.dismiss();
  });
  await page.close({ runBeforeUnload: true });
  await expect.poll(() => dialogs).toEqual(['beforeunload']);
  expect(page.isClosed()).toBe(false);
  await expect(page).toHaveTitle('popup');
  await page.close();
  expect(page.isClosed()).toBe(true);
  await context.close();
});
