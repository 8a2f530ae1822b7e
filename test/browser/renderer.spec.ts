// The shell renderer in real Chromium (Debian), served with its shipped CSP, talking to
// a test double of the preload bridge. Each screen, keyboard use, and axe-core.
import { expect, test, type Page } from '@playwright/test';
import type { ShellState } from '../../common/ipc/contract';
import { PROTECTION_IDS } from '../../common/posture/posture';
import { SHELL_TOPBAR_HEIGHT } from '../../common/ui/shellLayout';
import { cordonCalls, type FakeApiScript } from './fakeCordonApi';
import { expectAccessible, openShellPage, posture, SHELL_PAGE_CONTEXT, signedOut, workspace } from './shellPageHarness';
import { serveShellPage } from './shellPageServer';

const policyError: ShellState = {
  kind: 'policy-error',
  problem: { code: 'bad-signature', file: '/etc/cordon/policy.json', field: 'signature.value', reason: 'the signature does not match the policy content (the file was altered after signing, key d088a6618d6af98a)' },
  posture,
};

test.use(SHELL_PAGE_CONTEXT);

const server = serveShellPage();

let cspViolations: string[] = [];
async function open(page: Page, script: FakeApiScript) {
  cspViolations = (await openShellPage(page, server.origin, script)).problems;
}

test('signed-out screen: a refused sign-in shows main\'s message and stays signed out', async ({ page }) => {
  await open(page, { state: signedOut, signIn: { ok: false, message: 'Your practice requires multi-factor authentication (such as an authenticator code), and this sign-in did not use it. Set up MFA with IT, then sign in again.' } });
  await expect(page.getByRole('heading', { level: 1, name: 'Sunrise Family Medicine' })).toBeVisible();
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('status')).toContainText('requires multi-factor authentication');
  await expect(page.getByRole('tab')).toHaveCount(0);
  expect(await cordonCalls(page)).toEqual([['getShellState'], ['signIn']]);
  await expectAccessible(page);
  expect(cspViolations).toEqual([]);
});

test('sign in leads to the workspace, which shows who is signed in and how, in words; sign out returns', async ({ page }) => {
  await open(page, { state: signedOut, afterSignIn: workspace });
  await page.getByRole('button', { name: 'Sign in' }).click();
  // In words, not the IdP's amr codes or Cordon's role code (it once read "(va) · … with pwd + otp").
  await expect(page.getByTestId('identity')).toHaveText('Valerie Assistant, signed in 9:02 AM with password and authenticator app');
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
  // Main pushes the workspace after sign-in, so the app is shown before the page's own ask returns.
  expect((await cordonCalls(page)).map(([name]) => name)).toEqual(['getShellState', 'signIn', 'selectApp', 'getShellState', 'signOut', 'getShellState']);
});

test('policy-error lock screen names the code, file, field and reason, and offers no apps', async ({ page }) => {
  await open(page, { state: policyError });
  await expect(page.getByRole('heading', { name: 'Cordon is locked' })).toBeVisible();
  await expect(page.getByRole('alert')).toHaveText('The practice policy could not be used, so no practice apps are available. Call IT and read them the details below.');
  await expect(page.getByTestId('problem-code')).toHaveText('bad-signature');
  await expect(page.getByTestId('problem-file')).toHaveText('/etc/cordon/policy.json');
  await expect(page.getByTestId('problem-field')).toHaveText('signature.value');
  await expect(page.getByTestId('problem-reason')).toContainText('altered after signing');
  await expect(page.getByRole('tab')).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Sign in' })).toHaveCount(0);
  await expectAccessible(page);
  expect(cspViolations).toEqual([]);
});

