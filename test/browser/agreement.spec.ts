// The agreement screen (issue 11 item 1) in real Chromium: the built shell page with its
// shipped CSP, a test double of the preload bridge standing in for main, and states
// built by main's own gate order and shell-state functions. "I agree" names the document
// and answers only once the VA reached the end of the text (by keyboard or wheel);
// declining signs out; a document that could not be had says why and offers another try.
import { expect, test, type Page } from '@playwright/test';
import { firstOutstandingGate, type AgreementContent, type AgreementDocument } from '../../common/gates/gateOrder';
import type { ShellState } from '../../common/ipc/contract';
import { gatedShellState } from '../../main/shell/shellState';
import { cordonCalls, type FakeApiScript } from './fakeCordonApi';
import { expectAccessible, openShellPage, SHELL_PAGE_CONTEXT, signedOut, workspace } from './shellPageHarness';
import { serveShellPage } from './shellPageServer';

test.use(SHELL_PAGE_CONTEXT);
const server = serveShellPage();

const LONG_TEXT = Array.from({ length: 40 }, (_, i) => `Clause ${i + 1}. I keep patient information confidential and use it only for my work for the practice.`).join('\n\n');

function agreementDoc(content: AgreementContent, overrides: Partial<AgreementDocument> = {}): AgreementDocument {
  return { id: 'confidentiality', title: 'Confidentiality agreement', version: '2027-1', reaccept: 'yearly', sha256: 'a'.repeat(64), content, ...overrides };
}

/** What main sends while `documents` are outstanding for the signed-in VA (none accepted yet). */
function agreementState(...documents: AgreementDocument[]): ShellState {
  const gate = firstOutstandingGate({ signedIn: true, agreements: documents, acceptances: new Map(), posture: { state: 'clear' }, now: Date.parse('2027-03-01T15:03:00Z') });
  return gatedShellState(workspace, { idle: { phase: 'active' }, appsHidden: null, gate });
}

async function open(page: Page, script: FakeApiScript): Promise<void> {
  const { problems } = await openShellPage(page, server.origin, script);
  expect(problems).toEqual([]);
}

const agree = (page: Page) => page.getByRole('button', { name: 'I agree to Confidentiality agreement, version 2027-1' });

for (const width of [800, 1366]) {
  test(`at ${width} px: the VA reads to the end with the keyboard, then agrees to the document by name and the workspace opens`, async ({ page }) => {
    await page.setViewportSize({ width, height: 700 });
    await open(page, { state: agreementState(agreementDoc({ state: 'ready', text: LONG_TEXT })), afterAccept: workspace });
    await expect(page.getByRole('heading', { level: 1, name: 'Confidentiality agreement' })).toBeFocused();
    const text = page.getByRole('region', { name: 'Confidentiality agreement, version 2027-1' });
    await expect(text).toContainText('Clause 40.');
    await expect(agree(page)).toBeDisabled();
    await expectAccessible(page);
    // The whole screen fits the window: the text scrolls inside its region, the page does not.
    expect(await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.scrollHeight])).toEqual([width, 700]);
    // An early press is only a hint: main is not asked.
    await agree(page).focus();
    await page.keyboard.press('Enter');
    await expect(page.getByRole('status').filter({ hasText: 'Scroll to the end of the document first.' })).toBeVisible();
    expect((await cordonCalls(page)).map(([name]) => name)).not.toContain('acceptAgreement');
    // Keyboard: from the title, Tab reaches the text; End scrolls it to its end.
    await page.getByRole('heading', { level: 1 }).focus();
    await page.keyboard.press('Tab');
    await expect(text).toBeFocused();
    await page.keyboard.press('End');
    await expect(agree(page)).toBeEnabled();
    await expect(page.getByText('You have reached the end of the document.')).toBeVisible();
    await agree(page).click();
    await expect(page.getByRole('tab', { name: 'Sunrise EHR' })).toBeVisible();
    expect(await cordonCalls(page)).toContainEqual(['acceptAgreement', 'confidentiality', '2027-1']);
  });
}

