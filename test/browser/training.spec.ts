// Training before practice data (issue 11 item 2) in real Chromium with the shipped CSP and
// the bridge's test double, from states built by the same decision main makes
// (common/gates/trainingAssessment through the gate order): overdue keeps the apps closed
// with the course's name and whom to ask; due soon is a calm notice while apps stay open;
// checking says so. axe-core at a narrow and a wide window.
import { expect, test, type Page } from '@playwright/test';
import type { ShellState } from '../../common/ipc/contract';
import { firstOutstandingGate } from '../../common/gates/gateOrder';
import { assessTraining, type ConfirmedTraining } from '../../common/gates/trainingAssessment';
import type { TrainingPolicy } from '../../common/policy/policySchema';
import { expectAccessible, openShellPage, OPENED_AT, SHELL_PAGE_CONTEXT, workspace } from './shellPageHarness';
import { serveShellPage } from './shellPageServer';

test.use(SHELL_PAGE_CONTEXT);
const server = serveShellPage();

const CONTACT = 'Dana Reyes, compliance officer (dana@sunrise.example)';
const POLICY: TrainingPolicy = { courses: [{ id: 'hipaa-privacy', title: 'HIPAA privacy and security', everyMonths: 12 }], dueSoonDays: 30, graceDays: 14, offlineDays: 3, contact: CONTACT };
const status = (completedOn: string): ConfirmedTraining => ({ issuedAt: OPENED_AT, completions: [{ course: 'hipaa-privacy', completedOn, expiresOn: null }] });

/** The workspace as main builds it: the gate order's training gate, and the assessment's notice. */
function workspaceWith(confirmed: ConfirmedTraining | null, asking = false): ShellState {
  const { input, notice } = assessTraining(POLICY, { confirmed, asking }, OPENED_AT);
  const gate = firstOutstandingGate({ signedIn: true, agreements: [], acceptances: new Map(), training: input, posture: { state: 'clear' }, now: OPENED_AT });
  return { ...workspace, ...(gate.gate === 'training' ? { appsHidden: gate.reason } : {}), ...(notice === null ? {} : { notice: { id: 1, text: notice.text } }) };
}

async function open(page: Page, state: ShellState): Promise<void> {
  const { problems } = await openShellPage(page, server.origin, { state });
  expect(problems).toEqual([]);
}

for (const width of [800, 1366]) {
  test(`at ${width} px, overdue training keeps the apps closed with the course's name and whom to ask`, async ({ page }) => {
    await page.setViewportSize({ width, height: 700 });
    // Due on 10 February 2027, two weeks' grace ended on 24 February; the page's day is 1 March.
    await open(page, workspaceWith(status('2026-02-10')));
    const sentence = page.getByTestId('apps-hidden');
    await expect(sentence).toHaveText(`Your training "HIPAA privacy and security" was due on 10 February 2027 and is overdue, so practice apps stay closed. Ask ${CONTACT} about it: apps open again once your completion is recorded.`);
    const box = await sentence.boundingBox();
    expect(box !== null && box.x >= 0 && box.x + box.width <= width).toBe(true);
    for (const tab of await page.getByRole('tab').all()) await expect(tab).toHaveAttribute('aria-disabled', 'true');
    await expectAccessible(page);
  });
}

test('due soon: the apps stay open and a calm notice names the course, the date and whom to ask', async ({ page }) => {
  await open(page, workspaceWith(status('2026-03-20')));
  await expect(page.getByTestId('apps-hidden')).toHaveCount(0);
  await expect(page.getByRole('status').filter({ hasText: 'Your training "HIPAA privacy and security" is due on 20 March 2027.' })).toHaveText(`Your training "HIPAA privacy and security" is due on 20 March 2027. Ask ${CONTACT} if you need it.`);
  await expect(page.getByRole('tab', { name: 'Sunrise EHR' })).toHaveAttribute('aria-disabled', 'false');
  await expectAccessible(page);
});

test('at sign-in, while Cordon asks the collector: the apps wait, and the VA is told it is checking', async ({ page }) => {
  await open(page, workspaceWith(null, true));
  await expect(page.getByTestId('apps-hidden')).toHaveText('Cordon is checking your training with the practice; practice apps open when it has.');
  await expectAccessible(page);
});