test('workspace frame: one tab per approved app, keyboard navigation between tabs', async ({ page }) => {
  await open(page, { state: workspace });
  const tabs = page.getByRole('tab');
  await expect(tabs).toHaveText(['Sunrise EHR', 'Front Desk Messages', 'eFax']);
  await expect(page.getByRole('tab', { name: 'Sunrise EHR' })).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Sunrise Family Medicine');
  await expect(page.getByRole('main')).toContainText('Sunrise EHR opens here.');
  // The top bar is exactly as tall as main assumes when placing the hosted view below it.
  expect(await page.locator('header.topbar').evaluate((el) => el.getBoundingClientRect().height)).toBe(SHELL_TOPBAR_HEIGHT);

  await page.getByRole('tab', { name: 'Sunrise EHR' }).focus();
  await page.keyboard.press('ArrowRight');
  await expect(page.getByRole('tab', { name: 'Front Desk Messages' })).toBeFocused();
  await expect(page.getByRole('tab', { name: 'Front Desk Messages' })).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByRole('tabpanel')).toHaveAttribute('aria-labelledby', 'tab-messages');
  await page.keyboard.press('End');
  await expect(page.getByRole('tab', { name: 'eFax' })).toBeFocused();
  await page.keyboard.press('ArrowRight'); // wraps around
  await expect(page.getByRole('tab', { name: 'Sunrise EHR' })).toBeFocused();
  await page.keyboard.press('ArrowLeft');
  await expect(page.getByRole('tab', { name: 'eFax' })).toBeFocused();
  await page.keyboard.press('Home');
  await expect(page.getByRole('tab', { name: 'Sunrise EHR' })).toHaveAttribute('aria-selected', 'true');
  // Only the selected tab is in the Tab order (roving tabindex).
  await expect(page.locator('[role=tab][tabindex="0"]')).toHaveCount(1);
  expect((await cordonCalls(page)).filter(([name]) => name === 'selectApp')).toEqual([
    ['selectApp', 'ehr'], // shown on entry
    ['selectApp', 'messages'],
    ['selectApp', 'fax'],
    ['selectApp', 'ehr'],
    ['selectApp', 'fax'],
    ['selectApp', 'ehr'],
  ]);
  await expectAccessible(page);
  expect(cspViolations).toEqual([]);
});

test('workspace shows main\'s refusal when an app cannot be selected', async ({ page }) => {
  await open(page, { state: workspace, selectApp: { ok: false, message: 'That app is not approved by the policy.' } });
  await page.getByRole('tab', { name: 'eFax' }).click();
  await expect(page.getByRole('status')).toHaveText('That app is not approved by the policy.');
});

test('after an automatic logoff the sign-in screen says why', async ({ page }) => {
  await open(page, { state: { kind: 'signed-out', practiceName: 'Sunrise Family Medicine', posture, notice: 'Cordon signed you out after 30 minutes away, to keep patient information safe. Sign in again to go on.' } });
  await expect(page.getByRole('status')).toHaveText('Cordon signed you out after 30 minutes away, to keep patient information safe. Sign in again to go on.');
  await expectAccessible(page);
});

test('workspace tells the VA, calmly, what Cordon just stopped; a new notice replaces the old', async ({ page }) => {
  await open(page, { state: { ...workspace, notice: { id: 1, text: 'That link leads outside the practice\u2019s approved sites, so Cordon blocked it.' } } });
  const status = page.getByTestId('notice');
  await expect(status).toHaveText('That link leads outside the practice\u2019s approved sites, so Cordon blocked it.');
  await expect(status).toHaveAttribute('role', 'status');
  // Main pushes its next state to the page.
  const mainSays = async (next: unknown) => {
    await page.evaluate((state) => (window as unknown as { __cordonSetState(s: unknown): void }).__cordonSetState(state), next);
  };
  await mainSays({ ...workspace, notice: { id: 2, text: 'Printing is turned off by your practice.' } });
  await expect(status).toHaveText('Printing is turned off by your practice.');
  await mainSays(workspace);
  await expect(status).toHaveText('');
  await expectAccessible(page);
});

