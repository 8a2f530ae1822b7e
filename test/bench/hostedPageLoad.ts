// BENCH hosted-page-load: load time of a demo EHR chart in Debian Chromium with Cordon's
// protections in the path, as in the conformance host (the guard preload in every frame,
// and the hosted-session request filter fed by CDP Fetch interception), against the same
// page with neither, interleaved in one run so both see the same machine state.
import { chromium, type Page } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../playwright.config';
import { hostedAppRules } from '../../common/hosting/hostedAppRules';
import { policyV1Schema } from '../../common/policy/policySchema';
import { startDemoApp } from '../../demo/apps/demoApps';
import { startDemoIdp } from '../../demo/idp/demoIdp';
import { typeDemoCredentials } from '../support/demoIdpLogin';
import { RecordingAuditSink } from '../support/electronFakes';
import { validPolicy } from '../support/policyFixtures';
import { startChromiumHost } from '../conformance/chromiumHost';

const ROUNDS = 40;

async function signIn(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await typeDemoCredentials(page, 'valerie');
  await page.locator('#user').waitFor();
}

async function loadMs(page: Page, url: string): Promise<number> {
  const started = performance.now();
  await page.goto(url, { waitUntil: 'load' });
  return performance.now() - started;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};

export async function benchHostedPageLoad(): Promise<string> {
  const idp = await startDemoIdp();
  const ehr = await startDemoApp('ehr', { issuer: idp.issuer });
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  try {
    const base = validPolicy();
    const policy = policyV1Schema.parse({ ...base, environment: 'demo', apps: [{ id: 'ehr', name: 'EHR', startUrl: ehr.url, navigationOrigins: [new URL(ehr.url).origin, idp.issuer], requestOrigins: [idp.assetsOrigin] }] });
    const [app] = policy.apps;
    if (app === undefined) throw new Error('no app');
    const host = await startChromiumHost(browser, new Map([[1, hostedAppRules(policy, app)]]), new RecordingAuditSink(), { scope: 'page' });
    const guarded = await host.openApp(1);
    const plainContext = await browser.newContext();
    const plain = await plainContext.newPage();
    await signIn(guarded, ehr.url);
    await signIn(plain, ehr.url);
    const chart = `${ehr.url}chart/SYN-0001`;
    const withFilter: number[] = [];
    const baseline: number[] = [];
    for (let round = 0; round < ROUNDS + 5; round += 1) {
      const a = await loadMs(guarded, chart);
      const b = await loadMs(plain, chart);
      // The first rounds warm caches and connections; they are not counted.
      if (round >= 5) {
        withFilter.push(a);
        baseline.push(b);
      }
    }
    await host.close();
    await plainContext.close();
    const measured = median(withFilter);
    const reference = median(baseline);
    return `BENCH hosted-page-load ${measured.toFixed(1)} ms baseline ${reference.toFixed(1)} ratio ${(measured / reference).toFixed(2)}`;
  } finally {
    await browser.close();
    await ehr.close();
    await idp.close();
  }
}
