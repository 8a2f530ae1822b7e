// Sign-in against the running demo IdP (oidc-provider, real password + TOTP), through
// the real openid-client, the real loopback listener and a scripted browser.
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthError, type AuthErrorCode } from '../../../common/auth/authErrors';
import { startDemoIdp, type DemoIdp } from '../../../demo/idp/demoIdp';
import type { CustomFetch } from 'openid-client';
import { OidcClient } from '../../../main/auth/oidcClient';
import { SignInService } from '../../../main/auth/signInService';
import { TokenVault } from '../../../main/auth/tokenVault';
import { demoUser, FakeKeychain, harness, settingsFor } from '../../support/authHarness';
import { ScriptedUserAgent } from '../../support/scriptedUserAgent';

let idp: DemoIdp;
beforeAll(async () => {
  idp = await startDemoIdp();
});
afterAll(async () => {
  await idp.close();
});

async function refusal(promise: Promise<unknown>): Promise<AuthErrorCode> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof AuthError)) throw new Error(`expected an AuthError, got ${String(error)}`);
  return error.code;
}

/** A code-flow attempt done by hand, so a test can tamper with each step. */
async function attempt(client: OidcClient, username = 'valerie') {
  const pending = await client.beginAuthorization({ redirectUri: 'http://127.0.0.1:9/callback' });
  const callback = await new ScriptedUserAgent().signIn(pending.url, 'http://127.0.0.1:9/callback', demoUser(username));
  return { pending, callback };
}

describe('sign-in happy path (system-browser mode, loopback redirect)', () => {
  it('yields an identity whose amr proves the TOTP step, and audits it', async () => {
    const h = harness(idp.issuer);
    const identity = await h.service.signIn();
    expect(identity).toMatchObject({ subject: 'demo-va-0001', name: 'Valerie Assistant', email: 'valerie@sunrise.demo', roles: ['va'] });
    expect(identity.mfaMethods).toEqual(['pwd', 'otp']);
    expect(h.audit.events).toEqual([{ type: 'sign-in.succeeded', outcome: 'success', reason: 'pwd+otp' }]);
    const url = new URL(h.authorizationUrls[0] ?? '');
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(url.searchParams.get('state')).toMatch(/^[\w-]{20,}$/);
    expect(url.searchParams.get('nonce')).toMatch(/^[\w-]{20,}$/);
    expect(url.searchParams.get('acr_values')).toBe('urn:cordon:demo:acr:mfa');
    expect(url.searchParams.get('redirect_uri')).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback$/);
  });

  it('uses a fresh state, nonce and PKCE verifier on every attempt', async () => {
    const client = await OidcClient.connect(settingsFor(idp.issuer));
    const [a, b] = await Promise.all([client.beginAuthorization({ redirectUri: 'http://127.0.0.1:9/callback' }), client.beginAuthorization({ redirectUri: 'http://127.0.0.1:9/callback' })]);
    expect(a.state).not.toBe(b.state);
    expect(a.nonce).not.toBe(b.nonce);
    expect(a.codeVerifier).not.toBe(b.codeVerifier);
  });

  it('keeps the refresh token only in the vault, encrypted on disk, and renews with rotation', async () => {
    const h = harness(idp.issuer);
    await h.service.signIn();
    const stored = await h.vault.getRefreshToken();
    expect(stored).toMatch(/\S{20,}/);
    const onDisk = await readFile(h.vault.file);
    expect(onDisk.toString('utf8')).not.toContain(stored ?? '');
    await h.service.renew();
    const rotated = await h.vault.getRefreshToken();
    expect(rotated).not.toBe(stored);
    expect(h.audit.events.at(-1)).toEqual({ type: 'session.renewed', outcome: 'success' });
    // The rotated-away token is dead at the IdP.
    const client = await OidcClient.connect(settingsFor(idp.issuer));
    expect(await refusal(client.refresh(stored ?? ''))).toBe('code-rejected');
  });
});

