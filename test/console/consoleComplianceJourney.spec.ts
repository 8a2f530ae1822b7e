// The compliance officer's training journey (shared/journeys.md) in real Chromium against
// the REAL collector and the REAL demo IdP, judging by the demo practice's signed policy:
// Cora signs in with password and TOTP, reads who is due on the agreement and training, imports the demo's training CSV,
// is shown a malformed copy's problems row by row with nothing imported, and finds both
// attempts in the console's access log. Nothing here is a stand-in.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { startConsoleStack, type ConsoleStack } from '../support/consoleStack';
import { typeDemoCredentials } from '../support/demoIdpLogin';
import { buildConsoleUi, REPO_ROOT } from './consoleBuild';
import { expectAccessible } from './accessibility';

test.describe.configure({ mode: 'serial', timeout: 120_000 });
test.use({ timezoneId: 'America/Chicago', locale: 'en-US', viewport: { width: 1280, height: 800 } });

let stack: ConsoleStack;
test.beforeAll(async () => {
  test.setTimeout(180_000);
  stack = await startConsoleStack({ uiDir: buildConsoleUi() });
});
test.afterAll(async () => {
  await stack.close();
});

const DEMO_CSV = readFileSync(path.join(REPO_ROOT, 'demo/policy/demo-training.csv'));

test('a compliance officer reads who is due, imports the training CSV, sees a malformed one refused row by row, and finds both in the access log', async ({ page }) => {
  const problems: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy|Refused to/.test(message.text())) problems.push(message.text());
  });
  await page.goto(stack.consoleUrl);
  await page.getByRole('link', { name: 'Sign in' }).click();
  await typeDemoCredentials(page, 'cora');
  await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Compliance status' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Compliance status');
  await expect(page.getByTestId('judged-by')).toContainText('Judged by policy demo-sunrise-family-medicine, serial 1');
  const standings = page.getByRole('table', { name: 'Training by VA' });
  await expect(standings.getByRole('columnheader')).toHaveText(['VA (IdP subject)', 'HIPAA privacy and security', 'Spotting phishing']);
  // Valerie signed in on the seeded devices, with nothing on record yet.
  const valerie = standings.getByRole('row').filter({ has: page.getByRole('rowheader', { name: 'demo-va-0001' }) });
  await expect(valerie.getByRole('cell').first()).toContainText('never completed; due');
  await expect(standings.getByRole('rowheader', { name: 'demo-va-0002' })).toHaveCount(0);
  // She never accepted the confidentiality agreement on those devices: asked at her next sign-in.
  const agreements = page.getByRole('table', { name: 'Agreements by VA' });
  await expect(agreements.getByRole('row').filter({ has: page.getByRole('rowheader', { name: 'demo-va-0001' }) }).getByRole('cell')).toHaveText('! Due at next sign-in: never accepted');
  await expectAccessible(page);

  const form = page.getByRole('region', { name: 'Import training completions' });
  await form.getByLabel('CSV file').setInputFiles({ name: 'demo-training.csv', mimeType: 'text/csv', buffer: DEMO_CSV });
  await form.getByRole('button', { name: 'Import' }).click();
  await expect(form.getByRole('status')).toHaveText('Imported demo-training.csv: 3 rows, 3 added, 0 updated, 0 already on record, 0 revoked.');
  // Nora's records arrived: she is listed, with the completion date the file gave.
  const nora = standings.getByRole('row').filter({ has: page.getByRole('rowheader', { name: 'demo-va-0002' }) });
  await expect(nora.getByRole('cell').first()).toContainText('completed Mon, Oct 5, 2026');
  await expect(valerie.getByRole('cell').nth(1)).toContainText('completed Fri, Nov 20, 2026');

  const malformed = DEMO_CSV.toString('utf8').replace('2026-10-05,2027-04-05', '2026-10-05,2026-04-05').replace('phishing,2026-11-20', 'phishng,2026-11-20');
  await form.getByLabel('CSV file').setInputFiles({ name: 'demo-training-bad.csv', mimeType: 'text/csv', buffer: Buffer.from(malformed) });
  await form.getByRole('button', { name: 'Import' }).click();
  await expect(form.getByRole('alert').getByRole('listitem')).toHaveText([
    'row 2, course: "phishng" is not a course the policy requires (its courses: hipaa-privacy, phishing)',
    'row 4, expires_on: 2026-04-05 is not after the completion on 2026-10-05',
  ]);
  await expect(page.getByRole('table', { name: 'Recent imports' }).locator('tbody tr')).toHaveCount(1);
  await expectAccessible(page);

  await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Access log' }).click();
  const rows = page.getByRole('table').getByRole('row').filter({ hasText: 'import-training' });
  await expect(rows.filter({ hasText: 'demo-training.csv: import #' })).toHaveCount(1);
  await expect(rows.filter({ hasText: 'demo-training-bad.csv: refused, 2 problems in 3 rows; nothing was imported' })).toHaveCount(1);
  expect(problems).toEqual([]);
});
