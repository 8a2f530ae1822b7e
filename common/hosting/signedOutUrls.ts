// The pages by which a hosted app shows it has signed the VA out (its login page, a
// "session expired" page), as the policy lists them: an origin of the app and a path in
// which `*` stands for any run of characters. The query and fragment of the page's
// address never count, so a pattern matches however the app decorates its login page.
import { originOf, parseUrl } from '../net/origin';

export interface SignedOutPattern {
  origin: string;
  path: RegExp;
}

const escapeRegExp = (text: string) => text.replace(/[.+?^${}()|[\]\\]/g, '\\$&');

/** The pattern as origin and path, or null when it is not one (no http(s) origin, `*` outside the path, a query or fragment). */
export function parseSignedOutPattern(pattern: string): SignedOutPattern | null {
  const url = parseUrl(pattern);
  const origin = originOf(pattern);
  if (url === null || origin === null || url.search !== '' || url.hash !== '' || pattern.includes('?') || pattern.includes('#')) return null;
  // The origin must be written out: a `*` may only stand in the path.
  if (!pattern.startsWith(`${origin}/`) || origin.includes('*')) return null;
  const path = url.pathname.split('*').map(escapeRegExp).join('.*');
  return { origin, path: new RegExp(`^${path}$`) };
}

/** Whether a page the app's top frame shows is one of its signed-out pages. */
export function isSignedOutPage(patterns: readonly string[], pageUrl: string): boolean {
  const page = parseUrl(pageUrl);
  if (page === null) return false;
  return patterns.some((pattern) => {
    const parsed = parseSignedOutPattern(pattern);
    return parsed !== null && parsed.origin === page.origin && parsed.path.test(page.pathname);
  });
}
