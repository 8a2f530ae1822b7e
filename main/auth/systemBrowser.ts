// The one place Cordon hands a URL to the OS: the IdP's authorization or end-session URL,
// built by main from the signed policy's issuer, for system-browser sign-in. Page input
// never reaches here (hosted pages cannot call into main), and only https or loopback
// http URLs pass.
import type { Shell } from 'electron';

export function openInSystemBrowser(shell: Pick<Shell, 'openExternal'>, url: string): Promise<void> {
  const parsed = new URL(url);
  const loopback = parsed.protocol === 'http:' && parsed.hostname === '127.0.0.1';
  if (parsed.protocol !== 'https:' && !loopback) return Promise.reject(new Error(`refusing to open ${parsed.protocol} URL in the system browser`));
  // eslint-disable-next-line no-restricted-properties -- the IdP URL from the signed policy, never page input (see above)
  return shell.openExternal(parsed.href, { activate: true });
}
