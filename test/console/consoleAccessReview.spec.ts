// The periodic access review page in real Chromium, served by the stand-in collector (the
// figures themselves are the real collector's, tested in consoleAccessReview.test.ts):
// the period as the viewer's calendar days (Chicago, across a clock change) and its
// presets, the tables with their totals, the CSV download, Print, and the page as it
// prints (print media: no console frame, the header first, landscape), with axe on screen
// and in print. Supervisors never get it.
import { expect, test, type Page } from '@playwright/test';
import { useStandInCollector } from './standInCollector';
import { expectAccessible } from './accessibility';

test.use({ timezoneId: 'America/Chicago', locale: 'en-US', viewport: { width: 1280, height: 800 } });
test.describe.configure({ timeout: 90_000 });

const collector = useStandInCollector();
const { as } = collector;
const asked = () => collector.state.requests.filter((r) => r.route === 'accessReview').map((r) => r.query);

/** The row of a VA (or "All VAs") in a table, as cell texts after the row's heading. */
async function rowOf(page: Page, table: string, va: string): Promise<string[]> {
  return page.getByRole('table', { name: table }).getByRole('row').filter({ has: page.getByRole('rowheader', { name: va, exact: true }) }).getByRole('cell').allInnerTexts();
}

test('compliance reads a quarter: Chicago midnights across the clock change, the figures per VA with totals, the practice\'s alerts', async ({ page }) => {
  as('compliance');
  await page.goto(`${collector.origin}/console/access-review?from=2027-01-01&to=2027-03-31`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Periodic access review');
  await expect(page.getByRole('navigation', { name: 'Console' }).getByRole('link')).toHaveText(['Overview', 'Sessions', 'Watermark lookup', 'Alerts', 'Compliance status', 'Access log', 'Access review', 'Retention']);
  // Central Standard Time on 1 January, daylight time from 14 March: the last midnight is 05:00 UTC.
  await expect.poll(asked).toContainEqual({ from: '2027-01-01T06:00:00.000Z', to: '2027-04-01T05:00:00.000Z' });

  const header = page.locator('.report-header');
  await expect(header).toContainText('Sunrise Family Medicine');
  await expect(header).toContainText('Fri, Jan 1, 2027 to Wed, Mar 31, 2027');
  await expect(header).toContainText('Cora Compliance [cora]');
  await expect(header).toContainText('Mar 1, 2027, 16:00 GMT-6');

  const activity = 'Per VA: sessions, hours and blocks';
  await expect(page.getByRole('table', { name: activity }).locator('thead th')).toHaveText(['VA', 'Sessions', 'Hours', 'Devices', 'Copy', 'Print', 'Download', 'Upload', 'Navigation', 'Capture', 'Permission', 'Other', 'All blocks']);
  expect(await rowOf(page, activity, 'valerie')).toEqual(['20', '151.5 h', '2', '12', '3', '2', '0', '5', '0', '0', '1', '23']);
  expect(await rowOf(page, activity, 'All VAs')).toEqual(['38', '291.5 h', '3', '16', '3', '3', '0', '7', '0', '0', '1', '30']);
  const oversight = 'Per VA: alerts and reviews';
  expect(await rowOf(page, oversight, 'valerie')).toEqual(['3', '2', '2 h 30 min', '4 h', '15', '1', '4']);
  // Nothing resolved: no time to show, not a zero.
  expect(await rowOf(page, oversight, 'nora')).toEqual(['1', '0', '—', '—', '18', '0', '0']);
  const practice = page.getByRole('region', { name: "The practice's alerts in the period" });
  await expect(practice.locator('dt:text-is("Detected") + dd')).toHaveText('6');
  await expect(practice.locator('dt:text-is("Longest") + dd')).toHaveText('26 h');
  await expect(practice.getByRole('table', { name: 'Alerts by kind' }).getByRole('row').nth(1)).toContainText('Many blocked attempts in a short time');
  await expectAccessible(page);
});

test('presets and a chosen period put the viewer\'s days in the address; a backwards one is refused in words', async ({ page }) => {
  as('compliance');
  // 1 March 2027, 16:00 in Chicago.
  await page.clock.setFixedTime(new Date('2027-03-01T22:00:00Z'));
  await page.goto(`${collector.origin}/console/access-review`);
  // No period asked: last month.
  await expect(page.getByLabel('First day')).toHaveValue('2027-02-01');
  await expect(page.getByLabel('Last day')).toHaveValue('2027-02-28');
  await page.getByRole('button', { name: 'Last quarter' }).click();
  await expect(page).toHaveURL(/\/console\/access-review\?from=2026-10-01&to=2026-12-31$/);
  await expect.poll(asked).toContainEqual({ from: '2026-10-01T05:00:00.000Z', to: '2027-01-01T06:00:00.000Z' });
  await page.getByRole('button', { name: 'This month so far' }).click();
  await expect(page).toHaveURL(/from=2027-03-01&to=2027-03-01$/);

  await page.getByLabel('First day').fill('2027-02-10');
  await page.getByLabel('Last day').fill('2027-02-03');
  await page.getByRole('button', { name: 'Show review' }).click();
  await expect(page.getByRole('alert')).toHaveText('Choose a first and a last day, the last on or after the first.');
  await expect(page).toHaveURL(/from=2027-03-01&to=2027-03-01$/);
  await page.getByLabel('Last day').fill('2027-02-14');
  await page.getByRole('button', { name: 'Show review' }).click();
  await expect(page).toHaveURL(/from=2027-02-10&to=2027-02-14$/);
  await expect(page.locator('.report-header')).toContainText('Wed, Feb 10, 2027 to Sun, Feb 14, 2027');
});

test('Download CSV asks for the period shown; Print prints; printed, the page is the report alone, landscape', async ({ page }) => {
  as('compliance');
  // A TEST DOUBLE for the browser's print dialog, which headless Chromium cannot show: counts the calls.
  await page.addInitScript(() => {
    Object.assign(window, { printed: 0 });
    window.print = () => Object.assign(window, { printed: (window as unknown as { printed: number }).printed + 1 });
  });
  await page.goto(`${collector.origin}/console/access-review?from=2027-02-01&to=2027-02-28`);
  await expect(page.getByRole('table', { name: 'Per VA: alerts and reviews' })).toBeVisible();

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download CSV' }).click()]);
  expect(download.suggestedFilename()).toBe('stand-in-access-review.csv');
  expect(collector.state.requests.filter((r) => r.route === 'accessReviewCsv').at(-1)?.query).toEqual({ from: '2027-02-01T06:00:00.000Z', to: '2027-03-01T06:00:00.000Z' });

  await page.getByRole('button', { name: 'Print' }).click();
  expect(await page.evaluate(() => (window as unknown as { printed: number }).printed)).toBe(1);

  await page.emulateMedia({ media: 'print' });
  for (const frame of [page.getByRole('banner'), page.getByRole('navigation', { name: 'Console' }), page.getByRole('region', { name: 'Period', exact: true }), page.getByRole('link', { name: 'Skip to content' })]) await expect(frame).toBeHidden();
  // What the page says it is, first: the heading, then practice, period, who and when.
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  await expect(page.locator('.report-header')).toBeVisible();
  const [headingTop, headerTop, tableTop] = await Promise.all(['h1', '.report-header', 'table.report-table'].map(async (selector) => (await page.locator(selector).first().boundingBox())?.y ?? -1));
  expect(headingTop).toBeGreaterThanOrEqual(0);
  expect(headingTop).toBeLessThan(headerTop as number);
  expect(headerTop).toBeLessThan(tableTop as number);
  await expect(page.locator('table.report-table thead').first()).toHaveCSS('display', 'table-header-group');
  await expect(page.locator('table.report-table tbody tr').first()).toHaveCSS('break-inside', 'avoid');
  await expectAccessible(page);

  // Chromium's own print rendering: the report's pages are A4 landscape (the stylesheet's page rule).
  const pdf = (await page.pdf({ preferCSSPageSize: true })).toString('latin1');
  const boxes = [...pdf.matchAll(/\/MediaBox \[\s*0 0 ([\d.]+) ([\d.]+)\s*\]/g)].map(([, width, height]) => [Number(width), Number(height)]);
  expect(boxes.length).toBeGreaterThan(0);
  for (const [width, height] of boxes) expect(Math.round(width as number)).toBeGreaterThan(Math.round(height as number));
});

test('supervisors are not offered the access review, and a link to it asks the collector nothing', async ({ page }) => {
  as('supervisor');
  await page.goto(`${collector.origin}/console/access-review?from=2027-02-01&to=2027-02-28`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('This page is not available to your roles');
  await expect(page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Access review' })).toHaveCount(0);
  expect(collector.state.requests.map((r) => r.route)).toEqual(['me']);
});
