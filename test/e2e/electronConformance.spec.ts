// The hostile-page conformance suite against the real app (host `electron`): the built
// development Cordon in a real Electron, signed in through the demo IdP, with one hosted
// app per scenario whose start page is the hostile page. Blocks are measured as on the
// Chromium host (the unapproved server, the page's own reports, the downloads folder),
// and "audited" is read where a supervisor would read it: in a real collector the app
// enrolled with and delivered its encrypted queue to. Runs wherever an Electron binary
// exists; elsewhere it prints `CONFORMANCE-SKIPPED electron <reason>`. On Linux it also
// needs a Secret Service keychain, or Cordon locks by design.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { _electron as electron, expect, test, type ElectronApplication, type Page } from '@playwright/test';
import { electronBinary } from '../../build/electronBinary';
import type { AuditEventInput } from '../../common/audit/auditSink';
import { startCollector, type RunningCollector } from '../../collector/collectorServer';
import { startDemoIdp, type DemoIdp } from '../../demo/idp/demoIdp';
import { startHostileServers, type HostileServers } from '../conformance/hostileServers';
import { SCENARIOS, type Scenario, type ScenarioUrls } from '../conformance/scenarios';
import { typeDemoCredentials } from '../support/demoIdpLogin';
import { demoKeys, REPO_ROOT, signedText, validPolicy } from '../support/policyFixtures';

const binary = electronBinary();
const skipReason = 'missing' in binary ? binary.missing : null;
if (skipReason !== null) console.log(`CONFORMANCE-SKIPPED electron ${skipReason}`);
test.skip(skipReason !== null, skipReason ?? '');
test.describe.configure({ mode: 'serial', timeout: 180_000 });

let servers: HostileServers;
let idp: DemoIdp;
let collector: RunningCollector;
let app: ElectronApplication;
let shell: Page;
let work: string;

/** The audit events the collector holds from every device, as the app recorded them. */
async function deliveredEvents(): Promise<AuditEventInput[]> {
  const events: AuditEventInput[] = [];
  for (const device of await collector.devices()) {
    for (const stored of await collector.deviceEvents(device.deviceId)) events.push(JSON.parse(stored.body) as AuditEventInput);
  }
  return events;
}

test.beforeAll(async () => {
  if ('missing' in binary) return;
  execFileSync('npx', ['electron-vite', 'build', '--mode', 'development'], { cwd: REPO_ROOT, stdio: 'ignore' });
  work = mkdtempSync(path.join(tmpdir(), 'cordon-electron-conformance-'));
  servers = await startHostileServers();
  idp = await startDemoIdp();
  collector = await startCollector({ storage: { kind: 'sqlite', file: path.join(work, 'collector.db') }, port: 0, trustedIssuer: { issuer: idp.issuer, audience: 'urn:cordon:collector' }, rateLimit: { max: 10_000, windowMs: 60_000 } });
  const base = validPolicy({ environment: 'demo', issuedAt: '2026-01-01T00:00:00Z', expiresAt: '2099-01-01T00:00:00Z' });
  const policy = {
    ...base,
    // One app per scenario: selecting it loads the hostile page as that app's start page.
    apps: SCENARIOS.map((s) => ({ id: s.id, name: s.id, startUrl: `${servers.appOrigin}/scenario/${s.id}`, navigationOrigins: [servers.appOrigin, idp.issuer] })),
    identity: { issuer: idp.issuer, clientId: 'cordon-desktop', scopes: ['openid', 'profile', 'email', 'roles'], mfa: { amrMethods: ['otp'] }, signInMode: 'workspace' as const },
    // Linux cannot enforce capture protection; `required` would (rightly) hide the apps.
    screenCapture: { protection: 'preferred' as const },
    audit: { collectorUrl: collector.url, retentionDays: 30, queueSoftLimit: 100_000, queueHardLimit: 200_000 },
  };
  const policyFile = path.join(work, 'policy.json');
  writeFileSync(policyFile, signedText(policy, demoKeys()));
  app = await electron.launch({
    executablePath: binary.path,
    args: [REPO_ROOT, `--user-data-dir=${path.join(work, 'user-data')}`],
    env: { ...process.env, CORDON_BUNDLED_POLICY: policyFile, CORDON_MANAGED_POLICY: path.join(work, 'no-managed-policy.json') },
  });
  shell = await app.firstWindow();
  const signInWindow = app.waitForEvent('window');
  await shell.getByRole('button', { name: 'Sign in' }).click();
  await typeDemoCredentials(await signInWindow, 'valerie');
  await expect(shell.getByTestId('identity')).toBeVisible();
});

