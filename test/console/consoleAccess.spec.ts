// IT's access journey in real Chromium against the REAL collector and the REAL demo IdP: Ada
// (admin) signs in with password and TOTP, reads a device's latest posture result per check
// (from the device.posture-changed events it delivered) in the devices list, follows the
// row's Revoke to the Access page, confirms after reading what the device will do, sees the
// device revoked there and in the devices list (and the collector tells the device so in the
// answer to its next batch, its events stored), then reinstates it and finds it in the
// history. Nothing here is a stand-in.
import { expect, test } from '@playwright/test';
import { ackWithAccessSchema } from '../../common/audit/accessProtocol';
import { startConsoleStack, type ConsoleStack } from '../support/consoleStack';
import { typeDemoCredentials } from '../support/demoIdpLogin';
import { TestDevice } from '../unit/collector/collectorTestDevice';
import { body } from '../unit/collector/rulesStream';
import { buildConsoleUi } from './consoleBuild';
import { expectAccessible } from './accessibility';

test.describe.configure({ mode: 'serial', timeout: 120_000 });
test.use({ timezoneId: 'America/Chicago', locale: 'en-US', viewport: { width: 1280, height: 800 } });

let stack: ConsoleStack;
let laptop: TestDevice;
test.beforeAll(async () => {
  test.setTimeout(180_000);
  stack = await startConsoleStack({ uiDir: buildConsoleUi() });
  laptop = new TestDevice(stack.collector.url, 'VA-LT-9');
  await laptop.enrollWithCode(stack.collector);
  const at = (minute: number) => new Date(Date.parse('2026-11-30T14:00:00.000Z') + minute * 60_000).toISOString();
  const reasons = ['diskEncryption:pass:required', 'screenLock:fail:required', 'firewall:pass:recommended', 'screenLock:pass:required', 'antivirus:unknown:recommended'];
  const sent = await laptop.sendBatch(laptop.record(reasons.length, (i) => body({ type: 'device.posture-changed', reason: reasons[i] as string, at: at(i * 10) })));
  expect(sent.status).toBe(200);
});
test.afterAll(async () => {
  await stack.close();
});

test('IT reads posture, revokes a device from its row after confirming, sees it revoked, and reinstates it', async ({ page }) => {
  const problems: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy|Refused to/.test(message.text())) problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  await page.goto(stack.consoleUrl);
  await page.getByRole('link', { name: 'Sign in' }).click();
  await typeDemoCredentials(page, 'ada');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Devices');
  await expect(page.getByRole('navigation', { name: 'Console' }).getByRole('link')).toHaveText(['Devices', 'Access', 'Retention']);

  const row = page.getByRole('table', { name: 'Enrolled devices' }).getByRole('row').filter({ has: page.getByRole('rowheader', { name: /VA-LT-9/ }) });
  // The latest result of each check: the screen lock's later pass replaced its fail.
  await expect(row.getByRole('listitem')).toHaveText([
    '✓ Disk encryption: Pass required, Nov 30, 2026, 08:00 GMT-6',
    '✓ Screen lock: Pass required, Nov 30, 2026, 08:30 GMT-6',
    '✓ Firewall: Pass recommended, Nov 30, 2026, 08:20 GMT-6',
    '? Antivirus: Unknown recommended, Nov 30, 2026, 08:40 GMT-6',
  ]);
  await expectAccessible(page);

  await row.getByRole('link', { name: 'Revoke VA-LT-9' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Access');
  const revokeDevice = page.getByRole('region', { name: 'Revoke a device' });
  await expect(revokeDevice.getByLabel('Device')).toHaveValue(laptop.deviceId);
  await revokeDevice.getByRole('button', { name: 'Revoke device…' }).click();
  const confirm = revokeDevice.getByRole('group', { name: 'Revoke device VA-LT-9' });
  await expect(confirm).toContainText('the device first delivers the audit events it has queued, then signs the VA out, wipes the practice apps’ sessions and the workspace clipboard');
  await expect(confirm).toContainText('shows the VA why');
  await expectAccessible(page);
  await confirm.getByRole('button', { name: 'Revoke now' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'revoked' })).toHaveText('Device VA-LT-9 revoked.');
  const revoked = page.getByRole('table', { name: 'Revoked now' });
  await expect(revoked.getByRole('row')).toHaveCount(2);
  await expect(revoked.getByRole('rowheader')).toContainText(['Device VA-LT-9']);
  await expect(revoked.getByRole('row').nth(1)).toContainText('demo-adm-0001');
  await expectAccessible(page);

  // The collector tells the device in the answer to its next batch, and keeps what it delivered.
  const ack = await laptop.sendBatch(laptop.record(1, () => body({ type: 'app.started', reason: 'build 1.4.0', at: new Date().toISOString() })));
  expect(ack.status).toBe(200);
  expect(ackWithAccessSchema.parse(ack.json).access?.statement.device).toMatchObject({ state: 'revoked', reason: 'revoked' });
  expect((await stack.collector.deviceEvents(laptop.deviceId)).length).toBe(6);

  await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Devices' }).click();
  await expect(row).toContainText('Revoked since');
  await expect(row.getByRole('link', { name: 'Revoke VA-LT-9' })).toHaveCount(0);
  await row.getByRole('link', { name: 'Reinstate VA-LT-9 on the Access page' }).click();

  await revoked.getByRole('button', { name: 'Reinstate device VA-LT-9' }).click();
  await revoked.getByRole('group', { name: 'Reinstate device VA-LT-9' }).getByRole('button', { name: 'Reinstate' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'reinstated' })).toHaveText('Device VA-LT-9 reinstated.');
  await expect(page.getByText('No device or VA is revoked.')).toBeVisible();
  const history = page.getByRole('table', { name: 'Reinstated and cleared' });
  await expect(history.getByRole('row').nth(1)).toContainText('VA-LT-9');
  await expect(history.getByRole('row').nth(1)).toContainText('demo-adm-0001');
  await expectAccessible(page);

  // Its next batch is acknowledged plainly again.
  const after = await laptop.sendBatch(laptop.record(1, () => body({ type: 'app.started', reason: 'build 1.4.0', at: new Date().toISOString() })));
  expect(Object.keys(after.json).sort()).toEqual(['acknowledgedLink', 'acknowledgedSeq']);
  expect(problems).toEqual([]);
});

