// The OIDC relying party: Authorization Code + PKCE (S256) with a fresh state and nonce
// per attempt, on openid-client, which checks issuer, audience, signature, expiry, nonce,
// state and max_age. Every failure becomes an AuthError with a specific code.
import * as oidc from 'openid-client';
import { AuthError, type AuthErrorCode } from '../../common/auth/authErrors';

export interface OidcSettings {
  issuer: string;
  clientId: string;
  scopes: readonly string[];
  /** acr values to request (step-up), where the IdP supports them. */
  acrValues: readonly string[];
  /** Policy limit on the age of the authentication, in seconds. */
  maxAuthAgeSeconds?: number;
  /** Only for demo policies on 127.0.0.1: openid-client otherwise refuses http. */
  allowInsecureLoopback: boolean;
}

export interface OidcTestHooks {
  /** Replaces fetch for every request openid-client makes (tests tamper with responses). */
  fetch?: oidc.CustomFetch;
  /** Pretends the device clock is off by this many seconds (positive: ahead of the IdP). */
  clockSkewSeconds?: number;
}

export interface PendingAuthorization {
  url: string;
  redirectUri: string;
  state: string;
  nonce: string;
  codeVerifier: string;
  maxAge?: number;
}

export interface TokenSet {
  idToken: string;
  accessToken: string;
  refreshToken: string | null;
  /** Epoch milliseconds at which the access token expires. */
  accessTokenExpiresAt: number;
  claims: Record<string, unknown>;
}

function errorText(error: unknown): string {
  return error instanceof Error ? `${error.message}${error.cause instanceof Error ? ` (${error.cause.message})` : ''}` : String(error);
}

/** Maps an openid-client / oauth4webapi error to what went wrong, for audit and the VA. */
export function classifyOidcError(error: unknown): AuthError {
  if (error instanceof AuthError) return error;
  const code = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : '';
  const cause = typeof error === 'object' && error !== null && 'cause' in error ? (error.cause as Record<string, unknown> | undefined) : undefined;
  const claim = typeof cause?.claim === 'string' ? cause.claim : undefined;
  // oauth4webapi puts the specific reason in the cause's message: match on both.
  const detail = errorText(error);
  const message = detail;
  const as = (c: AuthErrorCode) => new AuthError(c, detail);

  if (code === 'OAUTH_RESPONSE_BODY_ERROR') {
    const body = cause as { error?: string } | undefined;
    return as(body?.error === 'invalid_grant' ? 'code-rejected' : 'idp-error');
  }
  if (code === 'OAUTH_AUTHORIZATION_RESPONSE_ERROR') return as('idp-error');
  if (claim === 'nonce' || /"nonce"/.test(message)) return as('nonce-mismatch');
  if (claim === 'iss' || /"iss"|issuer/i.test(message)) return as('issuer-mismatch');
  if (claim === 'auth_time' || /auth_time|max_age/i.test(message)) return as('authentication-too-old');
  if (code === 'OAUTH_JWT_TIMESTAMP_CHECK_FAILED') return as('id-token-expired');
  if (/"state"/.test(message)) return as('state-mismatch');
  if (/signature/i.test(message) || code === 'OAUTH_KEY_SELECTION_FAILED' || claim === 'aud' || claim === 'azp') return as('id-token-invalid');
  if (code === 'OAUTH_INVALID_SERVER_METADATA' || code === 'OAUTH_MISSING_SERVER_METADATA' || code === 'OAUTH_UNSUPPORTED_OPERATION') return as('idp-misconfigured');
  if (error instanceof TypeError || /fetch failed|ECONNREFUSED|ENOTFOUND|timed? ?out|aborted/i.test(detail)) return as('idp-unreachable');
  return as('id-token-invalid');
}

export class OidcClient {
  private constructor(
    private readonly config: oidc.Configuration,
    private readonly settings: OidcSettings,
  ) {}

  /** Discovers the IdP. Done per sign-in attempt, so an IdP that was down can come back. */
  static async connect(settings: OidcSettings, hooks: OidcTestHooks = {}): Promise<OidcClient> {
    const execute = settings.allowInsecureLoopback ? [oidc.allowInsecureRequests] : [];
    let config: oidc.Configuration;
    try {
      const metadata: Partial<oidc.ClientMetadata> = { token_endpoint_auth_method: 'none' };
      if (hooks.clockSkewSeconds !== undefined) metadata[oidc.clockSkew] = hooks.clockSkewSeconds;
      config = await oidc.discovery(new URL(settings.issuer), settings.clientId, metadata, oidc.None(), {
        execute,
        timeout: 15,
        ...(hooks.fetch === undefined ? {} : { [oidc.customFetch]: hooks.fetch }),
      });
    } catch (error) {
      const classified = classifyOidcError(error);
      throw classified.code === 'id-token-invalid' ? new AuthError('idp-misconfigured', classified.detail) : classified;
    }
    if (hooks.fetch !== undefined) config[oidc.customFetch] = hooks.fetch;
    // openid-client trusts TLS for ID tokens from the token endpoint by default; Cordon
    // verifies their JWS signature against the IdP's keys as well (tamper evidence).
    oidc.enableNonRepudiationChecks(config);
    const metadata = config.serverMetadata();
    if (metadata.code_challenge_methods_supported?.includes('S256') === false) {
      throw new AuthError('idp-misconfigured', 'the IdP does not support PKCE S256');
    }
    return new OidcClient(config, settings);
  }