test('the mouse wheel reaching the end enables "I agree" too; until then it stays disabled', async ({ page }) => {
  await page.setViewportSize({ width: 1366, height: 768 });
  await open(page, { state: agreementState(agreementDoc({ state: 'ready', text: LONG_TEXT })) });
  const text = page.getByTestId('agreement-text');
  await text.hover();
  await page.mouse.wheel(0, 100);
  await expect.poll(() => text.evaluate((el) => el.scrollTop)).toBeGreaterThan(0);
  await expect(agree(page)).toBeDisabled();
  await page.mouse.wheel(0, 100_000);
  await expect(agree(page)).toBeEnabled();
});

test('a document short enough to show whole can be agreed to at once; the next one follows, named', async ({ page }) => {
  const privacy = agreementDoc({ state: 'ready', text: 'I use the practice computer only for practice work.' }, { id: 'acceptable-use', title: 'Acceptable use', version: '4' });
  const first = agreementState(agreementDoc({ state: 'ready', text: 'I keep patient information confidential.' }), privacy);
  await open(page, { state: first, afterAccept: agreementState(privacy) });
  await expect(page.getByText('One more document follows.')).toBeVisible();
  await agree(page).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Acceptable use' })).toBeFocused();
  await expect(page.getByRole('button', { name: 'I agree to Acceptable use, version 4' })).toBeEnabled();
  await expect(page.getByText('One more document follows.')).toHaveCount(0);
});

test("main's refusal is shown, and the VA stays on the document", async ({ page }) => {
  await open(page, { state: agreementState(agreementDoc({ state: 'ready', text: 'Short.' })), acceptAgreement: { ok: false, message: 'This document changed while you were reading it. Read the current version.' } });
  await agree(page).click();
  await expect(page.getByRole('status').filter({ hasText: 'This document changed while you were reading it.' })).toBeVisible();
  await expect(page.getByRole('heading', { level: 1, name: 'Confidentiality agreement' })).toBeVisible();
});

test('declining signs the VA out: main is told which document, and the sign-in screen shows', async ({ page }) => {
  await open(page, { state: agreementState(agreementDoc({ state: 'ready', text: LONG_TEXT })), afterSignOut: signedOut });
  await page.getByRole('button', { name: 'Decline and sign out' }).click();
  await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
  expect(await cordonCalls(page)).toContainEqual(['declineAgreement', 'confidentiality']);
});

test('a document that could not be had says why, offers another try, and no "I agree"', async ({ page }) => {
  const problem = 'The copy of \u201cConfidentiality agreement\u201d at https://intranet.example.com is not the text your practice approved, so practice apps stay closed. Tell IT: it does not match the SHA-256 in the policy.';
  await open(page, { state: agreementState(agreementDoc({ state: 'unavailable', problem })), afterRetry: agreementState(agreementDoc({ state: 'loading' })) });
  await expect(page.getByRole('alert')).toHaveText(problem);
  await expect(page.getByRole('button', { name: /I agree/ })).toHaveCount(0);
  await expectAccessible(page);
  await page.getByRole('button', { name: 'Try again' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Fetching the document from your practice…' })).toBeVisible();
  expect(await cordonCalls(page)).toContainEqual(['retryAgreement']);
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
});

test('a new version says so, and the posture panel is one click away', async ({ page }) => {
  const state = gatedShellState(workspace, {
    idle: { phase: 'active' },
    appsHidden: null,
    gate: firstOutstandingGate({
      signedIn: true,
      agreements: [agreementDoc({ state: 'ready', text: 'Short.' })],
      acceptances: new Map([['confidentiality', { version: '2026-1', sha256: 'b'.repeat(64), acceptedAt: Date.parse('2026-06-01T00:00:00Z') }]]),
      posture: { state: 'clear' },
      now: Date.parse('2027-03-01T15:03:00Z'),
    }),
  });
  await open(page, { state });
  await expect(page.getByText('There is a new version of this document.')).toBeVisible();
  await page.getByRole('button', { name: 'Security posture' }).click();
  await expect(page.getByRole('dialog', { name: 'Security posture' })).toBeVisible();
});
