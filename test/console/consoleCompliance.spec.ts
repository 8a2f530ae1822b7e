// The compliance status page in real Chromium, served by the stand-in collector (what the
// standings hold and what an import checks are the real collector's, tested in
// consoleCompliance.test.ts and trainingCsv.test.ts): each VA against each agreement and
// each course in words and dates, the filter for who needs attention; compliance imports a CSV (a POST with the
// page's CSRF token) and sees a refused file listed problem by problem; supervisors see the
// standings without the form; IT is not offered the page.
import { expect, test, type Page } from '@playwright/test';
import { CSRF_HEADER } from '../../common/console/consoleApi';
import { meFor } from './consoleFixtures';
import { useStandInCollector } from './standInCollector';
import { expectAccessible } from './accessibility';

test.use({ timezoneId: 'America/Chicago', locale: 'en-US', viewport: { width: 1280, height: 800 } });
test.describe.configure({ timeout: 90_000 });

const collector = useStandInCollector();
const { as } = collector;

const standings = (page: Page) => page.getByRole('table', { name: 'Training by VA' });
const rowOf = (page: Page, subject: string, table = standings(page)) => table.getByRole('row').filter({ has: page.getByRole('rowheader', { name: subject }) });

test('compliance sees each VA on each agreement and course: current, due soon, due or overdue, with the dates, and can narrow to who needs attention', async ({ page }) => {
  as('compliance');
  await page.goto(`${collector.origin}/console/compliance`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Compliance status');
  await expect(page.getByTestId('judged-by')).toHaveText('Judged by policy sunrise-family-medicine, serial 12, as of Mar 1, 2027, 16:00 GMT-6.');
  await expect(standings(page).getByRole('columnheader')).toHaveText(['VA (IdP subject)', 'HIPAA privacy and security', 'Spotting phishing']);
  const valerie = rowOf(page, 'valerie').getByRole('cell');
  await expect(valerie.nth(0)).toHaveText('◷ Due soon: completed Fri, Mar 20, 2026; due Sat, Mar 20, 2027');
  await expect(valerie.nth(1)).toContainText('Current');
  const nora = rowOf(page, 'nora').getByRole('cell');
  await expect(nora.nth(0)).toContainText('Overdue, apps closed');
  await expect(nora.nth(0)).toContainText('was due Wed, Jan 20, 2027');
  await expect(nora.nth(1)).toContainText('Due soon');
  await expect(nora.nth(1)).toContainText('never completed; due Wed, Mar 31, 2027');
  await expect(standings(page).locator('tbody tr')).toHaveCount(3);
  const agreements = page.getByRole('table', { name: 'Agreements by VA' });
  await expect(agreements.getByRole('columnheader')).toHaveText(['VA (IdP subject)', 'Confidentiality agreement (version 2027-1)']);
  await expect(rowOf(page, 'valerie', agreements).getByRole('cell')).toHaveText('◷ Due soon: version 2027-1 accepted Mar 10, 2026, 10:04 GMT-5; again by Mar 10, 2027, 09:04 GMT-6');
  await expect(rowOf(page, 'nora', agreements).getByRole('cell')).toHaveText('! Due at next sign-in: a new version to accept; version 2026-1 accepted Feb 2, 2026, 08:00 GMT-6');
  await expect(rowOf(page, 'priya', agreements).getByRole('cell')).toContainText('✓ Current');
  await expectAccessible(page);

  await page.getByLabel('Show only VAs with something due or overdue').check();
  await expect(standings(page).locator('tbody tr')).toHaveCount(2);
  await expect(rowOf(page, 'priya')).toHaveCount(0);
  await expect(rowOf(page, 'priya', agreements)).toHaveCount(0);
});

test('compliance imports a CSV: the whole file with the CSRF token, the result said, and the import listed', async ({ page }) => {
  as('compliance');
  await page.goto(`${collector.origin}/console/compliance`);
  const form = page.getByRole('region', { name: 'Import training completions' });
  await expect(form.getByRole('button', { name: 'Import' })).toBeDisabled();
  const text = 'subject,course,completed_on\nvalerie,hipaa-privacy,2027-02-28\nnora,hipaa-privacy,2027-03-01\n';
  await form.getByLabel('CSV file').setInputFiles({ name: 'march.csv', mimeType: 'text/csv', buffer: Buffer.from(text) });
  await form.getByRole('button', { name: 'Import' }).click();
  await expect(form.getByRole('status')).toHaveText('Imported march.csv: 2 rows, 2 added, 0 updated, 0 already on record, 0 revoked.');
  const post = collector.state.requests.filter((r) => r.method === 'POST').at(-1);
  expect(post).toMatchObject({ route: 'importTraining', body: { fileName: 'march.csv', text } });
  expect(post?.headers[CSRF_HEADER]).toBe(meFor([]).csrfToken);
  await expect(page.getByRole('table', { name: 'Recent imports' }).locator('tbody tr').first()).toContainText('march.csv');
  await expectAccessible(page);
});

test('a refused file is listed problem by problem, with its row and column, and nothing is said to be imported', async ({ page }) => {
  as('compliance');
  await page.goto(`${collector.origin}/console/compliance`);
  const form = page.getByRole('region', { name: 'Import training completions' });
  await form.getByLabel('CSV file').setInputFiles({ name: 'malformed.csv', mimeType: 'text/csv', buffer: Buffer.from('subject,course,completed_on\n') });
  await form.getByRole('button', { name: 'Import' }).click();
  const alert = form.getByRole('alert');
  await expect(alert).toContainText('Nothing was imported from malformed.csv. Fix these 2 problems and import it again (row 1 is the header):');
  await expect(alert.getByRole('listitem')).toHaveText([
    'row 3, course: "hipaa" is not a course the policy requires (its courses: hipaa-privacy, phishing)',
    'row 5, completed_on: "03/01/2027" must be a date as YYYY-MM-DD, e.g. 2027-03-31',
  ]);
  await expect(form.getByRole('status')).toHaveText('');
  await expect(page.getByRole('table', { name: 'Recent imports' }).locator('tbody tr')).toHaveCount(1);
  await expectAccessible(page);
});

test('a supervisor sees the standings without the import; IT is not offered the page', async ({ page }) => {
  as('supervisor');
  await page.goto(`${collector.origin}/console/compliance`);
  await expect(standings(page)).toBeVisible();
  await expect(page.getByRole('region', { name: 'Import training completions' })).toHaveCount(0);
  await expectAccessible(page);
  as('admin');
  await page.goto(`${collector.origin}/console/devices`);
  await expect(page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Compliance status' })).toHaveCount(0);
  await page.goto(`${collector.origin}/console/compliance`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('This page is not available to your roles');
});
