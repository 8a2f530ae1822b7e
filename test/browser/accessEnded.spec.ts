// Revocation as the VA sees it (issue 11 item 4), in real Chromium with the shipped CSP and
// the bridge's test double, from states built by the same decisions main makes
// (common/gates/accessDecision, the gate order, the shell state): a revoked computer is a
// lock screen with the sentence and no way to sign in; a VA whose access ended is back at
// sign-in with the sentence; at sign-in, while access is confirmed, the apps wait. axe-core.
import { expect, test, type Page } from '@playwright/test';
import type { AccessStanding } from '../../common/audit/accessProtocol';
import { decideAccess } from '../../common/gates/accessDecision';
import { firstOutstandingGate } from '../../common/gates/gateOrder';
import type { ShellState } from '../../common/ipc/contract';
import { expectAccessible, openShellPage, OPENED_AT, posture, SHELL_PAGE_CONTEXT, workspace } from './shellPageHarness';
import { serveShellPage } from './shellPageServer';

test.use(SHELL_PAGE_CONTEXT);
const server = serveShellPage();

const since = new Date(OPENED_AT - 3_600_000).toISOString();
const revoked: AccessStanding = { state: 'revoked', since, reason: 'revoked' };

function ended(device: AccessStanding | null, user: AccessStanding | null): { message: string } {
  const verdict = decideAccess({ device, user }, OPENED_AT);
  if (verdict.state !== 'ended') throw new Error('the fixture should end access');
  return verdict;
}

async function open(page: Page, state: ShellState): Promise<void> {
  const { problems } = await openShellPage(page, server.origin, { state });
  expect(problems).toEqual([]);
}

test('a revoked computer: the lock screen says what happened and whom to ask, and offers no sign-in', async ({ page }) => {
  const { message } = ended(revoked, null);
  await open(page, { kind: 'locked', reason: { code: 'access-revoked', message }, posture });
  await expect(page.getByRole('heading', { name: 'Cordon is locked' })).toBeVisible();
  await expect(page.getByTestId('lock-message')).toHaveText(message);
  await expect(page.getByTestId('lock-message')).toContainText("The practice's IT ended this computer's access to the practice");
  await expect(page.getByRole('button', { name: 'Sign in' })).toHaveCount(0);
  await expect(page.getByRole('tab')).toHaveCount(0);
  await expectAccessible(page);
});

test("a VA whose access ended is back at sign-in, told why and that what was recorded was delivered", async ({ page }) => {
  const { message } = ended({ state: 'active', endsAt: null }, { state: 'active', endsAt: since });
  await open(page, { kind: 'signed-out', practiceName: 'Sunrise Family Medicine', posture, notice: message });
  await expect(page.getByText(message)).toBeVisible();
  await expect(page.getByText(message)).toContainText('the end date the practice set');
  await expectAccessible(page);
});

test('at sign-in, while Cordon confirms access with the practice, the apps wait and say so', async ({ page }) => {
  const gate = firstOutstandingGate({ signedIn: true, access: { state: 'checking' }, agreements: [], acceptances: new Map(), posture: { state: 'clear' }, now: OPENED_AT });
  if (gate.gate !== 'access') throw new Error('the access gate should be first');
  await open(page, { ...workspace, appsHidden: gate.reason });
  await expect(page.getByTestId('apps-hidden')).toHaveText('Cordon is confirming your access with the practice; practice apps open when it has.');
  for (const tab of await page.getByRole('tab').all()) await expect(tab).toHaveAttribute('aria-disabled', 'true');
  await expectAccessible(page);
});
