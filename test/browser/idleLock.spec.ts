// The idle countdown, the idle lock and hidden apps in real Chromium (Debian): the built
// shell page with its shipped CSP, a test double of the preload bridge standing in for
// main, and the page's clock run by hand, so no assertion depends on real time.
import { expect, test, type Page } from '@playwright/test';
import type { ShellState } from '../../common/ipc/contract';
import { SHELL_TOPBAR_HEIGHT } from '../../common/ui/shellLayout';
import { authErrorMessage } from '../../common/auth/authErrors';
import { IDLE_TICK_MS } from '../../main/session/idleSources';
import { cordonCalls, setMainState, type FakeApiScript } from './fakeCordonApi';
import { expectAccessible, OPENED_AT, openShellPage, posture, workspace } from './shellPageHarness';
import { serveShellPage } from './shellPageServer';

const counting: ShellState = { ...workspace, idleWarning: { lockAt: OPENED_AT + 60_000 } };
const idleLocked: ShellState = { kind: 'idle-locked', practiceName: 'Sunrise Family Medicine', userName: 'Valerie Assistant', reason: 'idle', posture };

const server = serveShellPage();

let problems: string[] = [];
async function open(page: Page, script: FakeApiScript) {
  problems = (await openShellPage(page, server.origin, script)).problems;
}

/** Main changed on its own and pushed it; the page shows it without asking. */
async function mainChangesTo(page: Page, state: ShellState) {
  await setMainState(page, state);
}

const names = async (page: Page) => (await cordonCalls(page)).map(([name]) => name);
const warning = (page: Page) => page.getByRole('alertdialog', { name: 'Still there?' });

test('countdown: an alertdialog over the top bar takes focus and counts down from main\'s deadline; a key ends it and focus returns', async ({ page }) => {
  await open(page, { state: workspace });
  await page.getByRole('tab', { name: 'Front Desk Messages' }).focus();
  await expect(warning(page)).toBeHidden();
  await mainChangesTo(page, counting);
  await expect(warning(page)).toBeVisible();
  await expect(warning(page)).toHaveAccessibleDescription('Cordon locks in 1:00 to keep patient information private.');
  await expect(page.getByRole('button', { name: "I'm here" })).toBeFocused();
  // Over the top bar, the only part of the shell a hosted app does not cover.
  expect(await warning(page).boundingBox()).toMatchObject({ y: 0, height: SHELL_TOPBAR_HEIGHT });
  await page.clock.runFor(15_000);
  await expect(page.getByTestId('idle-countdown')).toHaveText('0:45');
  // Main sees the key through input-event and pushes the change at its next tick.
  await page.keyboard.press('Shift');
  await page.clock.runFor(IDLE_TICK_MS);
  await expect(warning(page)).toBeHidden();
  await expect(page.getByRole('tab', { name: 'Front Desk Messages' })).toBeFocused();
  expect(problems).toEqual([]);
});

test('the page asks main once and then listens: no polling, main pushes each change', async ({ page }) => {
  await open(page, { state: workspace });
  await expect(page.getByRole('tab', { name: 'Front Desk Messages' })).toBeVisible();
  await page.clock.runFor(60_000);
  const asks = async () => (await names(page)).filter((name) => name === 'getShellState');
  expect(await asks()).toEqual(['getShellState']);
  await mainChangesTo(page, counting);
  await expect(warning(page)).toBeVisible();
  expect(await asks()).toEqual(['getShellState']);
});

test('the countdown passes axe-core', async ({ page }) => {
  await open(page, { state: counting });
  await expect(warning(page)).toBeVisible();
  await expectAccessible(page);
});

test("the countdown never goes below zero while main's lock is on its way", async ({ page }) => {
  await open(page, { state: counting });
  await page.clock.runFor(75_000);
  await expect(page.getByTestId('idle-countdown')).toHaveText('0:00');
});

for (const [how, answer] of [
  ["the I'm here button", (page: Page) => page.getByRole('button', { name: "I'm here" }).click()],
  ['Escape', (page: Page) => page.keyboard.press('Escape')],
] as const) {
  test(`${how} asks main at once instead of waiting for the next refresh`, async ({ page }) => {
    await open(page, { state: counting });
    await expect(warning(page)).toBeVisible();
    const before = (await names(page)).length;
    await answer(page);
    await expect(warning(page)).toBeHidden();
    expect((await names(page)).slice(before)).toEqual(['getShellState']);
  });
}

