// Hostile-page conformance: every scenario must be blocked (nothing reaches the
// unapproved origin) and audited (an audit event names that origin), on each host.
// Prints `CONFORMANCE <scenario-id> <host> <PASS|FAIL> <blocked|allowed> <audited|unaudited>`.
import { expect, test } from '@playwright/test';
import { electronBinary } from '../../build/electronBinary';
import { hostedAppRules } from '../../common/hosting/hostedAppRules';
import { policyV1Schema } from '../../common/policy/policySchema';
import { RecordingAuditSink } from '../support/electronFakes';
import { validPolicy } from '../support/policyFixtures';
import { startChromiumHost } from './chromiumHost';
import { startHostileServers, type HostileServers } from './hostileServers';
import { SCENARIOS } from './scenarios';

let servers: HostileServers;
test.beforeAll(async () => {
  servers = await startHostileServers();
  const electron = electronBinary();
  // The Electron host needs the hosted-app views (not built yet) as well as a binary.
  console.log(`CONFORMANCE-SKIPPED electron ${'missing' in electron ? electron.missing : 'hosted app views are not wired into the Electron app yet'}`);
});
test.afterAll(async () => {
  await servers.close();
});

function demoRules() {
  const base = validPolicy();
  const policy = policyV1Schema.parse({
    ...base,
    environment: 'demo',
    apps: [{ id: 'ehr', name: 'Hostile EHR', startUrl: `${servers.appOrigin}/`, navigationOrigins: [servers.appOrigin] }],
  });
  const [app] = policy.apps;
  if (app === undefined) throw new Error('no app');
  return hostedAppRules(policy, app);
}

for (const scenario of SCENARIOS) {
  test(`conformance ${scenario.id} (chromium)`, async ({ browser }) => {
    const audit = new RecordingAuditSink();
    const host = await startChromiumHost(browser, new Map([[1, demoRules()]]), audit);
    try {
      const page = await host.openApp(1);
      await page.goto(`${servers.appOrigin}/scenario/${scenario.id}`);
      const evilOrigin = new URL(servers.evilOrigin);
      const audited = () => audit.events.some((e) => e.origin === `${evilOrigin.protocol}//${evilOrigin.host}` || e.origin === `ws://${evilOrigin.host}`);
      // Bounded wait for the attack to run and its block to be recorded.
      await expect.poll(audited, { timeout: 5_000 }).toBe(true).catch(() => undefined);
      await page.waitForTimeout(300);
      const blocked = !servers.evilHits.has(scenario.id);
      const pass = blocked && audited();
      console.log(`CONFORMANCE ${scenario.id} chromium ${pass ? 'PASS' : 'FAIL'} ${blocked ? 'blocked' : 'allowed'} ${audited() ? 'audited' : 'unaudited'}`);
      expect({ blocked, audited: audited() }).toEqual({ blocked: true, audited: true });
      // The audit trail names the origin, never the page's data.
      expect(JSON.stringify(audit.events)).not.toContain('SYN-0001');
    } finally {
      await host.close();
    }
  });
}
