// Sign-in, re-authentication, renewal and sign-out. Owns the tokens (they never leave
// main) and exposes only the Identity. Every outcome is audited; a refusal carries a
// specific AuthError code and a message the VA can act on.
import { AuthError } from '../../common/auth/authErrors';
import { identityFromClaims, type Identity } from '../../common/auth/identity';
import { assessMfa, type MfaRequirement } from '../../common/auth/mfaRequirement';
import type { AuditSink } from '../../common/audit/auditSink';
import type { OidcClient, OidcSettings, PendingAuthorization, TokenSet } from './oidcClient';
import type { TokenVault } from './tokenVault';

/** One sign-in attempt's way to show the IdP to the user and catch its redirect back. */
export interface RedirectChannel {
  redirectUri: string;
  /** Resolves with the callback URL; rejects with AuthError('cancelled') if the user gives up. */
  run(authorizationUrl: string): Promise<string>;
  dispose(): void;
}

export interface SignInDependencies {
  settings: OidcSettings & { rolesClaim: string; mfa: MfaRequirement };
  connect: (settings: OidcSettings) => Promise<OidcClient>;
  openChannel: () => Promise<RedirectChannel>;
  vault: TokenVault;
  audit: AuditSink;
  /** Ends the IdP session (RP-initiated logout) by visiting its end-session URL. */
  endIdpSession: (url: string) => Promise<void>;
  /** Clears cookies, storage and caches of every hosted session. */
  wipeSessions: () => Promise<void>;
  /** Where the IdP returns after logout; null to let the IdP show its own page. */
  postLogoutRedirectUri: string | null;
  setTimer?: (callback: () => void, ms: number) => { cancel(): void };
}

/** Renew this long before the access token expires. */
const RENEW_MARGIN_MS = 60_000;

const defaultTimer = (callback: () => void, ms: number) => {
  const handle = setTimeout(callback, Math.max(ms, 1_000));
  handle.unref?.();
  return { cancel: () => clearTimeout(handle) };
};

export class SignInService {
  private current: { identity: Identity; tokens: TokenSet; client: OidcClient } | null = null;
  private renewal: { cancel(): void } | null = null;
  private refreshGrants: Promise<unknown> = Promise.resolve();

  constructor(private readonly deps: SignInDependencies) {}

  get identity(): Identity | null {
    return this.current?.identity ?? null;
  }

  /** Full sign-in: PKCE code flow, token checks, MFA check, identity. */
  async signIn(): Promise<Identity> {
    try {
      const { identity, tokens, client } = await this.authenticate(false);
      await this.adopt(identity, tokens, client);
      this.deps.audit.record({ type: 'sign-in.succeeded', outcome: 'success', reason: identity.mfaMethods.join('+') || (identity.acr ?? 'unknown') });
      return identity;
    } catch (error) {
      throw this.refused('sign-in.failed', error);
    }
  }

  /** Unlock: a fresh login (max_age=0, prompt=login) by the same person only. */
  async reauthenticate(): Promise<Identity> {
    const signedIn = this.current;
    try {
      if (signedIn === null) throw new AuthError('no-session');
      const { identity, tokens, client } = await this.authenticate(true);
      if (identity.subject !== signedIn.identity.subject) throw new AuthError('wrong-user', 'the re-authenticated subject differs from the signed-in subject');
      await this.adopt(identity, tokens, client);
      this.deps.audit.record({ type: 'reauth.succeeded', outcome: 'success' });
      return identity;
    } catch (error) {
      throw this.refused('reauth.failed', error);
    }
  }

  /** Refreshes the tokens, keeping a rotated refresh token. */
  async renew(): Promise<void> {
    const signedIn = this.current;
    if (signedIn === null) return;
    try {
      const tokens = await this.refreshGrant(async (refreshToken) => {
        const renewed = await signedIn.client.refresh(refreshToken);
        return { result: renewed, refreshToken: renewed.refreshToken };
      });
      this.current = { ...signedIn, tokens: { ...tokens, refreshToken: null } };
      this.scheduleRenewal(tokens.accessTokenExpiresAt);
      this.deps.audit.record({ type: 'session.renewed', outcome: 'success' });
    } catch (error) {
      const code = error instanceof AuthError ? error.code : 'idp-error';
      this.deps.audit.record({ type: 'session.renewal-failed', outcome: 'failure', reason: code });
    }
  }

  /**
   * An access token for another audience (RFC 8707 resource indicator), e.g. the audit
   * collector's to enroll this device. Handed to the caller, never kept or logged here.
   */
  async resourceAccessToken(resource: string): Promise<string> {
    const signedIn = this.current;
    if (signedIn === null) throw new AuthError('no-session');
    return this.refreshGrant(async (refreshToken) => {
      const issued = await signedIn.client.resourceAccessToken(refreshToken, resource);
      return { result: issued.accessToken, refreshToken: issued.refreshToken };
    });
  }

