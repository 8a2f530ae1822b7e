// Serves the shell renderer from the custom cordon://app scheme instead of file://, so
// the page has a real origin, a strict CSP on every response, and no file-system reach.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Protocol } from 'electron';

export const SHELL_SCHEME = 'cordon';
export const SHELL_HOST = 'app';
export const SHELL_ENTRY_URL = `${SHELL_SCHEME}://${SHELL_HOST}/index.html`;

/** The shell page may load only its own bundled files and may connect nowhere. */
export const SHELL_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'none'",
  "frame-src 'none'",
  "worker-src 'none'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};

export const SHELL_SECURITY_HEADERS: Record<string, string> = {
  'Content-Security-Policy': SHELL_CSP,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), display-capture=(), clipboard-read=()',
};

/** Maps a cordon://app URL to a file under `rootDir`, or null if it is not one we serve. */
export function resolveShellAsset(rootDir: string, requestUrl: string): { file: string; contentType: string } | null {
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return null;
  }
  if (url.protocol !== `${SHELL_SCHEME}:` || url.host !== SHELL_HOST) return null;
  let pathname: string;
  try {
    pathname = decodeURIComponent(url.pathname);
  } catch {
    return null;
  }
  if (pathname.includes('\0') || pathname.includes('\\')) return null;
  const relative = pathname === '/' ? 'index.html' : pathname.replace(/^\/+/, '');
  const root = path.resolve(rootDir);
  const file = path.resolve(root, relative);
  if (file !== root && !file.startsWith(root + path.sep)) return null;
  const contentType = CONTENT_TYPES[path.extname(file).toLowerCase()];
  return contentType === undefined ? null : { file, contentType };
}

export function createShellRequestHandler(rootDir: string, read: (file: string) => Promise<Uint8Array> = readFile) {
  return async (request: Request): Promise<Response> => {
    const asset = request.method === 'GET' ? resolveShellAsset(rootDir, request.url) : null;
    if (asset === null) return new Response('Not found', { status: 404, headers: SHELL_SECURITY_HEADERS });
    try {
      const body = await read(asset.file);
      return new Response(body as Uint8Array<ArrayBuffer>, { status: 200, headers: { ...SHELL_SECURITY_HEADERS, 'Content-Type': asset.contentType } });
    } catch {
      return new Response('Not found', { status: 404, headers: SHELL_SECURITY_HEADERS });
    }
  };
}

/** Must run before app 'ready': gives cordon:// a real, secure origin. */
export function registerShellScheme(protocol: Pick<Protocol, 'registerSchemesAsPrivileged'>): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: SHELL_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: false, corsEnabled: false, stream: false } },
  ]);
}

export function serveShell(protocol: Pick<Protocol, 'handle'>, rootDir: string): void {
  protocol.handle(SHELL_SCHEME, createShellRequestHandler(rootDir));
}
