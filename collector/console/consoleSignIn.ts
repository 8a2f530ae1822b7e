// The console as a relying party of the practice IdP (openid-client 6): Authorization
// Code with PKCE (S256), fresh state and nonce, issuer checks (RFC 9207 `iss` too), the
// ID token's signature verified against the IdP's keys, and MFA required by the same
// rule the desktop applies (common/auth/mfaRequirement). Roles come from the policy-named
// claim (common/auth/identity).
import * as oidc from 'openid-client';
import { assessMfa, type MfaRequirement } from '../../common/auth/mfaRequirement';
import { identityFromClaims } from '../../common/auth/identity';
import { CONSOLE_ROLES, type ConsoleRole } from '../../common/console/consoleApi';
import type { ConsoleUser } from './consoleSessions';

export interface ConsoleOidcConfig {
  issuer: string;
  clientId: string;
  /** A confidential client: the secret stays in the collector. */
  clientSecret: string;
  scopes?: string[];
  mfa: MfaRequirement;
  rolesClaim: string;
  /** Only for an issuer on http://127.0.0.1 (the demo and tests). */
  allowInsecureLoopback?: boolean;
}

export type SignInOutcome =
  | { ok: true; user: ConsoleUser; idToken: string }
  | { ok: false; code: 'sign-in-failed' | 'mfa-missing' | 'no-console-role' | 'idp-unreachable'; detail: string; subject?: string; idToken?: string };

const DEFAULT_SCOPES = ['openid', 'profile', 'email', 'roles'];

function errorCode(error: unknown): string {
  const code = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : '';
  return code === '' ? (error instanceof Error ? error.name : 'error') : code;
}

export class ConsoleSignIn {
  private configuration: Promise<oidc.Configuration> | null = null;

  constructor(private readonly settings: ConsoleOidcConfig) {
    const url = new URL(settings.issuer);
    if (url.protocol !== 'https:' && !(settings.allowInsecureLoopback === true && url.hostname === '127.0.0.1')) {
      throw new Error(`the console's IdP must be https (got ${url.origin})`);
    }
  }

  /** Discovered on first use and again after a failure: the IdP may be down at start. */
  private config(): Promise<oidc.Configuration> {
    this.configuration ??= oidc
      .discovery(new URL(this.settings.issuer), this.settings.clientId, { client_secret: this.settings.clientSecret }, oidc.ClientSecretBasic(this.settings.clientSecret), {
        execute: this.settings.allowInsecureLoopback === true ? [oidc.allowInsecureRequests] : [],
        timeout: 10,
      })
      .then((config) => {
        // openid-client trusts TLS for ID tokens from the token endpoint; check the JWS too.
        oidc.enableNonRepudiationChecks(config);
        return config;
      })
      .catch((error: unknown) => {
        this.configuration = null;
        throw error;
      });
    return this.configuration;
  }

  async authorizationUrl(redirectUri: string): Promise<{ url: string; state: string; nonce: string; codeVerifier: string }> {
    const config = await this.config();
    const codeVerifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    const parameters: Record<string, string> = {
      redirect_uri: redirectUri,
      scope: (this.settings.scopes ?? DEFAULT_SCOPES).join(' '),
      response_type: 'code',
      code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
      state,
      nonce,
    };
    const supported = config.serverMetadata().acr_values_supported ?? [];
    const acr = this.settings.mfa.acrValues.filter((value) => supported.includes(value));
    if (acr.length > 0) parameters.acr_values = acr.join(' ');
    return { url: oidc.buildAuthorizationUrl(config, parameters).href, state, nonce, codeVerifier };
  }

  async complete(callbackUrl: URL, expected: { state: string; nonce: string; codeVerifier: string }): Promise<SignInOutcome> {
    let tokens: oidc.TokenEndpointResponse & oidc.TokenEndpointResponseHelpers;
    try {
      tokens = await oidc.authorizationCodeGrant(await this.config(), callbackUrl, {
        pkceCodeVerifier: expected.codeVerifier,
        expectedState: expected.state,
        expectedNonce: expected.nonce,
        idTokenExpected: true,
      });
    } catch (error) {
      const code = errorCode(error);
      const unreachable = error instanceof TypeError || /fetch failed|ECONNREFUSED|timed? ?out|aborted/i.test(error instanceof Error ? error.message : '');
      return { ok: false, code: unreachable ? 'idp-unreachable' : 'sign-in-failed', detail: code };
    }
    const claims = tokens.claims();
    const idToken = tokens.id_token;
    if (claims === undefined || idToken === undefined) return { ok: false, code: 'sign-in-failed', detail: 'no ID token' };
    let identity;
    try {
      identity = identityFromClaims({ ...claims }, this.settings.rolesClaim);
    } catch {
      return { ok: false, code: 'sign-in-failed', detail: 'ID token claims are incomplete', subject: claims.sub, idToken };
    }
    const mfa = assessMfa({ acr: claims.acr, amr: claims.amr }, this.settings.mfa);
    if (!mfa.ok) return { ok: false, code: 'mfa-missing', detail: mfa.reason, subject: identity.subject, idToken };
    const roles = identity.roles.filter((role): role is ConsoleRole => (CONSOLE_ROLES as readonly string[]).includes(role));
    if (roles.length === 0) return { ok: false, code: 'no-console-role', detail: `roles [${identity.roles.join(',')}]`, subject: identity.subject, idToken };
    return { ok: true, user: { subject: identity.subject, name: identity.name, email: identity.email, roles, mfa: mfa.proof }, idToken };
  }

  /** RP-initiated logout at the IdP, or null where the IdP offers none (or is unreachable). */
  async endSessionUrl(idToken: string, postLogoutRedirectUri: string): Promise<string | null> {
    try {
      const config = await this.config();
      if (config.serverMetadata().end_session_endpoint === undefined) return null;
      return oidc.buildEndSessionUrl(config, { id_token_hint: idToken, post_logout_redirect_uri: postLogoutRedirectUri }).href;
    } catch {
      return null;
    }
  }
}
