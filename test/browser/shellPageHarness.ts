// What every shell-renderer test shares: example states, opening the built page with the
// fake bridge under a paused clock (time moves only when a test moves it) in a fixed
// locale and time zone, the CSP watch, and the axe-core check.
import AxeBuilder from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';
import type { ShellState } from '../../common/ipc/contract';
import { policyV1Schema } from '../../common/policy/policySchema';
import { assessPosture } from '../../common/posture/posture';
import { validPolicy } from '../support/policyFixtures';
import { installFakeCordonApi, type FakeApiScript } from './fakeCordonApi';

const policy = policyV1Schema.parse(validPolicy());
export const posture = assessPosture({ platform: 'linux', build: 'production', policy, installed: new Set(['process-sandbox', 'context-isolation', 'signed-policy', 'devtools-blocked']) });

export const signedOut: ShellState = { kind: 'signed-out', practiceName: 'Sunrise Family Medicine', posture };
export const workspace: Extract<ShellState, { kind: 'workspace' }> = {
  kind: 'workspace',
  practiceName: 'Sunrise Family Medicine',
  identity: { name: 'Valerie Assistant', email: 'va@example.com', roles: ['va'], mfaMethods: ['pwd', 'otp'], signedInAt: '2027-03-01T15:02:00.000Z' },
  apps: [
    { id: 'ehr', name: 'Sunrise EHR' },
    { id: 'messages', name: 'Front Desk Messages' },
    { id: 'fax', name: 'eFax' },
  ],
  activeAppId: 'ehr',
  posture,
};

/** Where and when the VA sits, so times on screen (and in screenshots) are the same on every machine: 15:02Z is 9:02 AM. */
export const SHELL_PAGE_CONTEXT = { locale: 'en-US', timezoneId: 'America/Chicago' } as const;

/** The page's clock at opening; it stays there until a test runs it on. */
export const OPENED_AT = Date.parse('2027-03-01T14:00:00Z');

export interface ShellPage {
  /** Console CSP reports and page errors seen since opening. */
  problems: string[];
}

export async function openShellPage(page: Page, origin: string, script: FakeApiScript): Promise<ShellPage> {
  const opened: ShellPage = { problems: [] };
  page.on('console', (message) => {
    if (/Content Security Policy|Refused to/.test(message.text())) opened.problems.push(message.text());
  });
  page.on('pageerror', (error) => opened.problems.push(`pageerror: ${error.message}`));
  // Installed a minute early: real time runs between the two calls, and pausing cannot go back.
  await page.clock.install({ time: OPENED_AT - 60_000 });
  await page.clock.pauseAt(OPENED_AT);
  await installFakeCordonApi(page, script);
  await page.goto(`${origin}/index.html`);
  return opened;
}

/**
 * axe-core finds nothing of impact moderate or worse, and the page has the one `main` and
 * the one `h1` a screen reader user jumps to. axe-core needs the page's timers, so time
 * runs normally from here on.
 */
export async function expectAccessible(page: Page): Promise<void> {
  await page.clock.resume();
  const results = await new AxeBuilder({ page }).analyze();
  const found = results.violations.filter((v) => v.impact === 'moderate' || v.impact === 'serious' || v.impact === 'critical');
  expect(found.map((v) => `${v.id} (${v.impact}): ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`)).toEqual([]);
  await expect(page.getByRole('main')).toHaveCount(1);
  await expect(page.getByRole('heading', { level: 1 })).toHaveCount(1);
}
