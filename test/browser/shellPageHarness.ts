// What every shell-renderer test shares: example states, opening the built page with the
// fake bridge under a paused clock (time moves only when a test moves it), the CSP
// watch, and the axe-core check.
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
  identity: { name: 'Valerie Assistant', email: 'va@example.com', roles: ['va'], mfaMethods: ['pwd', 'otp'], signedInAt: '2027-03-01T12:00:00.000Z' },
  apps: [
    { id: 'ehr', name: 'Sunrise EHR' },
    { id: 'messages', name: 'Front Desk Messages' },
    { id: 'fax', name: 'eFax' },
  ],
  activeAppId: 'ehr',
  posture,
};

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

/** axe-core needs the page's timers, so time runs normally from here on. */
export async function expectAccessible(page: Page): Promise<void> {
  await page.clock.resume();
  const results = await new AxeBuilder({ page }).analyze();
  const severe = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(severe.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`)).toEqual([]);
}