  /**
   * At start-up: a refresh token left on disk by a run that crashed or was killed is
   * revoked and forgotten. Cordon does not resume a session across restarts (the
   * practice session's cookies were in memory); the VA signs in again, with MFA.
   */
  async revokeLeftover(): Promise<boolean> {
    const leftover = await this.deps.vault.getRefreshToken();
    if (leftover === null || this.current !== null) return false;
    await this.deps.vault.clear();
    const revoked = await this.deps
      .connect(this.deps.settings)
      .then((client) => client.revoke(leftover))
      .catch(() => false);
    this.deps.audit.record({ type: 'sign-out', outcome: revoked ? 'success' : 'failure', reason: 'leftover-session-revoked' });
    return revoked;
  }

  /** Sign-out: revoke, end the IdP session, wipe every hosted session, forget the tokens. */
  async signOut(): Promise<void> {
    const signedIn = this.current;
    this.current = null;
    this.renewal?.cancel();
    this.renewal = null;
    const refreshToken = await this.deps.vault.getRefreshToken();
    await this.deps.vault.clear();
    if (signedIn !== null) {
      const revoked = await Promise.all([
        refreshToken === null ? Promise.resolve(false) : signedIn.client.revoke(refreshToken),
        signedIn.client.revoke(signedIn.tokens.accessToken),
      ]);
      const endSession = signedIn.client.endSessionUrl(signedIn.tokens.idToken, this.deps.postLogoutRedirectUri);
      if (endSession !== null) await this.deps.endIdpSession(endSession).catch(() => undefined);
      this.deps.audit.record({ type: 'sign-out', outcome: 'success', reason: `revoked:${revoked.filter(Boolean).length}${endSession === null ? '' : ' idp-logout'}` });
    }
    // Wiped even when nobody was signed in: fail closed on leftovers.
    await this.deps.wipeSessions();
  }

  /**
   * Runs refresh grants one at a time, each keeping the refresh token the IdP rotated to
   * (the old one unless it sent a new one): two at once would present the same token twice.
   */
  private refreshGrant<T>(grant: (refreshToken: string) => Promise<{ result: T; refreshToken: string | null }>): Promise<T> {
    const run = this.refreshGrants.then(async () => {
      const refreshToken = await this.deps.vault.getRefreshToken();
      if (refreshToken === null) throw new AuthError('no-session', 'no refresh token');
      const { result, refreshToken: rotated } = await grant(refreshToken);
      await this.deps.vault.setRefreshToken(rotated ?? refreshToken);
      return result;
    });
    this.refreshGrants = run.catch(() => undefined);
    return run;
  }

  private async authenticate(forceFresh: boolean): Promise<{ identity: Identity; tokens: TokenSet; client: OidcClient }> {
    const client = await this.deps.connect(this.deps.settings);
    const channel = await this.deps.openChannel();
    let pending: PendingAuthorization;
    let callbackUrl: string;
    try {
      pending = await client.beginAuthorization({ redirectUri: channel.redirectUri, forceFresh });
      callbackUrl = await channel.run(pending.url);
    } finally {
      channel.dispose();
    }
    const tokens = await client.completeAuthorization(callbackUrl, pending);
    const mfa = assessMfa(tokens.claims, this.deps.settings.mfa);
    if (!mfa.ok) {
      // The session the IdP issued must not linger: revoke what we were given.
      await Promise.all([client.revoke(tokens.accessToken), tokens.refreshToken === null ? Promise.resolve(false) : client.revoke(tokens.refreshToken)]);
      throw new AuthError('mfa-missing', mfa.reason);
    }
    let identity: Identity;
    try {
      identity = identityFromClaims(tokens.claims, this.deps.settings.rolesClaim);
    } catch (error) {
      throw new AuthError('id-token-invalid', error instanceof Error ? error.message : 'bad claims');
    }
    return { identity, tokens, client };
  }

  private async adopt(identity: Identity, tokens: TokenSet, client: OidcClient): Promise<void> {
    await this.deps.vault.setRefreshToken(tokens.refreshToken);
    // The refresh token lives only in the vault.
    this.current = { identity, tokens: { ...tokens, refreshToken: null }, client };
    this.scheduleRenewal(tokens.accessTokenExpiresAt);
  }

  private scheduleRenewal(expiresAt: number): void {
    this.renewal?.cancel();
    const timer = this.deps.setTimer ?? defaultTimer;
    this.renewal = timer(() => void this.renew(), expiresAt - Date.now() - RENEW_MARGIN_MS);
  }

  private refused(type: 'sign-in.failed' | 'reauth.failed', error: unknown): AuthError {
    const authError = error instanceof AuthError ? error : new AuthError('idp-error', error instanceof Error ? error.message : String(error));
    this.deps.audit.record({ type, outcome: 'failure', reason: authError.code });
    return authError;
  }
}