describe('sign-in refusals, each specific and audited', () => {
  it('refuses a response whose state does not match (wrong state)', async () => {
    const h = harness(idp.issuer, { tamperCallback: (url) => url.replace(/state=[^&]+/, 'state=forged-state-value') });
    expect(await refusal(h.service.signIn())).toBe('state-mismatch');
    expect(h.audit.events).toEqual([{ type: 'sign-in.failed', outcome: 'failure', reason: 'state-mismatch' }]);
  });

  it('refuses a replayed authorization code', async () => {
    const client = await OidcClient.connect(settingsFor(idp.issuer));
    const { pending, callback } = await attempt(client);
    await client.completeAuthorization(callback, pending);
    expect(await refusal(client.completeAuthorization(callback, pending))).toBe('code-rejected');
  });

  it('refuses an ID token whose nonce belongs to another attempt (wrong nonce)', async () => {
    const client = await OidcClient.connect(settingsFor(idp.issuer));
    const { pending, callback } = await attempt(client);
    expect(await refusal(client.completeAuthorization(callback, { ...pending, nonce: 'nonce-of-another-attempt' }))).toBe('nonce-mismatch');
  });

  it('refuses a response from a foreign issuer', async () => {
    const foreign = await startDemoIdp();
    try {
      const h = harness(idp.issuer, { tamperCallback: (url) => url.replace(/iss=[^&]+/, `iss=${encodeURIComponent(foreign.issuer)}`) });
      expect(await refusal(h.service.signIn())).toBe('issuer-mismatch');
      expect(h.audit.events.at(-1)).toMatchObject({ type: 'sign-in.failed', reason: 'issuer-mismatch' });
    } finally {
      await foreign.close();
    }
  });

  it('refuses an expired ID token (device clock two hours ahead of the IdP)', async () => {
    const h = harness(idp.issuer, { hooks: { clockSkewSeconds: 2 * 3600 } });
    expect(await refusal(h.service.signIn())).toBe('id-token-expired');
    expect(h.audit.events).toEqual([{ type: 'sign-in.failed', outcome: 'failure', reason: 'id-token-expired' }]);
  });

  it('refuses a tampered ID token (payload changed, signature kept)', async () => {
    const tamperingFetch: CustomFetch = async (url, init) => {
      const response = await fetch(url, init as RequestInit);
      if (!url.endsWith('/token')) return response;
      const body = (await response.json()) as { id_token: string };
      const [header, payload, signature] = body.id_token.split('.');
      const claims = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString()) as Record<string, unknown>;
      claims.amr = ['pwd', 'otp', 'hwk'];
      body.id_token = [header, Buffer.from(JSON.stringify(claims)).toString('base64url'), signature].join('.');
      return new Response(JSON.stringify(body), { status: response.status, headers: response.headers });
    };
    const h = harness(idp.issuer, { hooks: { fetch: tamperingFetch } });
    expect(await refusal(h.service.signIn())).toBe('id-token-invalid');
    expect(h.audit.events).toEqual([{ type: 'sign-in.failed', outcome: 'failure', reason: 'id-token-invalid' }]);
    expect(h.service.identity).toBeNull();
  });

  it('refuses a sign-in that did not use MFA, audits it, and revokes what the IdP issued', async () => {
    const h = harness(idp.issuer);
    h.user.current = demoUser('nora');
    const error = await h.service.signIn().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthError);
    expect((error as AuthError).code).toBe('mfa-missing');
    expect((error as AuthError).message).toContain('requires multi-factor authentication');
    expect((error as AuthError).detail).toContain('amr [pwd]');
    expect(h.service.identity).toBeNull();
    expect(await h.vault.getRefreshToken()).toBeNull();
    expect(h.audit.events).toEqual([{ type: 'sign-in.failed', outcome: 'failure', reason: 'mfa-missing' }]);
  });

  it('treats a browser that never comes back as cancelled', async () => {
    const h = harness(idp.issuer, { browser: async () => undefined });
    const started = Date.now();
    expect(await refusal(h.service.signIn())).toBe('cancelled');
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(h.audit.events).toEqual([{ type: 'sign-in.failed', outcome: 'failure', reason: 'cancelled' }]);
  });

  it('says the IdP is unreachable while it is down, and works once it is back', async () => {
    // Below the kernel's ephemeral range (32768 up), so no other test's port-0 listener can
    // take the port while the IdP is down (CI once failed with EADDRINUSE on the restart).
    let down: DemoIdp | undefined;
    for (let attempt = 1; down === undefined; attempt += 1) {
      down = await startDemoIdp({ port: 20_000 + Math.floor(Math.random() * 10_000) }).catch((error: unknown) => {
        if (attempt >= 20) throw error;
        return undefined;
      });
    }
    const { port } = new URL(down.issuer);
    await down.close();
    const h = harness(down.issuer);
    expect(await refusal(h.service.signIn())).toBe('idp-unreachable');
    const back = await startDemoIdp({ port: Number(port) });
    try {
      expect((await h.service.signIn()).subject).toBe('demo-va-0001');
      expect(h.audit.events.map((e) => e.reason)).toEqual(['idp-unreachable', 'pwd+otp']);
    } finally {
      await back.close();
    }
  });
});

