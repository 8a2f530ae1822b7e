// Pathname routing under /console/ with the History API: every view has a real address, so
// a deep link (a session at a minute) survives a reload and can be sent to a colleague. The
// collector serves index.html for every non-API path under /console/.
import { useEffect, useSyncExternalStore, type AnchorHTMLAttributes, type MouseEvent } from 'react';
import { CONSOLE_BASE } from '../common/console/consoleApi';

export interface Location {
  /** The path inside the console, always starting with '/': '/sessions', '/'. */
  path: string;
  search: URLSearchParams;
  /** Path and query as one string: a stable key for effects. */
  key: string;
}

const listeners = new Set<() => void>();
const subscribe = (listener: () => void) => {
  listeners.add(listener);
  window.addEventListener('popstate', listener);
  return () => {
    listeners.delete(listener);
    window.removeEventListener('popstate', listener);
  };
};
const snapshot = () => window.location.pathname + window.location.search;

/** Whether the page has moved since it loaded: views take focus only after a move. */
let navigated = false;
export const hasNavigated = () => navigated;

const consoleHref = (path: string) => `${CONSOLE_BASE}${path}`;

export function navigate(path: string, options: { replace?: boolean } = {}): void {
  const href = consoleHref(path);
  if (href === snapshot()) return;
  navigated = true;
  if (options.replace === true) window.history.replaceState(null, '', href);
  else window.history.pushState(null, '', href);
  window.scrollTo(0, 0);
  for (const listener of listeners) listener();
}

export function useLocation(): Location {
  const current = useSyncExternalStore(subscribe, snapshot);
  const url = new URL(current, window.location.origin);
  const inside = url.pathname.startsWith(CONSOLE_BASE) ? url.pathname.slice(CONSOLE_BASE.length) : url.pathname;
  return { path: inside.replace(/\/+$/, '') || '/', search: url.searchParams, key: current };
}

/** Back and forward count as moves too. */
export function useMarkNavigationOnPopState(): void {
  useEffect(() => {
    const mark = () => {
      navigated = true;
    };
    window.addEventListener('popstate', mark);
    return () => window.removeEventListener('popstate', mark);
  }, []);
}

type LinkProps = Omit<AnchorHTMLAttributes<HTMLAnchorElement>, 'href'> & { to: string };

/** An ordinary link (open in a new tab still works) that moves inside the page on a plain click. */
export function Link({ to, onClick, ...rest }: LinkProps) {
  const follow = (event: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(event);
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    navigate(to);
  };
  return <a href={consoleHref(to)} onClick={follow} {...rest} />;
}