test('the lock replaces the countdown: apps gone, who may unlock, focus on Unlock', async ({ page }) => {
  await open(page, { state: counting });
  await expect(warning(page)).toBeVisible();
  await mainChangesTo(page, idleLocked);
  await expect(page.getByRole('heading', { level: 1, name: 'Cordon is locked' })).toBeVisible();
  await expect(page.getByText('You were away for a while')).toBeVisible();
  await expect(page.getByTestId('locked-user')).toHaveText('Valerie Assistant');
  await expect(warning(page)).toBeHidden();
  await expect(page.getByRole('tab')).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Unlock' })).toBeFocused();
  await expect(page.getByText('va@example.com')).toHaveCount(0);
  await expectAccessible(page);
  expect(problems).toEqual([]);
});

for (const [reason, words] of [
  ['os-lock', 'Your computer was locked'],
  ['suspend', 'Your computer went to sleep'],
  ['user-switch', 'Another account became active'],
] as const) {
  test(`the lock screen says why: ${reason}`, async ({ page }) => {
    await open(page, { state: { ...idleLocked, reason } });
    await expect(page.getByText(words)).toBeVisible();
  });
}

test("a refused unlock shows main's message and stays locked", async ({ page }) => {
  await open(page, { state: idleLocked, unlock: { ok: false, message: authErrorMessage('wrong-user') } });
  await page.getByRole('button', { name: 'Unlock' }).click();
  await expect(page.getByRole('status')).toHaveText(authErrorMessage('wrong-user'));
  await expect(page.getByRole('heading', { name: 'Cordon is locked' })).toBeVisible();
  await expect(page.getByRole('tab')).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Unlock' })).toBeEnabled();
});

test('unlocking returns to the workspace and shows the app the VA was in', async ({ page }) => {
  await open(page, { state: idleLocked, afterUnlock: { ...workspace, activeAppId: 'messages' } });
  await expect(page.getByRole('button', { name: 'Unlock' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('tab', { name: 'Front Desk Messages' })).toHaveAttribute('aria-selected', 'true');
  // Main pushes the unlocked workspace, so the app is shown before the page's own ask returns.
  expect(await cordonCalls(page)).toEqual([['getShellState'], ['unlock'], ['selectApp', 'messages'], ['getShellState']]);
});

test('signing out from the lock screen', async ({ page }) => {
  await open(page, { state: idleLocked });
  await page.getByRole('button', { name: 'Sign out' }).click();
  expect(await names(page)).toEqual(['getShellState', 'signOut', 'getShellState']);
});

const hidden = { code: 'capture-tool-running', message: 'Practice apps are hidden while obs is running. Close it to continue.' };

test('hidden apps: the workspace says why and asks main for no app', async ({ page }) => {
  await open(page, { state: { ...workspace, appsHidden: hidden } });
  await expect(page.getByTestId('apps-hidden')).toHaveText(hidden.message);
  await expect(page.getByRole('tab', { name: 'Sunrise EHR' })).toHaveAttribute('aria-disabled', 'true');
  // Disabled tabs take no clicks; the keyboard still moves between them, showing nothing.
  await page.getByRole('tab', { name: 'Sunrise EHR' }).focus();
  await page.keyboard.press('ArrowRight');
  await expect(page.getByRole('tab', { name: 'Front Desk Messages' })).toBeFocused();
  expect(await names(page)).not.toContain('selectApp');
  await expectAccessible(page);
  expect(problems).toEqual([]);
});

test('hidden apps: the app shows as soon as main allows it again', async ({ page }) => {
  await open(page, { state: { ...workspace, appsHidden: hidden } });
  await expect(page.getByTestId('apps-hidden')).toBeVisible();
  await mainChangesTo(page, workspace);
  await expect(page.getByTestId('apps-hidden')).toHaveCount(0);
  expect((await cordonCalls(page)).filter(([name]) => name === 'selectApp')).toEqual([['selectApp', 'ehr']]);
  expect(problems).toEqual([]);
});