describe('re-authentication for unlock', () => {
  it('forces a fresh login (max_age=0, prompt=login) and accepts the same person', async () => {
    const h = harness(idp.issuer);
    const first = await h.service.signIn();
    const again = await h.service.reauthenticate();
    expect(again.subject).toBe(first.subject);
    const url = new URL(h.authorizationUrls[1] ?? '');
    expect(url.searchParams.get('max_age')).toBe('0');
    expect(url.searchParams.get('prompt')).toBe('login');
    expect(h.audit.events.at(-1)).toEqual({ type: 'reauth.succeeded', outcome: 'success' });
  });

  it('refuses a different person and keeps the original signed in', async () => {
    const h = harness(idp.issuer);
    await h.service.signIn();
    h.user.current = demoUser('sam');
    expect(await refusal(h.service.reauthenticate())).toBe('wrong-user');
    expect(h.service.identity?.subject).toBe('demo-va-0001');
    expect(h.audit.events.at(-1)).toEqual({ type: 'reauth.failed', outcome: 'failure', reason: 'wrong-user' });
  });

  it('refuses re-authentication when nobody is signed in', async () => {
    expect(await refusal(harness(idp.issuer).service.reauthenticate())).toBe('no-session');
  });
});

describe('sign-out', () => {
  it('revokes the refresh token, ends the IdP session, wipes the sessions and forgets the identity', async () => {
    const h = harness(idp.issuer);
    await h.service.signIn();
    const refreshToken = await h.vault.getRefreshToken();
    await h.service.signOut();
    expect(h.service.identity).toBeNull();
    expect(await h.vault.getRefreshToken()).toBeNull();
    expect(h.wiped.count).toBe(1);
    expect(h.loggedOut).toHaveLength(1);
    expect(new URL(h.loggedOut[0] ?? '').searchParams.get('id_token_hint')).toMatch(/^ey/);
    expect(h.audit.events.at(-1)).toEqual({ type: 'sign-out', outcome: 'success', reason: 'revoked:2 idp-logout' });
    const client = await OidcClient.connect(settingsFor(idp.issuer));
    expect(await refusal(client.refresh(refreshToken ?? ''))).toBe('code-rejected');
  });
});

describe('a session left behind by a crash', () => {
  it('is revoked and forgotten at the next start, not resumed', async () => {
    const crashed = harness(idp.issuer);
    await crashed.service.signIn();
    const leftover = await crashed.vault.getRefreshToken();
    // A new run: new service, same vault file.
    const next = harness(idp.issuer);
    const vault = new TokenVault(new FakeKeychain(), crashed.vault.file, 'linux');
    const restarted = new SignInService({ ...next.deps, vault });
    expect(await restarted.revokeLeftover()).toBe(true);
    expect(restarted.identity).toBeNull();
    expect(await vault.getRefreshToken()).toBeNull();
    expect(next.audit.events).toEqual([{ type: 'sign-out', outcome: 'success', reason: 'leftover-session-revoked' }]);
    const client = await OidcClient.connect(settingsFor(idp.issuer));
    expect(await refusal(client.refresh(leftover ?? ''))).toBe('code-rejected');
  });
});
