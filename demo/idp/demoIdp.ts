// The demo identity provider: a real OpenID Provider (oidc-provider) on 127.0.0.1 with
// a password step and a real TOTP step. `amr` and `acr` say what the user actually did:
// ["pwd","otp"] and the MFA acr after a TOTP code, ["pwd"] for the user without MFA.
// Like Entra or Okta, it serves its pages' stylesheet from a second origin (its "CDN", a
// second server on 127.0.0.1), so Cordon's sign-in window must allow that origin for
// subresources (policy identity.requestOrigins) without ever navigating there.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider, { errors, type Configuration, type KoaContextWithOIDC } from 'oidc-provider';
import { createMemoryAdapter } from 'oidc-provider/lib/adapters/memory_adapter.js';
import { verify as verifyTotp } from 'otplib';
import { COLLECTOR_AUDIENCE } from '../../common/audit/collectorAudience';
import { WORKSPACE_POST_LOGOUT_URI, WORKSPACE_REDIRECT_URI } from '../../common/auth/signInNavigation';
import { DEMO_APP_CLIENTS } from '../apps/demoApps';
import { escapeHtml, readForm } from '../httpHelpers';
import { DEMO_ACR, DEMO_USERS, type DemoUser } from './demoUsers';

export const DEMO_CLIENT_ID = 'cordon-desktop';
/** The collector's console: a confidential web client (its secret never leaves the server). */
export const DEMO_CONSOLE_CLIENT = { clientId: 'cordon-console', clientSecret: 'demo-console-secret-not-for-production' } as const;
/** Where the console receives the code: loopback, any port (the collector's). */
export const CONSOLE_REDIRECT_URI = 'http://127.0.0.1/console/auth/callback';
export const CONSOLE_POST_LOGOUT_URI = 'http://127.0.0.1/console/signed-out';
/** System-browser mode (RFC 8252): loopback, any port. */
export const LOOPBACK_REDIRECT_URI = 'http://127.0.0.1/callback';

/** oidc-provider's default, stated because the demo's token store needs it too. */
const CLOCK_TOLERANCE_SECONDS = 15;

export interface DemoIdpOptions {
  port?: number;
  /** The asset server's port; by default the next port after a fixed `port` (4401 for the demo's 4400), else any. */
  assetsPort?: number;
  ttl?: Partial<Record<'IdToken' | 'AccessToken' | 'RefreshToken', number>>;
}

export interface DemoIdp {
  issuer: string;
  /** The second origin the sign-in pages load their stylesheet from. */
  assetsOrigin: string;
  provider: Provider;
  close: () => Promise<void>;
}

/** The sign-in pages' look: plain, readable, and labelled as a demo. */
export const DEMO_IDP_STYLESHEET = `:root { --sunrise-idp-styled: 1; color-scheme: light; }
body { margin: 0; min-height: 100vh; display: grid; place-items: center; background: #f3f5f7; color: #1d2733; font: 16px/1.5 "DejaVu Sans", Arial, sans-serif; }
main { width: min(24rem, calc(100vw - 2rem)); background: #fff; border: 1px solid #d5dbe1; border-radius: 8px; padding: 2rem; box-shadow: 0 1px 3px rgba(0, 0, 0, 0.08); }
h1 { font-size: 1.35rem; margin: 0 0 1.25rem; }
label { display: block; margin: 0 0 1rem; font-weight: 600; }
input { display: block; box-sizing: border-box; width: 100%; margin-top: 0.3rem; padding: 0.55rem 0.65rem; font: inherit; border: 1px solid #8a96a3; border-radius: 4px; }
input:focus { outline: 3px solid #9cc3ef; border-color: #1f5f9e; }
button { width: 100%; padding: 0.65rem; font: inherit; font-weight: 600; color: #fff; background: #1f5f9e; border: 0; border-radius: 4px; cursor: pointer; }
button:hover { background: #174a7c; }
[role="alert"] { padding: 0.6rem 0.75rem; background: #fdecea; color: #8a1c12; border-radius: 4px; }
.demo-label { margin: 1.5rem 0 0; font-size: 0.8rem; color: #56606b; text-align: center; }
`;

