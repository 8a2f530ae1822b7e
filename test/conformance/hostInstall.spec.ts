// The Chromium host installs the whole guard however it is started, and fails loudly
// when a page-side install throws (a guard that never installed must not pass a test).
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { expect, test } from '@playwright/test';
import { originsOnlyRules } from '../../common/hosting/hostedAppRules';
import { RecordingAuditSink } from '../support/electronFakes';
import { startChromiumHost } from './chromiumHost';
import { startHostileServers, type HostileServers } from './hostileServers';

const root = path.resolve(import.meta.dirname, '../..');

test('under tsx (keepNames), both halves of the guard install on the host', async () => {
  test.setTimeout(60_000);
  const { stdout } = await promisify(execFile)(path.join(root, 'node_modules/.bin/tsx'), [path.join(root, 'test/conformance/hostInstallProbe.ts')], { cwd: root });
  const line = stdout.split('\n').find((l) => l.startsWith('PROBE '));
  expect(line).toBeDefined();
  expect(JSON.parse((line ?? 'PROBE {}').slice('PROBE '.length))).toEqual({ printLocked: true, watermark: true, pageErrors: [], closeError: null });
});

let servers: HostileServers;
test.beforeAll(async () => {
  servers = await startHostileServers();
});
test.afterAll(async () => {
  await servers.close();
});

test('a main-world install that throws makes the host fail', async ({ browser }) => {
  const host = await startChromiumHost(browser, new Map([[1, originsOnlyRules('probe', { navigation: [servers.appOrigin], request: [servers.appOrigin] }, true)]]), new RecordingAuditSink());
  // Runs before the guard (registered first): reading register now throws inside mainWorldGuard.
  await host.context.addInitScript(() => {
    Object.defineProperty(ServiceWorkerContainer.prototype, 'register', {
      get() {
        throw new Error('poisoned');
      },
    });
  });
  const page = await host.openApp(1);
  await page.goto(`${servers.appOrigin}/clipboard`);
  await expect.poll(() => host.installFailures).toEqual([expect.stringContaining('main world: poisoned')]);
  await expect(host.close()).rejects.toThrow('the guard did not install in every frame');
});