test('IT revokes a VA after confirming, sets and clears a VA’s access end date', async ({ page }) => {
  await page.goto(stack.consoleUrl);
  await page.getByRole('link', { name: 'Sign in' }).click();
  await typeDemoCredentials(page, 'ada');
  await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Access' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Access');

  const revokeVa = page.getByRole('region', { name: 'Revoke a VA' });
  await revokeVa.getByLabel('VA (IdP subject)').fill('demo-va-0001');
  await revokeVa.getByRole('button', { name: 'Revoke VA…' }).click();
  const confirm = revokeVa.getByRole('group', { name: 'Revoke VA demo-va-0001' });
  await expect(confirm).toContainText('on every device they use?');
  await confirm.getByRole('button', { name: 'Revoke now' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'revoked' })).toHaveText('VA demo-va-0001 revoked.');
  await expect(page.getByRole('table', { name: 'Revoked now' }).getByRole('rowheader')).toHaveText(['VA demo-va-0001']);

  const ends = page.getByRole('region', { name: 'Set when a VA’s access ends' });
  await ends.getByLabel('VA (IdP subject)').fill('demo-va-0002');
  await ends.getByLabel('Access ends at').fill('2099-06-30T17:00');
  await ends.getByRole('button', { name: 'Set end date' }).click();
  // Nora has no session on this collector yet: IT is asked to check the subject.
  await expect(page.getByRole('status').filter({ hasText: 'ends' })).toHaveText(
    'VA demo-va-0002’s access ends Jun 30, 2099, 17:00 GMT-5. No session of demo-va-0002 has reached this collector yet: check that this is the VA\'s subject as the sessions list shows it.',
  );
  const scheduled = page.getByRole('table', { name: 'Access end dates ahead' });
  await expect(scheduled.getByRole('row').nth(1)).toContainText('demo-va-0002');
  await expect(scheduled.getByRole('row').nth(1)).toContainText('Jun 30, 2099, 17:00 GMT-5');
  await expectAccessible(page);

  // A date already past is refused in the collector's words.
  await ends.getByLabel('VA (IdP subject)').fill('demo-va-0002');
  await ends.getByLabel('Access ends at').fill('2020-01-01T09:00');
  await ends.getByRole('button', { name: 'Set end date' }).click();
  await expect(ends.getByRole('alert')).toContainText('must be later than now');

  await scheduled.getByRole('button', { name: 'Clear end date of demo-va-0002' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'cleared' })).toHaveText('VA demo-va-0002’s access end date cleared.');
  await expect(page.getByText('No VA has an access end date ahead.')).toBeVisible();
});