for (const [name, state] of [
  ['signed-out', signedOut],
  ['policy-error', policyError],
  ['workspace', workspace],
] as const) {
  test(`security posture panel from the ${name} screen: every protection, keyboard open and close`, async ({ page }) => {
    await open(page, { state });
    const opener = page.getByRole('button', { name: 'Security posture' });
    await opener.focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Security posture' });
    await expect(dialog).toBeVisible();
    // It opens at its top with focus on its heading, not scrolled down to the Close button.
    await expect(dialog.getByRole('heading', { name: 'Security posture' })).toBeFocused();
    await expect(dialog.getByRole('heading', { name: 'Security posture' })).toBeInViewport();
    expect(await dialog.evaluate((el) => el.scrollTop)).toBe(0);
    await expect(dialog.locator('tbody tr')).toHaveCount(PROTECTION_IDS.length);
    // A detail only where it adds to the state: once "Enforced | Enforced.".
    await expect(dialog.locator('[data-protection="process-sandbox"] td')).toHaveText(['Enforced', '']);
    await expect(dialog.locator('[data-protection="signed-policy"] td').nth(1)).toContainText('serial');
    await expect(dialog.locator('[data-protection="screen-capture-blocked"]')).toContainText('Not available on this platform');
    await expect(dialog.locator('[data-protection="process-sandbox"]')).toContainText('Enforced');
    await expect(dialog.locator('[data-protection="watermark"]')).toContainText('Not in this build');
    await expectAccessible(page);
    await page.keyboard.press('Escape');
    await expect(dialog).toBeHidden();
    await expect(opener).toBeFocused();
    await opener.click();
    await dialog.getByRole('button', { name: 'Close' }).click();
    await expect(dialog).toBeHidden();
    expect(cspViolations).toEqual([]);
  });
}

test('locked screen (audit queue failure) names the reason and offers no apps or sign-in', async ({ page }) => {
  await open(page, { state: { kind: 'locked', reason: { code: 'audit-disk-full', message: 'Cordon cannot record its activity log safely, so it is locked. Tell IT: the disk is full' }, posture } });
  await expect(page.getByRole('heading', { name: 'Cordon is locked' })).toBeVisible();
  await expect(page.getByTestId('lock-message')).toContainText('the disk is full');
  await expect(page.getByRole('button', { name: 'Sign in' })).toHaveCount(0);
  // Not the idle lock: signing in again cannot end it, only fixing the cause.
  await expect(page.getByRole('button', { name: 'Unlock' })).toHaveCount(0);
  await expect(page.getByRole('tab')).toHaveCount(0);
  await expectAccessible(page);
});

/** The heading and its message read as one card, not spread over the window (the text once sat half a window below). */
async function expectCannotStart(page: Page) {
  const heading = page.getByRole('heading', { level: 1, name: 'Cordon cannot start' });
  await expect(heading).toBeVisible();
  const [top, below] = [await heading.boundingBox(), await page.getByRole('alert').boundingBox()];
  const gap = top === null || below === null ? Infinity : below.y - (top.y + top.height);
  expect(gap).toBeLessThan(32);
}

test('fails closed when main does not answer: no practice content, a clear message', async ({ page }) => {
  await open(page, { state: 'reject' });
  await expectCannotStart(page);
  await expect(page.getByRole('alert')).toContainText('call IT');
  await expect(page.getByRole('tab')).toHaveCount(0);
  await expectAccessible(page);
});

test('the shipped CSP blocks an injected inline script and any network request', async ({ page }) => {
  await open(page, { state: signedOut });
  const outcome = await page.evaluate(async () => {
    const script = document.createElement('script');
    script.textContent = 'window.__inlineRan = true';
    document.body.append(script);
    let fetched = 'allowed';
    try {
      await fetch('http://127.0.0.1:9/exfiltrate');
    } catch {
      fetched = 'blocked';
    }
    return { inlineRan: (window as unknown as { __inlineRan?: boolean }).__inlineRan === true, fetched };
  });
  expect(outcome).toEqual({ inlineRan: false, fetched: 'blocked' });
  expect(cspViolations.some((v) => v.includes('Refused'))).toBe(true);
});

test('fails closed when the preload bridge is missing (a failed preload)', async ({ page }) => {
  await page.goto(`${server.origin}/index.html`);
  await expectCannotStart(page);
});
