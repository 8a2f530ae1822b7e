// An access token for the audit collector's audience (RFC 8707 resource indicator) from
// the real demo IdP, obtained by the signed-in SignInService with a refresh grant: a JWT
// signed by the IdP's published key, aud = urn:cordon:collector, the VA as subject, and
// the rotated refresh token kept. The sign-in's own access token stays as it was.
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthError } from '../../../common/auth/authErrors';
import { COLLECTOR_AUDIENCE } from '../../../common/audit/collectorAudience';
import { startDemoIdp, type DemoIdp } from '../../../demo/idp/demoIdp';
import { OidcClient } from '../../../main/auth/oidcClient';
import { demoUser, harness, settingsFor } from '../../support/authHarness';
import { ScriptedUserAgent } from '../../support/scriptedUserAgent';

let idp: DemoIdp;
beforeAll(async () => {
  idp = await startDemoIdp();
});
afterAll(async () => {
  await idp.close();
});

const jwks = () => createRemoteJWKSet(new URL(`${idp.issuer}/jwks`));

describe('collector-audience access token', () => {
  it('is a JWT for urn:cordon:collector, signed by the IdP, for the signed-in VA', async () => {
    const h = harness(idp.issuer);
    await h.service.signIn();
    const token = await h.service.resourceAccessToken(COLLECTOR_AUDIENCE);
    const { payload, protectedHeader } = await jwtVerify(token, jwks(), { issuer: idp.issuer, audience: COLLECTOR_AUDIENCE });
    expect(protectedHeader).toMatchObject({ alg: 'RS256', typ: 'at+jwt' });
    expect(payload).toMatchObject({ sub: 'demo-va-0001', client_id: 'cordon-desktop', aud: COLLECTOR_AUDIENCE });
    expect(h.audit.events).toEqual([{ type: 'sign-in.succeeded', outcome: 'success', reason: 'pwd+otp' }]);
  });

  it('keeps the rotated refresh token, and is asked for one grant at a time alongside renewal', async () => {
    const h = harness(idp.issuer);
    await h.service.signIn();
    const before = await h.vault.getRefreshToken();
    // Concurrent renewal and token request: run one after the other, each with the then-current refresh token.
    const [token] = await Promise.all([h.service.resourceAccessToken(COLLECTOR_AUDIENCE), h.service.renew(), h.service.resourceAccessToken(COLLECTOR_AUDIENCE)]);
    expect(h.audit.events.at(-1)).toEqual({ type: 'session.renewed', outcome: 'success' });
    const after = await h.vault.getRefreshToken();
    expect(after).not.toBe(before);
    await expect(jwtVerify(token, jwks(), { audience: COLLECTOR_AUDIENCE })).resolves.toBeDefined();
    // The vault's token is the live one: it still works.
    const client = await OidcClient.connect(settingsFor(idp.issuer));
    await expect(client.resourceAccessToken(after ?? '', COLLECTOR_AUDIENCE)).resolves.toMatchObject({ accessToken: expect.any(String) });
  });

  it('is refused for an audience the IdP does not serve, and without a session', async () => {
    const h = harness(idp.issuer);
    await expect(h.service.resourceAccessToken(COLLECTOR_AUDIENCE)).rejects.toMatchObject({ code: 'no-session' });
    await h.service.signIn();
    const error = await h.service.resourceAccessToken('urn:cordon:not-a-resource').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthError);
    expect((error as AuthError).code).toBe('idp-error');
  });

  it("leaves the sign-in's own access token opaque (for userinfo), as before", async () => {
    const client = await OidcClient.connect(settingsFor(idp.issuer));
    const pending = await client.beginAuthorization({ redirectUri: 'http://127.0.0.1:9/callback' });
    const callback = await new ScriptedUserAgent().signIn(pending.url, 'http://127.0.0.1:9/callback', demoUser('valerie'));
    const tokens = await client.completeAuthorization(callback, pending);
    expect(tokens.accessToken.split('.')).toHaveLength(1);
  });
});
