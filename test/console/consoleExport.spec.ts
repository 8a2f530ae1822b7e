// The Export control in real Chromium, served by the stand-in collector: compliance
// officers get it on the sessions list (with the list's filter) and on a timeline (that
// session); supervisors never see it. The download carries exactly the filter shown.
// What an export holds is checked against the real collector in exportEvents.test.ts.
import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import { DEVICE_A, MAIN_CODE } from './consoleFixtures';
import { useStandInCollector } from './standInCollector';

test.use({ timezoneId: 'America/Chicago', locale: 'en-US', viewport: { width: 1280, height: 800 } });
test.describe.configure({ timeout: 90_000 });

const collector = useStandInCollector();
const { as } = collector;

test('compliance exports the filtered sessions list in the chosen format', async ({ page }) => {
  as('compliance');
  await page.goto(`${collector.origin}/console/sessions?hasAlerts=true&user=demo-va-0001`);
  const exportSection = page.getByRole('region', { name: 'Export' });
  await expect(exportSection).toContainText('every session matching the filter (all pages)');
  await exportSection.getByLabel('Format').selectOption('evidence');
  const [download] = await Promise.all([page.waitForEvent('download'), exportSection.getByRole('link', { name: 'Download export' }).click()]);
  expect(download.suggestedFilename()).toBe('stand-in-evidence.txt');
  const asked = collector.state.requests.filter((r) => r.route === 'exportEvents').at(-1);
  expect(asked?.query).toEqual({ user: 'demo-va-0001', hasAlerts: 'true', format: 'evidence' });
  const results = await new AxeBuilder({ page }).analyze();
  expect(results.violations.filter((v) => v.impact === 'moderate' || v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([]);
});

test('compliance exports one session from its timeline', async ({ page }) => {
  as('compliance');
  await page.goto(`${collector.origin}/console/sessions/${DEVICE_A}/${MAIN_CODE}`);
  const exportSection = page.getByRole('region', { name: 'Export' });
  await expect(exportSection).toContainText('this session');
  const [download] = await Promise.all([page.waitForEvent('download'), exportSection.getByRole('link', { name: 'Download export' }).click()]);
  expect(download.suggestedFilename()).toBe('stand-in-csv.txt');
  expect(collector.state.requests.filter((r) => r.route === 'exportEvents').at(-1)?.query).toEqual({ device: DEVICE_A, code: MAIN_CODE, format: 'csv' });
});

test('supervisors see no Export control: the collector would refuse them', async ({ page }) => {
  as('supervisor');
  await page.goto(`${collector.origin}/console/sessions`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Sessions');
  await expect(page.getByRole('region', { name: 'Export' })).toHaveCount(0);
  await page.goto(`${collector.origin}/console/sessions/${DEVICE_A}/${MAIN_CODE}`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Session ${MAIN_CODE}`);
  await expect(page.getByRole('region', { name: 'Export' })).toHaveCount(0);
});
