// Hostile-page conformance: every scenario must be blocked (measured by what reached the
// unapproved origin, the disk, the printer or the page itself) and audited (the audit
// trail holds the event for that attempt), on each host. Prints
// `CONFORMANCE <scenario-id> <host> <PASS|FAIL> <blocked|allowed> <audited|unaudited>`.
import { expect, test } from '@playwright/test';
import { startHostileServers, type HostileServers } from './hostileServers';
import { runScenario } from './runScenario';
import { SCENARIOS } from './scenarios';

// The same scenarios against the real app (host `electron`): test/e2e/electronConformance.spec.ts.
let servers: HostileServers;
let notesPrinted = false;
test.beforeAll(async () => {
  servers = await startHostileServers();
});
test.afterAll(async () => {
  await servers.close();
});

for (const scenario of SCENARIOS) {
  test(`conformance ${scenario.id} (chromium)`, async ({ browser }) => {
    const { blocked, audited, events, differences } = await runScenario(browser, servers, scenario);
    if (!notesPrinted) for (const difference of differences) console.log(`CONFORMANCE-NOTE chromium ${difference}`);
    notesPrinted = true;
    console.log(`CONFORMANCE ${scenario.id} chromium ${blocked && audited ? 'PASS' : 'FAIL'} ${blocked ? 'blocked' : 'allowed'} ${audited ? 'audited' : 'unaudited'}`);
    expect({ blocked, audited }).toEqual({ blocked: true, audited: true });
    // The audit trail names origins and schemes, never the page's data.
    expect(JSON.stringify(events)).not.toContain('SYN-0001');
  });
}