  /** Whether the IdP says it can honour acr_values (step-up). */
  supportsAcrValues(): boolean {
    const supported = this.config.serverMetadata().acr_values_supported ?? [];
    return this.settings.acrValues.some((value) => supported.includes(value));
  }

  async beginAuthorization({ redirectUri, forceFresh = false }: { redirectUri: string; forceFresh?: boolean }): Promise<PendingAuthorization> {
    const codeVerifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    // Re-authentication (unlock) demands a fresh login: max_age=0 and prompt=login.
    const maxAge = forceFresh ? 0 : this.settings.maxAuthAgeSeconds;
    const parameters: Record<string, string> = {
      redirect_uri: redirectUri,
      scope: this.settings.scopes.join(' '),
      response_type: 'code',
      code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
      state,
      nonce,
    };
    if (maxAge !== undefined) parameters.max_age = String(maxAge);
    if (forceFresh) parameters.prompt = 'login';
    if (this.supportsAcrValues()) parameters.acr_values = this.settings.acrValues.join(' ');
    const url = oidc.buildAuthorizationUrl(this.config, parameters).href;
    return { url, redirectUri, state, nonce, codeVerifier, ...(maxAge === undefined ? {} : { maxAge }) };
  }

  async completeAuthorization(callbackUrl: string, pending: PendingAuthorization): Promise<TokenSet> {
    try {
      const tokens = await oidc.authorizationCodeGrant(this.config, new URL(callbackUrl), {
        pkceCodeVerifier: pending.codeVerifier,
        expectedState: pending.state,
        expectedNonce: pending.nonce,
        idTokenExpected: true,
        ...(pending.maxAge === undefined ? {} : { maxAge: pending.maxAge }),
      });
      return this.tokenSet(tokens);
    } catch (error) {
      throw classifyOidcError(error);
    }
  }

  async refresh(refreshToken: string): Promise<TokenSet> {
    try {
      return this.tokenSet(await oidc.refreshTokenGrant(this.config, refreshToken));
    } catch (error) {
      throw classifyOidcError(error);
    }
  }

  /**
   * An access token for another audience (an RFC 8707 resource indicator, e.g. the audit
   * collector) through a refresh grant. The IdP may rotate the refresh token: keep the new one.
   */
  async resourceAccessToken(refreshToken: string, resource: string): Promise<{ accessToken: string; refreshToken: string | null }> {
    try {
      const tokens = await oidc.refreshTokenGrant(this.config, refreshToken, { resource });
      return { accessToken: tokens.access_token, refreshToken: tokens.refresh_token ?? null };
    } catch (error) {
      throw classifyOidcError(error);
    }
  }

  async revoke(token: string): Promise<boolean> {
    if (this.config.serverMetadata().revocation_endpoint === undefined) return false;
    try {
      await oidc.tokenRevocation(this.config, token);
      return true;
    } catch {
      return false;
    }
  }

  /** RP-initiated logout URL, or null where the IdP offers none. */
  endSessionUrl(idTokenHint: string, postLogoutRedirectUri: string | null): string | null {
    if (this.config.serverMetadata().end_session_endpoint === undefined) return null;
    const parameters: Record<string, string> = { id_token_hint: idTokenHint };
    if (postLogoutRedirectUri !== null) parameters.post_logout_redirect_uri = postLogoutRedirectUri;
    return oidc.buildEndSessionUrl(this.config, parameters).href;
  }

  private tokenSet(tokens: oidc.TokenEndpointResponse & oidc.TokenEndpointResponseHelpers): TokenSet {
    const claims = tokens.claims();
    if (claims === undefined || tokens.id_token === undefined) throw new AuthError('id-token-invalid', 'no ID token in the token response');
    return {
      idToken: tokens.id_token,
      accessToken: tokens.access_token,
      refreshToken: tokens.refresh_token ?? null,
      accessTokenExpiresAt: Date.now() + (tokens.expiresIn() ?? 300) * 1000,
      claims: { ...claims },
    };
  }
}
