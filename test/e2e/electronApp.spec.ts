// End-to-end: the real built app in a real Electron, driven by Playwright's _electron.
// Runs wherever an Electron binary exists; elsewhere every test is skipped and a
// SKIPPED line says why (a skip is never a pass). On Linux the machine also needs a
// Secret Service keychain (e.g. gnome-keyring under dbus): without one Cordon refuses to
// keep its audit keys and shows its locked screen, by design.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { _electron as electron, expect, test, type ElectronApplication } from '@playwright/test';
import { IPC_CHANNELS } from '../../common/ipc/channels';
import { startDemoIdp } from '../../demo/idp/demoIdp';
import { typeDemoCredentials } from '../support/demoIdpLogin';
import { demoKeys, REPO_ROOT, signedText, validPolicy } from '../support/policyFixtures';
import { electronBinary } from '../../build/electronBinary';

const binary = electronBinary();
const skipReason = 'missing' in binary ? binary.missing : null;
if (skipReason !== null) console.log(`SKIPPED electron-e2e: ${skipReason}`);
test.skip(skipReason !== null, skipReason ?? '');

const demoPolicy = validPolicy({ environment: 'demo', issuedAt: '2026-01-01T00:00:00Z', expiresAt: '2099-01-01T00:00:00Z' });

function policyFile(text: string): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'cordon-e2e-')), 'policy.json');
  writeFileSync(file, text);
  return file;
}

async function launch(policyText: string): Promise<ElectronApplication> {
  if ('missing' in binary) throw new Error(binary.missing);
  return electron.launch({
    executablePath: binary.path,
    args: [REPO_ROOT],
    env: { ...process.env, CORDON_BUNDLED_POLICY: policyFile(policyText), CORDON_MANAGED_POLICY: path.join(tmpdir(), 'cordon-no-managed-policy.json') },
  });
}

test.beforeAll(() => {
  // The development build trusts the demo key used below.
  execFileSync('npx', ['electron-vite', 'build', '--mode', 'development'], { cwd: REPO_ROOT, stdio: 'ignore' });
});

test('the shell window is sandboxed, isolated and served from cordon://', async () => {
  const app = await launch(signedText(demoPolicy, demoKeys()));
  try {
    const page = await app.firstWindow();
    await expect(page.getByRole('heading', { name: 'Test Family Practice' })).toBeVisible();
    expect(page.url()).toBe('cordon://app/index.html');
    // Electron exposes no getter for webPreferences, so check their effects: the preload's
    // contextBridge only works with contextIsolation (the heading above needed it), and the
    // page sees neither require nor process.
    const metrics = await app.evaluate(({ app: electronApp }) => electronApp.getAppMetrics().map((m) => ({ type: m.type, sandboxed: m.sandboxed })));
    if (process.platform === 'darwin' || process.platform === 'win32') {
      expect(metrics.filter((m) => m.type === 'Tab').every((m) => m.sandboxed === true)).toBe(true);
    }
    const exposed = await page.evaluate(() => ({
      require: typeof (window as unknown as { require?: unknown }).require,
      process: typeof (window as unknown as { process?: unknown }).process,
      cordon: Object.keys((window as unknown as { cordon: object }).cordon).sort(),
    }));
    expect(exposed).toEqual({ require: 'undefined', process: 'undefined', cordon: Object.keys(IPC_CHANNELS).sort() });
    const opened = await page.evaluate(() => window.open('https://example.com') === null);
    expect(opened).toBe(true);
  } finally {
    await app.close();
  }
});

test('a tampered policy locks Cordon and names the cause', async () => {
  const tampered = JSON.parse(signedText(demoPolicy, demoKeys()));
  tampered.policy.clipboard = { mode: 'inbound-only' };
  const app = await launch(JSON.stringify(tampered));
  try {
    const page = await app.firstWindow();
    await expect(page.getByRole('heading', { name: 'Cordon is locked' })).toBeVisible();
    await expect(page.getByTestId('problem-code')).toHaveText('bad-signature');
  } finally {
    await app.close();
  }
});

test('sign-in: the IdP opens in a Cordon window, password + TOTP, then the workspace names the user and MFA', async () => {
  const idp = await startDemoIdp();
  const base = validPolicy({ environment: 'demo', issuedAt: '2026-01-01T00:00:00Z', expiresAt: '2099-01-01T00:00:00Z' });
  const policy = {
    ...base,
    apps: base.apps.map((app) => ({ ...app, navigationOrigins: [...app.navigationOrigins, idp.issuer] })),
    identity: { issuer: idp.issuer, clientId: 'cordon-desktop', scopes: ['openid', 'profile', 'email', 'roles'], mfa: { amrMethods: ['otp'] }, signInMode: 'workspace' as const },
  };
  const app = await launch(signedText(policy, demoKeys()));
  try {
    const shell = await app.firstWindow();
    const signInWindow = app.waitForEvent('window');
    await shell.getByRole('button', { name: 'Sign in' }).click();
    const idpPage = await signInWindow;
    await typeDemoCredentials(idpPage, 'valerie');
    await expect(shell.getByTestId('identity')).toContainText('Valerie Assistant');
    await expect(shell.getByTestId('identity')).toContainText('with password and authenticator app');
    await shell.getByRole('button', { name: 'Sign out' }).click();
    await expect(shell.getByRole('button', { name: 'Sign in' })).toBeVisible();
  } finally {
    await app.close();
    await idp.close();
  }
});
