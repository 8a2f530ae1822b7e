// The retention page in real Chromium, served by the stand-in collector (what the panel
// holds and what holds do are the real collector's, tested in consoleRetention.test.ts):
// periods, next run, the last run in its words, disposal records and active holds; a
// compliance officer places a hold and releases one after confirming, each POST with the
// page's CSRF token; IT sees it all and changes nothing; supervisors are not offered it.
import { expect, test } from '@playwright/test';
import { CSRF_HEADER } from '../../common/console/consoleApi';
import { DEVICE_A, DEVICE_B, meFor } from './consoleFixtures';
import { useStandInCollector } from './standInCollector';
import { expectAccessible } from './accessibility';

test.use({ timezoneId: 'America/Chicago', locale: 'en-US', viewport: { width: 1280, height: 800 } });
test.describe.configure({ timeout: 90_000 });

const collector = useStandInCollector();
const { as } = collector;
const posts = () => collector.state.requests.filter((r) => r.method === 'POST');

test('compliance reads the periods, the next run, the last run and the disposal records', async ({ page }) => {
  as('compliance');
  await page.goto(`${collector.origin}/console/retention`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Retention');
  const periods = page.getByRole('table', { name: 'Retention periods' });
  await expect(periods.getByRole('row').nth(1)).toContainText('Device events');
  await expect(periods.getByRole('row').nth(1)).toContainText('6 years');
  await expect(periods.getByRole('row').nth(1)).toContainText('Mar 1, 2021, 16:00 GMT-6');
  await expect(page.getByTestId('next-run')).toHaveText('Automatic disposal every 1 day; the next run is due Mar 1, 2027, 21:00 GMT-6.');
  const lastRun = page.getByRole('region', { name: 'Last disposal run' });
  await expect(lastRun).toContainText('Run by the collector, automatically, from Feb 28, 2027, 21:00 GMT-6');
  await expect(lastRun.getByRole('listitem')).toHaveCount(3);
  await expect(lastRun.getByRole('listitem').nth(1)).toHaveText('kept under legal hold #4: events of valerie on VAL-SPARE');
  const records = page.getByRole('table', { name: 'Recent disposal records' }).getByRole('row');
  await expect(records.nth(1)).toContainText('#12');
  await expect(records.nth(1)).toContainText(DEVICE_A);
  await expect(records.nth(1)).toContainText('events 1..5230; the kept chain starts at 5231');
  await expect(records.nth(2)).toContainText('command line (it-admin)');
  await expectAccessible(page);
});

test('compliance places a hold and releases one after confirming, each POST with the CSRF token', async ({ page }) => {
  as('compliance');
  await page.goto(`${collector.origin}/console/retention`);
  const holds = page.getByRole('table', { name: 'Active legal holds' });
  await expect(holds.locator('tbody tr')).toHaveCount(2);
  await expect(holds.locator('tbody tr').nth(1)).toContainText(DEVICE_B);
  await expect(holds.locator('tbody tr').nth(1)).toContainText('Laptop returned damaged: insurance claim');
  await expect(holds.locator('tbody tr').nth(1)).toContainText('Cora Compliance [cora]');

  const form = page.getByRole('region', { name: 'Place a legal hold' });
  await form.getByRole('radio', { name: 'A device' }).check();
  await expect(form.getByLabel('Device id')).toBeVisible();
  await form.getByRole('radio', { name: 'A VA' }).check();
  await form.getByLabel('VA (IdP subject)').fill('nora');
  await form.getByLabel('Why (the matter, case or request)').fill('Subpoena 2027-114');
  await form.getByRole('button', { name: 'Place legal hold' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'placed' })).toHaveText('Legal hold #7 placed on nora.');
  await expect(holds.locator('tbody tr')).toHaveCount(3);
  expect(posts().at(-1)).toMatchObject({ route: 'placeHold', body: { kind: 'user', target: 'nora', reason: 'Subpoena 2027-114' } });
  await expectAccessible(page);

  // A release asks once more, and keeping the hold asks nothing of the collector.
  await holds.getByRole('button', { name: 'Release hold #4' }).click();
  const confirm = page.getByRole('group', { name: 'Release legal hold #4' });
  await expect(confirm).toContainText('Its records become due for disposal again.');
  await confirm.getByRole('button', { name: 'Keep the hold' }).click();
  expect(posts().filter((p) => p.route === 'releaseHold')).toEqual([]);
  await holds.getByRole('button', { name: 'Release hold #4' }).click();
  await page.getByRole('group', { name: 'Release legal hold #4' }).getByRole('button', { name: 'Release', exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: 'released' })).toHaveText('Legal hold #4 released.');
  await expect(holds.locator('tbody tr')).toHaveCount(2);
  expect(posts().at(-1)).toMatchObject({ route: 'releaseHold', path: '/console/api/retention/holds/4/release', body: {} });
  expect(posts().map((p) => p.headers[CSRF_HEADER])).toEqual([meFor([]).csrfToken, meFor([]).csrfToken]);
});

test('a refused hold is said in the collector\'s words', async ({ page }) => {
  as('compliance');
  collector.state.forced.set('placeHold', { status: 422, body: { error: 'not-placed', message: 'no enrolled device has the id ffffffffffffffffffffffffffffffff' } });
  await page.goto(`${collector.origin}/console/retention`);
  const form = page.getByRole('region', { name: 'Place a legal hold' });
  await form.getByRole('radio', { name: 'A device' }).check();
  await form.getByLabel('Device id').fill('f'.repeat(32));
  await form.getByLabel('Why (the matter, case or request)').fill('Litigation hold');
  await form.getByRole('button', { name: 'Place legal hold' }).click();
  await expect(form.getByRole('alert')).toHaveText('no enrolled device has the id ffffffffffffffffffffffffffffffff');
});

test('IT sees the holds and the runs but no control to change a hold; supervisors are not offered the page', async ({ page }) => {
  as('admin');
  await page.goto(`${collector.origin}/console/retention`);
  await expect(page.getByRole('table', { name: 'Active legal holds' }).locator('tbody tr')).toHaveCount(2);
  await expect(page.getByRole('region', { name: 'Place a legal hold' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: /Release hold/ })).toHaveCount(0);
  await expectAccessible(page);

  as('supervisor');
  await page.goto(`${collector.origin}/console/retention`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('This page is not available to your roles');
  await expect(page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Retention' })).toHaveCount(0);
  expect(collector.state.requests.map((r) => r.route)).toEqual(['me']);
});
