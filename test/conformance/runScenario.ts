// Runs one hostile scenario on the Chromium host and measures the two things conformance
// is about: was the attempt blocked (by its scenario's evidence), and was it audited.
import { expect, type Browser, type Page } from '@playwright/test';
import type { AuditEventInput } from '../../common/audit/auditSink';
import { hostedAppRules } from '../../common/hosting/hostedAppRules';
import { policyV1Schema } from '../../common/policy/policySchema';
import { RecordingAuditSink } from '../support/electronFakes';
import { validPolicy } from '../support/policyFixtures';
import { startChromiumHost, type ChromiumHost, type HostOptions } from './chromiumHost';
import type { HostileServers } from './hostileServers';
import type { Evidence, Scenario, ScenarioUrls } from './scenarios';

export interface ScenarioResult {
  blocked: boolean;
  audited: boolean;
  events: AuditEventInput[];
  differences: string[];
}

function hostileAppRules(servers: HostileServers) {
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

async function holds(evidence: Evidence, scenario: Scenario, page: Page, host: ChromiumHost, servers: HostileServers): Promise<boolean> {
  switch (evidence.kind) {
    case 'network':
      return !servers.evilHits.has(scenario.id);
    case 'no-download':
      // A download must have begun (else the attempt never ran) and every one refused.
      return host.downloads.length > 0 && host.downloads.every((verdict) => verdict === 'refused');
    case 'stays':
      return page.url() === `${servers.appOrigin}/scenario/${scenario.id}`;
    case 'never-observed':
      return !(servers.pageResults.get(scenario.id) ?? []).includes(evidence.outcome);
  }
}

export async function runScenario(browser: Browser, servers: HostileServers, scenario: Scenario, options: HostOptions = {}): Promise<ScenarioResult> {
  servers.evilHits.delete(scenario.id);
  servers.pageResults.delete(scenario.id);
  const audit = new RecordingAuditSink();
  const host = await startChromiumHost(browser, new Map([[1, hostileAppRules(servers)]]), audit, options);
  try {
    const page = await host.openApp(1);
    // Only until the page commits: an attack launched while the page loads may stop its
    // load event (a cancelled navigation ends the document's loading).
    await page.goto(`${servers.appOrigin}/scenario/${scenario.id}`, { waitUntil: 'commit' });
    const urls: ScenarioUrls = { evil: `${servers.evilOrigin}/hit/${scenario.id}`, evilOrigin: servers.evilOrigin, appOrigin: servers.appOrigin };
    const audited = () => audit.events.some((e) => scenario.audited(e, urls));
    // Bounded wait for the attack to run and its block to be recorded, then a little
    // longer for anything that slipped through to arrive.
    await expect.poll(audited, { timeout: 5_000 }).toBe(true).catch(() => undefined);
    await page.waitForTimeout(500);
    let blocked = true;
    for (const evidence of scenario.evidence) blocked &&= await holds(evidence, scenario, page, host, servers);
    return { blocked, audited: audited(), events: audit.events, differences: host.differences };
  } finally {
    await host.close();
  }
}
