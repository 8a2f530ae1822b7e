// Sign-in is a full-page trip to the practice IdP and back to /console/; the page a person
// was opening (a deep link to a session at a minute) is kept for that one tab meanwhile.
import { CONSOLE_AUTH_PATHS, CONSOLE_BASE } from '../common/console/consoleApi';

const RETURN_KEY = 'cordon.console.returnTo';

export function rememberWhereTo(): void {
  const here = window.location.pathname + window.location.search;
  if (here.startsWith(`${CONSOLE_BASE}/`) && !here.startsWith(CONSOLE_AUTH_PATHS.signedOut)) window.sessionStorage.setItem(RETURN_KEY, here);
}

/** The remembered path inside the console (once), or null. */
export function takeWhereTo(): string | null {
  const saved = window.sessionStorage.getItem(RETURN_KEY);
  window.sessionStorage.removeItem(RETURN_KEY);
  // Only a path inside the console: never a place another origin could name.
  return saved !== null && saved.startsWith(`${CONSOLE_BASE}/`) && !saved.startsWith('//') ? saved.slice(CONSOLE_BASE.length) : null;
}
