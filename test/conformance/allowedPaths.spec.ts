// The controls must not break the practice's work: with Cordon's hosted-session filter
// in place, the demo EHR signs in through the demo IdP, navigates and saves a note, and
// the messaging app opens already signed in (single sign-on) and sends a message.
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { hostedAppRules } from '../../common/hosting/hostedAppRules';
import { policyV1Schema } from '../../common/policy/policySchema';
import { OUTSIDE_URL, startDemoApp } from '../../demo/apps/demoApps';
import { startDemoIdp, type DemoIdp } from '../../demo/idp/demoIdp';
import { typeDemoCredentials } from '../support/demoIdpLogin';
import { RecordingAuditSink } from '../support/electronFakes';
import { validPolicy } from '../support/policyFixtures';
import { startChromiumHost, TEST_WATERMARK } from './chromiumHost';
import { watermarkText } from './watermarkProbe';

let idp: DemoIdp;
let ehr: { url: string; close: () => Promise<void> };
let messages: { url: string; close: () => Promise<void> };
test.beforeAll(async () => {
  idp = await startDemoIdp();
  ehr = await startDemoApp('ehr', { issuer: idp.issuer });
  messages = await startDemoApp('messages', { issuer: idp.issuer });
});
test.afterAll(async () => {
  await Promise.all([ehr.close(), messages.close()]);
  await idp.close();
});

function rules() {
  const origin = (url: string) => new URL(url).origin;
  const base = validPolicy();
  const policy = policyV1Schema.parse({
    ...base,
    environment: 'demo',
    apps: [
      // The IdP's sign-in pages load their stylesheet from its asset origin, as in the demo policy.
      { id: 'ehr', name: 'EHR', startUrl: ehr.url, navigationOrigins: [origin(ehr.url), idp.issuer], requestOrigins: [idp.assetsOrigin] },
      { id: 'messages', name: 'Messages', startUrl: messages.url, navigationOrigins: [origin(messages.url), idp.issuer], requestOrigins: [idp.assetsOrigin] },
    ],
  });
  return new Map(policy.apps.map((app, i) => [i + 1, hostedAppRules(policy, app)]));
}

test('allowed paths: EHR signs in and saves a note; messaging opens by single sign-on and sends', async ({ browser }) => {
  const audit = new RecordingAuditSink();
  const host = await startChromiumHost(browser, rules(), audit, { scope: 'page' });
  try {
    const ehrPage = await host.openApp(1);
    await ehrPage.goto(ehr.url);
    await typeDemoCredentials(ehrPage, 'valerie');
    await expect(ehrPage.locator('#user')).toHaveText('Valerie Assistant');
    await ehrPage.getByRole('link', { name: 'Testpatient, Alpha' }).click();
    await expect(ehrPage.locator('#phone')).toHaveText('555-0101');
    // The chart carries the watermark naming the VA and the session (saved for a look).
    expect(await watermarkText(ehrPage)).toContain(TEST_WATERMARK.text.replace(' · {time}', ''));
    await ehrPage.screenshot({ path: path.resolve(import.meta.dirname, '../../.cache/watermark-screenshots/demo-ehr-chart.png') });
    await ehrPage.getByLabel('New note').fill('Called back about refill (synthetic).');
    await ehrPage.getByRole('button', { name: 'Save note' }).click();
    await expect(ehrPage.locator('#notes .note')).toHaveText(['Called back about refill (synthetic).']);
    expect(audit.events).toEqual([]);

    const messagesPage = await host.openApp(2);
    await messagesPage.goto(messages.url);
    // Single sign-on: no login form, straight to the thread.
    await expect(messagesPage.locator('#user')).toHaveText('Valerie Assistant');
    await messagesPage.getByLabel('Message').fill('Patient SYN-0001 called back.');
    await messagesPage.getByRole('button', { name: 'Send' }).click();
    await expect(messagesPage.locator('#thread .message').last()).toContainText('Patient SYN-0001 called back.');
    expect(audit.events).toEqual([]);

    // And the outside link in the EHR is still stopped, by origin, for that app.
    await ehrPage.goto(ehr.url);
    await ehrPage.locator('#outside-link').click();
    await expect.poll(() => audit.events.length).toBe(1);
    expect(audit.events[0]).toEqual({ type: 'navigation.blocked', outcome: 'blocked', appId: 'ehr', origin: new URL(OUTSIDE_URL).origin, reason: 'origin-not-approved' });
  } finally {
    await host.close();
  }
});