test.afterAll(async () => {
  if ('missing' in binary) return;
  await app?.close();
  await collector?.close();
  await idp?.close();
  await servers?.close();
  rmSync(work, { recursive: true, force: true });
});

/** The URL the scenario's hosted view shows now, asked of the main process. */
async function viewUrl(scenario: Scenario): Promise<string | null> {
  return app.evaluate(({ webContents }, prefix) => webContents.getAllWebContents().map((c) => c.getURL()).find((url) => url.startsWith(prefix)) ?? null, `${servers.appOrigin}/scenario/${scenario.id}`);
}

async function blocked(scenario: Scenario, downloads: string): Promise<boolean> {
  for (const evidence of scenario.evidence) {
    if (evidence.kind === 'network' && servers.evilHits.has(scenario.id)) return false;
    if (evidence.kind === 'never-observed' && (servers.pageResults.get(scenario.id) ?? []).includes(evidence.outcome)) return false;
    if (evidence.kind === 'stays' && (await viewUrl(scenario)) === null) return false;
    if (evidence.kind === 'no-download' && existsSync(downloads) && readdirSync(downloads).some((f) => f.includes('SYN-0001'))) return false;
  }
  return true;
}

const outcomes = new Map<string, boolean>();

for (const scenario of SCENARIOS) {
  test(`electron: ${scenario.id} is blocked`, async () => {
    const result = await shell.evaluate((id) => (window as unknown as { cordon: { selectApp(id: string): Promise<{ ok: boolean }> } }).cordon.selectApp(id), scenario.id);
    expect(result.ok).toBe(true);
    // Long enough for the attack to run; what slips through arrives in this time too.
    await shell.waitForTimeout(2_000);
    const downloads = await app.evaluate(({ app: electronApp }) => electronApp.getPath('downloads'));
    outcomes.set(scenario.id, await blocked(scenario, downloads));
    expect(outcomes.get(scenario.id)).toBe(true);
  });
}

test('electron: every block reached the collector, and the table is printed', async () => {
  const urls: ScenarioUrls = { evil: '', evilOrigin: servers.evilOrigin, appOrigin: servers.appOrigin };
  // Delivery follows enrollment and the sync's own schedule: wait, bounded.
  await expect.poll(async () => {
    const events = await deliveredEvents();
    return SCENARIOS.every((s) => events.some((e) => s.audited(e, { ...urls, evil: `${servers.evilOrigin}/hit/${s.id}` })));
  }, { timeout: 120_000, intervals: [2_000] }).toBe(true).catch(() => undefined);
  const events = await deliveredEvents();
  let allPass = true;
  for (const scenario of SCENARIOS) {
    const audited = events.some((e) => scenario.audited(e, { ...urls, evil: `${servers.evilOrigin}/hit/${scenario.id}` }));
    const isBlocked = outcomes.get(scenario.id) === true;
    allPass &&= isBlocked && audited;
    console.log(`CONFORMANCE ${scenario.id} electron ${isBlocked && audited ? 'PASS' : 'FAIL'} ${isBlocked ? 'blocked' : 'allowed'} ${audited ? 'audited' : 'unaudited'}`);
  }
  expect(allPass).toBe(true);
  // What reached the practice names origins and actions, never the page's data.
  expect(JSON.stringify(events)).not.toContain('SYN-0001');
});
