// Sign-in driven in real Chromium against the running demo IdP: a person types the
// password and the current TOTP code into the IdP's own pages. Workspace mode uses
// Chromium as the sign-in window (the same navigation decision as Electron's, applied
// through CDP Fetch interception, which like Electron's will-redirect sees every hop of
// a redirect chain); system-browser mode uses Chromium as the system browser with
// Cordon's real loopback listener.
import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import { signInNavigation, signInScope, WORKSPACE_REDIRECT_URI } from '../../common/auth/signInNavigation';
import { DEMO_CLIENT_ID, startDemoIdp, type DemoIdp } from '../../demo/idp/demoIdp';
import { DEMO_ACR } from '../../demo/idp/demoUsers';
import { openLoopbackChannel } from '../../main/auth/loopbackRedirect';
import { OidcClient } from '../../main/auth/oidcClient';
import { SignInService, type RedirectChannel } from '../../main/auth/signInService';
import { TokenVault } from '../../main/auth/tokenVault';
import { FakeKeychain } from '../support/authHarness';
import { typeDemoCredentials } from '../support/demoIdpLogin';
import { RecordingAuditSink } from '../support/electronFakes';

let idp: DemoIdp;
test.beforeAll(async () => {
  idp = await startDemoIdp();
  console.log('NOTE sign-in host: Chromium stands in for the Electron sign-in window; the redirect is caught by CDP Fetch interception instead of will-redirect.');
});
test.afterAll(async () => {
  await idp.close();
});

/** Chromium as Cordon's workspace sign-in window: approved origins only, redirect caught. */
async function workspaceChannel(context: BrowserContext, page: Page, act: (page: Page) => Promise<void>): Promise<RedirectChannel & { blocked: string[] }> {
  const cdp = await context.newCDPSession(page);
  const blocked: string[] = [];
  let caught: (url: string) => void = () => undefined;
  const callback = new Promise<string>((resolve) => (caught = resolve));
  await cdp.send('Fetch.enable', { patterns: [{ urlPattern: '*', requestStage: 'Request' }] });
  cdp.on('Fetch.requestPaused', (event) => {
    // Pages on the issuer only; the IdP's asset origin (policy identity.requestOrigins) for its stylesheet.
    const scope = signInScope([new URL(idp.issuer).origin], [idp.assetsOrigin]);
    const allowedOrigins = event.resourceType === 'Document' ? scope.navigation : scope.request;
    const decision = signInNavigation(event.request.url, { redirectUris: [WORKSPACE_REDIRECT_URI], allowedOrigins });
    if (decision === 'callback') caught(event.request.url);
    if (decision !== 'allow') blocked.push(event.request.url);
    void (decision === 'allow' ? cdp.send('Fetch.continueRequest', { requestId: event.requestId }) : cdp.send('Fetch.failRequest', { requestId: event.requestId, errorReason: 'BlockedByClient' })).catch(() => undefined);
  });
  return {
    redirectUri: WORKSPACE_REDIRECT_URI,
    blocked,
    run: async (url) => {
      // With an IdP session the very first load ends at the (blocked) callback: goto fails.
      const navigated = await page.goto(url).then(
        () => true,
        () => false,
      );
      if (navigated) await act(page);
      return callback;
    },
    dispose: () => undefined,
  };
}

function service(openChannel: () => Promise<RedirectChannel>, audit = new RecordingAuditSink()) {
  return new SignInService({
    settings: { issuer: idp.issuer, clientId: DEMO_CLIENT_ID, scopes: ['openid', 'profile', 'email', 'roles'], acrValues: [DEMO_ACR.mfa], allowInsecureLoopback: true, rolesClaim: 'roles', mfa: { acrValues: [], amrMethods: ['otp'] } },
    connect: (settings) => OidcClient.connect(settings),
    openChannel,
    vault: new TokenVault(new FakeKeychain('basic_text'), '/nonexistent/session.bin', 'linux'),
    audit,
    endIdpSession: async () => undefined,
    wipeSessions: async () => undefined,
    postLogoutRedirectUri: null,
    setTimer: () => ({ cancel: () => undefined }),
  });
}

test('workspace mode: password + TOTP in the sign-in window yields an MFA identity; the callback never loads', async ({ context, page }) => {
  const channel = await workspaceChannel(context, page, (p) => typeDemoCredentials(p, 'valerie'));
  const audit = new RecordingAuditSink();
  const identity = await service(async () => channel, audit).signIn();
  expect(identity.subject).toBe('demo-va-0001');
  expect(identity.mfaMethods).toContain('otp');
  expect(identity.acr).toBe(DEMO_ACR.mfa);
  expect(audit.events).toEqual([{ type: 'sign-in.succeeded', outcome: 'success', reason: 'pwd+otp' }]);
  expect(channel.blocked.every((url) => url.startsWith(WORKSPACE_REDIRECT_URI))).toBe(true);
  expect(page.url()).not.toContain('callback.cordon.invalid');
});

test('workspace mode: the IdP cookie in the practice session gives single sign-on to the next sign-in', async ({ context, page }) => {
  const first = await workspaceChannel(context, page, (p) => typeDemoCredentials(p, 'valerie'));
  await service(async () => first).signIn();
  // A second page in the same session (as a hosted app using the same IdP would be): no form appears.
  const second = await context.newPage();
  let sawLoginForm = false;
  const silent = await workspaceChannel(context, second, async (p) => {
    sawLoginForm = (await p.getByLabel('Username').count()) > 0;
    if (sawLoginForm) throw new Error('the IdP asked for a password again: no single sign-on');
  });
  const identity = await service(async () => silent).signIn();
  expect(identity.subject).toBe('demo-va-0001');
  expect(sawLoginForm).toBe(false);
});

test('workspace mode: the user without MFA is refused with a message they understand', async ({ context, page }) => {
  const channel = await workspaceChannel(context, page, (p) => typeDemoCredentials(p, 'nora'));
  const audit = new RecordingAuditSink();
  const error = await service(async () => channel, audit)
    .signIn()
    .then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(Error);
  expect((error as Error).message).toContain('requires multi-factor authentication');
  expect(audit.events).toEqual([{ type: 'sign-in.failed', outcome: 'failure', reason: 'mfa-missing' }]);
});

test('system-browser mode: Chromium as the system browser, Cordon\'s loopback listener on an ephemeral port', async ({ page }) => {
  let redirectUri = '';
  const identity = await service(async () => {
    const channel = await openLoopbackChannel({
      openBrowser: async (url) => {
        redirectUri = new URL(url).searchParams.get('redirect_uri') ?? '';
        await page.goto(url);
        await typeDemoCredentials(page, 'valerie');
      },
    });
    return channel;
  }).signIn();
  expect(identity.mfaMethods).toEqual(['pwd', 'otp']);
  expect(redirectUri).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback$/);
  await expect(page.getByText('Sign-in finished')).toBeVisible();
  // The listener is gone once the attempt is over.
  await expect(fetch(redirectUri)).rejects.toThrow();
});
