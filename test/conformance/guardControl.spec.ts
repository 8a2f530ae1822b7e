// The control experiment: with the guard preload and its permission plumbing left out,
// the scenarios that depend on them must be caught failing. This shows the conformance
// measurements can fail, and that the guard (not the test) is what makes them pass.
import { expect, test } from '@playwright/test';
import { startHostileServers, type HostileServers } from './hostileServers';
import { runScenario } from './runScenario';
import { SCENARIOS } from './scenarios';

const GUARD_DEPENDENT = ['javascript-url', 'blob-url', 'window-print', 'permission-camera', 'external-protocol', 'service-worker', 'upload-file-drop'];

let servers: HostileServers;
test.beforeAll(async () => {
  servers = await startHostileServers();
});
test.afterAll(async () => {
  await servers.close();
});

for (const id of GUARD_DEPENDENT) {
  test(`without the guard, ${id} is not both blocked and audited`, async ({ browser }) => {
    const scenario = SCENARIOS.find((s) => s.id === id);
    if (scenario === undefined) throw new Error(`no scenario ${id}`);
    const { blocked, audited } = await runScenario(browser, servers, scenario, { guard: false });
    expect(blocked && audited).toBe(false);
  });
}
