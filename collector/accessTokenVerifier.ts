// Verifies a practice IdP's access token for the collector's audience (zero-touch
// enrollment): signature against the IdP's published keys, issuer, audience, expiry.
// Only the subject leaves this module; the token is neither stored nor logged.
import { createRemoteJWKSet, errors, jwtVerify, type JWTVerifyGetKey } from 'jose';

export interface TrustedIssuer {
  /** Exactly as the IdP's discovery document and tokens spell it. */
  issuer: string;
  /** The `aud` the IdP puts in access tokens for the collector. */
  audience: string;
  /** Skips discovery when the IdP's JWKS address is known. */
  jwksUri?: string;
}

export type AccessTokenCheck =
  | { ok: true; subject: string }
  /** `unavailable`: the IdP's keys could not be fetched (not the token's fault). */
  | { ok: false; unavailable: boolean; reason: string };

export type AccessTokenVerifier = (token: string) => Promise<AccessTokenCheck>;

const FETCH_TIMEOUT_MS = 5_000;
// Asymmetric only: a shared-secret (HS*) token could be minted by anyone holding the secret.
const ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA', 'Ed25519'];

async function discoverJwksUri(issuer: string): Promise<URL> {
  const response = await fetch(`${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS), redirect: 'error' });
  if (!response.ok) throw new Error(`discovery answered HTTP ${response.status}`);
  const metadata = (await response.json()) as { issuer?: unknown; jwks_uri?: unknown };
  // An IdP that names another issuer is not the one we were told to trust (mix-up).
  if (metadata.issuer !== issuer) throw new Error('the discovery document names a different issuer');
  if (typeof metadata.jwks_uri !== 'string') throw new Error('the discovery document has no jwks_uri');
  return new URL(metadata.jwks_uri);
}

export function createAccessTokenVerifier(trusted: TrustedIssuer): AccessTokenVerifier {
  // Discovered once; a failed discovery is retried on the next enrollment.
  let keys: Promise<JWTVerifyGetKey> | null = null;
  const keySet = (): Promise<JWTVerifyGetKey> => {
    keys ??= (trusted.jwksUri === undefined ? discoverJwksUri(trusted.issuer) : Promise.resolve(new URL(trusted.jwksUri)))
      .then((url) => createRemoteJWKSet(url, { timeoutDuration: FETCH_TIMEOUT_MS }))
      .catch((error: unknown) => {
        keys = null;
        throw error;
      });
    return keys;
  };

  return async (token) => {
    let getKey: JWTVerifyGetKey;
    try {
      getKey = await keySet();
    } catch (error) {
      return { ok: false, unavailable: true, reason: `the identity provider's keys could not be found (${error instanceof Error ? error.message : 'error'})` };
    }
    try {
      const { payload } = await jwtVerify(token, getKey, { issuer: trusted.issuer, audience: trusted.audience, algorithms: ALGORITHMS, requiredClaims: ['exp', 'sub'] });
      return { ok: true, subject: payload.sub as string };
    } catch (error) {
      if (error instanceof errors.JOSEError && !(error instanceof errors.JWKSTimeout)) return { ok: false, unavailable: false, reason: `the access token was refused (${error.message})` };
      return { ok: false, unavailable: true, reason: "the identity provider's keys could not be fetched" };
    }
  };
}
