// Where the sign-in window may go, and how Cordon recognises the IdP's redirect back to
// it. One pure decision, used by the Electron sign-in window and the Chromium test host.
import { parseUrl } from '../net/origin';

/** Workspace mode: an https URL on a reserved name that never resolves (RFC 6761 .invalid). */
export const WORKSPACE_REDIRECT_URI = 'https://callback.cordon.invalid/oidc';
/** Where the IdP sends the browser after RP-initiated logout in workspace mode. */
export const WORKSPACE_POST_LOGOUT_URI = 'https://callback.cordon.invalid/signed-out';
/** System-browser mode (RFC 8252 §7.3): loopback IP literal; the port is chosen per attempt. */
export const LOOPBACK_REDIRECT_PATH = '/callback';

export type SignInNavigation = 'callback' | 'allow' | 'deny';

/** True when `url` is the redirect URI (same origin and path; the query carries the response). */
export function isRedirectCallback(url: string, redirectUri: string): boolean {
  const candidate = parseUrl(url);
  const expected = parseUrl(redirectUri);
  return candidate !== null && expected !== null && candidate.origin === expected.origin && candidate.pathname === expected.pathname;
}

export function signInNavigation(url: string, { redirectUris, allowedOrigins }: { redirectUris: readonly string[]; allowedOrigins: readonly string[] }): SignInNavigation {
  if (redirectUris.some((uri) => isRedirectCallback(url, uri))) return 'callback';
  const parsed = parseUrl(url);
  if (parsed === null || (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')) return 'deny';
  return allowedOrigins.includes(parsed.origin) ? 'allow' : 'deny';
}

/** What the sign-in window may reach: pages only on `navigation`; subresources there and on the IdP's asset origins. */
export interface SignInScope {
  navigation: readonly string[];
  request: readonly string[];
}

/**
 * The sign-in window's scope. The IdP's asset origins (policy identity.requestOrigins, its
 * CDNs) serve scripts and styles to its pages; they are never a place the window goes,
 * so signInNavigation is given `navigation` only.
 */
export function signInScope(navigation: readonly string[], assetOrigins: readonly string[]): SignInScope {
  return { navigation: [...new Set(navigation)], request: [...new Set([...navigation, ...assetOrigins])] };
}