function page(title: string, body: string, assetsOrigin: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)}</title><link rel="stylesheet" href="${escapeHtml(assetsOrigin)}/sunrise-idp.css"></head><body><main><h1>${escapeHtml(title)}</h1>${body}<p class="demo-label">Sunrise demo identity provider · demo only, not for real patients or passwords</p></main></body></html>`;
}

function form(assetsOrigin: string, uid: string, step: 'password' | 'totp', error?: string): string {
  const alert = error === undefined ? '' : `<p role="alert">${escapeHtml(error)}</p>`;
  const fields =
    step === 'password'
      ? '<label>Username <input name="username" autocomplete="username" required></label><label>Password <input name="password" type="password" autocomplete="current-password" required></label>'
      : '<label>Authenticator code <input name="code" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9]{6}" required></label>';
  return page(step === 'password' ? 'Sign in to Sunrise' : 'Enter your authenticator code', `${alert}<form method="post" action="/interaction/${escapeHtml(uid)}/${step}">${fields}<button type="submit">Continue</button></form>`, assetsOrigin);
}

function sendHtml(res: ServerResponse, status: number, html: string): void {
  res.writeHead(status, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(html);
}

async function listen(server: Server, port: number): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

export async function startDemoIdp({ port = 0, assetsPort = port === 0 ? 0 : port + 1, ttl = {} }: DemoIdpOptions = {}): Promise<DemoIdp> {
  // Listen first: the issuer must carry the real port.
  const server: Server = createServer();
  const issuer = await listen(server, port);
  // The asset origin serves the stylesheet and nothing else.
  const assets: Server = createServer((req, res) => {
    if (req.method === 'GET' && new URL(req.url ?? '/', issuer).pathname === '/sunrise-idp.css') {
      res.writeHead(200, { 'Content-Type': 'text/css; charset=utf-8', 'Cache-Control': 'no-store' }).end(DEMO_IDP_STYLESHEET);
      return;
    }
    res.writeHead(404).end();
  });
  const assetsOrigin = await listen(assets, assetsPort);
  const htmlPage = (title: string, body: string) => page(title, body, assetsOrigin);
  const users = new Map(DEMO_USERS.map((u) => [u.subject, u]));
  // Users who passed the password step of an interaction, awaiting their TOTP code.
  const passwordPassed = new Map<string, DemoUser>();

  const configuration: Configuration = {
    // In memory on purpose (the demo keeps no state across restarts). Named explicitly, so
    // oidc-provider does not warn on every start that its default adapter is in use.
    clockTolerance: CLOCK_TOLERANCE_SECONDS,
    adapter: createMemoryAdapter(CLOCK_TOLERANCE_SECONDS),
    clients: [
      {
        client_id: DEMO_CLIENT_ID,
        application_type: 'native',
        token_endpoint_auth_method: 'none',
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        redirect_uris: [WORKSPACE_REDIRECT_URI, LOOPBACK_REDIRECT_URI],
        post_logout_redirect_uris: [WORKSPACE_POST_LOGOUT_URI, LOOPBACK_REDIRECT_URI],
      },
      // The demo EHR and messaging apps sign in through this IdP too (single sign-on).
      // Registered as loopback clients so they may run on any 127.0.0.1 port.
      ...Object.values(DEMO_APP_CLIENTS).map((app) => ({
        client_id: app.clientId,
        client_secret: app.clientSecret,
        application_type: 'native' as const,
        token_endpoint_auth_method: 'client_secret_basic' as const,
        grant_types: ['authorization_code'],
        response_types: ['code' as const],
        redirect_uris: ['http://127.0.0.1/callback'],
      })),
      {
        client_id: DEMO_CONSOLE_CLIENT.clientId,
        client_secret: DEMO_CONSOLE_CLIENT.clientSecret,
        application_type: 'native',
        token_endpoint_auth_method: 'client_secret_basic',
        grant_types: ['authorization_code'],
        response_types: ['code'],
        redirect_uris: [CONSOLE_REDIRECT_URI],
        post_logout_redirect_uris: [CONSOLE_POST_LOGOUT_URI],
      },
    ],
    pkce: { required: () => true },
    scopes: ['openid', 'offline_access', 'profile', 'email', 'roles'],
    claims: { openid: ['sub', 'amr', 'acr', 'auth_time'], profile: ['name'], email: ['email', 'email_verified'], roles: ['roles'] },
    // Put scope claims in the ID token: Cordon reads identity from it, not from userinfo.
    conformIdTokenClaims: false,
    acrValues: [DEMO_ACR.mfa, DEMO_ACR.password],
    cookies: { keys: [randomBytes(32).toString('hex')] },
    // A fresh RSA signing key per start (the demo IdP keeps no state across restarts).
    jwks: { keys: [{ ...generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' }), kid: `demo-${randomBytes(4).toString('hex')}`, use: 'sig', alg: 'RS256' }] },
    ttl: { IdToken: ttl.IdToken ?? 3600, AccessToken: ttl.AccessToken ?? 600, RefreshToken: ttl.RefreshToken ?? 8 * 3600, Session: 8 * 3600, Grant: 8 * 3600, Interaction: 600 },
    issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed('refresh_token'),
    rotateRefreshToken: true,
    features: {
      devInteractions: { enabled: false },
      // A client may revoke only tokens issued to itself.
      revocation: { enabled: true, allowedPolicy: async (_ctx, client, token) => token.clientId === client.clientId },
      rpInitiatedLogout: { enabled: true },
      // The audit collector is a resource server (RFC 8707): Cordon's grants always include
      // it, so Cordon can later ask (refresh grant with resource=urn:cordon:collector) for a
      // signed JWT access token whose audience is the collector, to enroll the device.
      // Without a `resource` parameter the code exchange still yields the usual opaque
      // userinfo token (useGrantedResource stays false).
      resourceIndicators: {
        enabled: true,
        defaultResource: async (_ctx, client, oneOf) => oneOf ?? (client?.clientId === DEMO_CLIENT_ID ? COLLECTOR_AUDIENCE : undefined),
        getResourceServerInfo: async (_ctx, resource, client) => {
          if (resource !== COLLECTOR_AUDIENCE || client.clientId !== DEMO_CLIENT_ID) throw new errors.InvalidTarget();
          return { scope: 'audit:enroll', audience: COLLECTOR_AUDIENCE, accessTokenFormat: 'jwt', jwt: { sign: { alg: 'RS256' } } };
        },
        useGrantedResource: async () => false,
      },
    },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    findAccount: (_ctx: KoaContextWithOIDC, sub: string) => {
      const user = users.get(sub);
      if (user === undefined) return undefined;
      return {
        accountId: sub,
        claims: () => ({ sub, name: user.name, email: user.email, email_verified: true, roles: user.roles }),
      };
    },
  };
  const provider = new Provider(issuer, configuration);

  const finishLogin = async (req: IncomingMessage, res: ServerResponse, user: DemoUser, withOtp: boolean) => {
    await provider.interactionFinished(req, res, {
      login: { accountId: user.subject, amr: withOtp ? ['pwd', 'otp'] : ['pwd'], acr: withOtp ? DEMO_ACR.mfa : DEMO_ACR.password },
    }, { mergeWithLastSubmission: false });
  };

  const interaction = async (req: IncomingMessage, res: ServerResponse, uid: string, step: string | undefined) => {
    const details = await provider.interactionDetails(req, res);
    if (details.uid !== uid) return sendHtml(res, 400, htmlPage('Sign-in expired', '<p>Start again from Cordon.</p>'));
    if (details.prompt.name === 'consent') {
      // Cordon and the demo apps are the practice's own clients: consent is implied by IT.
      const { accountId } = details.session ?? {};
      const clientId = String(details.params.client_id);
      if (accountId === undefined) return sendHtml(res, 400, htmlPage('Sign-in expired', '<p>Start again from Cordon.</p>'));
      const grant = details.grantId === undefined ? new provider.Grant({ accountId, clientId }) : await provider.Grant.find(details.grantId);
      if (grant === undefined) throw new Error('grant vanished');
      const missing = details.prompt.details as { missingOIDCScope?: string[]; missingOIDCClaims?: string[] };
      if (missing.missingOIDCScope !== undefined) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
      if (missing.missingOIDCClaims !== undefined) grant.addOIDCClaims(missing.missingOIDCClaims);
      const grantId = await grant.save();
      return provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
    }
    if (req.method === 'GET') return sendHtml(res, 200, form(assetsOrigin, uid, passwordPassed.has(uid) ? 'totp' : 'password'));
    const fields = await readForm(req, 16_384);
    if (step === 'password') {
      const user = DEMO_USERS.find((u) => u.username === fields.get('username'));
      if (user === undefined || user.password !== fields.get('password')) return sendHtml(res, 200, form(assetsOrigin, uid, 'password', 'Wrong username or password.'));
      if (user.totpSecret === null) return finishLogin(req, res, user, false);
      passwordPassed.set(uid, user);
      return sendHtml(res, 200, form(assetsOrigin, uid, 'totp'));
    }
    if (step === 'totp') {
      const user = passwordPassed.get(uid);
      if (user?.totpSecret == null) return sendHtml(res, 200, form(assetsOrigin, uid, 'password', 'Start with your password.'));
      const result = await verifyTotp({ secret: user.totpSecret, token: fields.get('code') ?? '', epochTolerance: [30, 0] });
      if (!result.valid) return sendHtml(res, 200, form(assetsOrigin, uid, 'totp', 'That code is not right. Try the current code.'));
      passwordPassed.delete(uid);
      return finishLogin(req, res, user, true);
    }
    return sendHtml(res, 404, htmlPage('Not found', ''));
  };

  const callback = provider.callback();
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const match = /^\/interaction\/([A-Za-z0-9_-]+)(?:\/(password|totp))?$/.exec(new URL(req.url ?? '/', issuer).pathname);
    if (match === null) {
      callback(req, res);
      return;
    }
    interaction(req, res, match[1] ?? '', match[2]).catch((error: unknown) => {
      if (!res.headersSent) sendHtml(res, 400, htmlPage('Sign-in could not continue', `<p>${escapeHtml(error instanceof Error ? error.message : 'error')}</p>`));
    });
  });

  return {
    issuer,
    assetsOrigin,
    provider,
    close: async () => {
      await Promise.all(
        [server, assets].map(
          (s) =>
            new Promise<void>((resolve) => {
              s.closeAllConnections();
              s.close(() => resolve());
            }),
        ),
      );
    },
  };
}
