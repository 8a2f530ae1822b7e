// The security posture panel in Chromium with this Linux machine's own device check
// results: the checks run for real here (the same probes main runs), their results go
// through the same decision and posture list main sends, and the panel, served as
// shipped, shows every check with its result, what was seen and the fix. Where a
// required check does not pass, the workspace says why its apps stay closed.
import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import type { ShellState } from '../../common/ipc/contract';
import { policyV1Schema } from '../../common/policy/policySchema';
import { DEVICE_CHECK_IDS, type CheckOutcome, type DeviceCheckId } from '../../common/posture/deviceChecks';
import { decideDevicePosture, type DevicePostureView } from '../../common/posture/devicePostureDecision';
import { assessPosture, DEVICE_CHECK_PROTECTIONS, PROTECTION_IDS } from '../../common/posture/posture';
import { deviceProbesFor, systemProbeDeps } from '../../main/posture/deviceProbes';
import { linuxOs } from '../../main/posture/linuxReadings';
import { validPolicy } from '../support/policyFixtures';
import { expectAccessible, openShellPage, SHELL_PAGE_CONTEXT, workspace } from './shellPageHarness';
import { serveShellPage } from './shellPageServer';

test.use(SHELL_PAGE_CONTEXT);
const server = serveShellPage();

const WORDS = { pass: 'Passed', fail: 'Failed', unknown: 'Unknown' } as const;

/** Every check on, as a practice might set it: encryption and OS version required, the rest recommended. */
function practicePolicy() {
  const id = linuxOs(readFileSync('/etc/os-release', 'utf8')).id ?? 'linux';
  return policyV1Schema.parse(
    validPolicy({
      devicePosture: {
        diskEncryption: { level: 'required' },
        screenLock: { level: 'recommended', maxMinutes: 15 },
        osVersion: { level: 'required', linux: { [id]: '1' } },
        firewall: { level: 'recommended' },
        antivirus: { level: 'recommended', processNames: [] },
      },
    }),
  );
}

/** This machine checked for real, as main checks it. */
async function checkThisMachine(): Promise<{ view: DevicePostureView; state: Extract<ShellState, { kind: 'workspace' }> }> {
  const policy = practicePolicy();
  const probes = deviceProbesFor('linux', systemProbeDeps('linux', process.env));
  const now = Date.now();
  const outcomes = new Map<DeviceCheckId, CheckOutcome>();
  for (const check of DEVICE_CHECK_IDS) outcomes.set(check, { check, ...(await probes[check](policy.devicePosture)), checkedAt: now });
  const view = decideDevicePosture({ policy: policy.devicePosture, platform: 'linux', outcomes, now });
  const posture = assessPosture({ platform: 'linux', build: 'production', policy, installed: new Set(PROTECTION_IDS), deviceChecks: view.checks });
  return { view, state: { ...workspace, posture, appsHidden: view.appsHidden ?? undefined } };
}

async function openPanel(page: Page, state: ShellState) {
  const { problems } = await openShellPage(page, server.origin, { state });
  expect(problems).toEqual([]);
  await page.getByRole('button', { name: 'Security posture' }).click();
  return page.getByRole('dialog', { name: 'Security posture' });
}

test.skip(process.platform !== 'linux', 'the checks run for real on Linux only');

test("the posture panel shows every device check's result on this Linux machine", async ({ page }) => {
  const { view, state } = await checkThisMachine();
  const dialog = await openPanel(page, state);
  const checks = dialog.getByRole('table', { name: "This computer's checks" });
  await expect(checks.locator('tbody tr')).toHaveCount(DEVICE_CHECK_IDS.length);
  for (const status of view.checks) {
    const row = checks.locator(`[data-protection="${DEVICE_CHECK_PROTECTIONS[status.check]}"]`);
    await expect(row.locator('td').first()).toHaveText(WORDS[status.result]);
    await expect(row.locator('td').nth(1)).toContainText(status.observed);
    if (status.result !== 'pass') await expect(row.locator('td').nth(1)).toContainText(status.fix);
    await expect(row.locator('td').nth(1)).toContainText(status.level === 'required' ? 'Required by IT' : 'Recommended by IT');
  }
  // The OS version IT set (1) is below any release: a real pass on any distribution.
  await expect(checks.locator('[data-protection="device-os-version"] td').first()).toHaveText('Passed');
  // Cordon's own protections stay in their table.
  await expect(dialog.getByRole('table', { name: "Cordon's protections" }).locator('tbody tr')).toHaveCount(PROTECTION_IDS.length - DEVICE_CHECK_IDS.length);
  await expectAccessible(page);
});

test('a required check that does not pass keeps the apps closed, and the workspace names the check and the fix', async ({ page }) => {
  const { view, state } = await checkThisMachine();
  const { problems } = await openShellPage(page, server.origin, { state });
  expect(problems).toEqual([]);
  const hidden = page.getByTestId('apps-hidden');
  if (view.appsHidden === null) {
    await expect(hidden).toHaveCount(0);
    return;
  }
  await expect(hidden).toHaveText(view.appsHidden.message);
  const failing = view.checks.filter((c) => c.level === 'required' && c.result !== 'pass');
  for (const check of failing) await expect(hidden).toContainText(check.fix);
  await expectAccessible(page);
});

test('a check IT turned off reads as not asked for, one not yet run as unknown', async ({ page }) => {
  const policy = policyV1Schema.parse(validPolicy({ devicePosture: { firewall: { level: 'required' } } }));
  const view = decideDevicePosture({ policy: policy.devicePosture, platform: 'linux', outcomes: new Map(), now: Date.now() });
  const posture = assessPosture({ platform: 'linux', build: 'production', policy, installed: new Set(PROTECTION_IDS), deviceChecks: view.checks });
  const dialog = await openPanel(page, { ...workspace, posture });
  await expect(dialog.locator('[data-protection="device-antivirus"] td')).toHaveText(['Not asked for by IT', '']);
  await expect(dialog.locator('[data-protection="device-firewall"] td')).toHaveText(['Unknown', 'Required by IT: practice apps stay closed until it passes. Not checked yet. Turn on the firewall (ufw or firewalld), or ask IT.']);
});
