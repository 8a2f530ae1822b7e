// A person using the console over plain HTTP, as a browser would: a cookie jar for the
// collector, the real sign-in round trip through the demo IdP's pages (ScriptedUserAgent),
// and API calls that carry the CSRF token the console page would send.
import { CONSOLE_AUTH_PATHS, CONSOLE_ROUTES, CSRF_HEADER } from '../../common/console/consoleApi';
import { demoUser } from './authHarness';
import type { ConsoleStack } from './consoleStack';
import { ScriptedUserAgent } from './scriptedUserAgent';

export interface HttpAnswer {
  status: number;
  json: Record<string, unknown>;
  text: string;
  setCookies: string[];
  location: string | null;
}

export class ConsoleHttpUser {
  readonly cookies = new Map<string, string>();
  csrfToken = '';

  constructor(private readonly base: string) {}

  static async signedIn(stack: ConsoleStack, username: string): Promise<ConsoleHttpUser> {
    const user = new ConsoleHttpUser(stack.collector.url);
    const landing = await user.signIn(username);
    if (landing.status !== 200) throw new Error(`${username} could not sign in to the console: ${landing.status} ${landing.text.slice(0, 200)}`);
    const me = await user.request('GET', CONSOLE_ROUTES.me.path);
    user.csrfToken = String(me.json.csrfToken ?? '');
    return user;
  }

  async request(method: string, path: string, options: { body?: unknown; rawBody?: string; headers?: Record<string, string>; csrf?: boolean } = {}): Promise<HttpAnswer> {
    const headers = new Headers(options.headers);
    if (this.cookies.size > 0) headers.set('cookie', [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '));
    if (method === 'POST' && options.csrf !== false && !headers.has(CSRF_HEADER)) headers.set(CSRF_HEADER, this.csrfToken);
    const body = options.rawBody ?? (options.body === undefined ? (method === 'POST' ? '{}' : undefined) : JSON.stringify(options.body));
    if (body !== undefined) headers.set('content-type', 'application/json');
    const response = await fetch(this.base + path, { method, headers, body, redirect: 'manual' });
    const setCookies = response.headers.getSetCookie();
    for (const header of setCookies) {
      const [pair = ''] = header.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      // An expired cookie (cleared by the server) leaves the jar.
      if (value === '' || /max-age=0|expires=thu, 01 jan 1970/i.test(header)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    const text = await response.text();
    let json: Record<string, unknown> = {};
    try {
      json = JSON.parse(text) as Record<string, unknown>;
    } catch {
      // HTML pages: tests read `text`.
    }
    return { status: response.status, json, text, setCookies, location: response.headers.get('location') };
  }

  /** The whole round trip: console → IdP (password, TOTP) → console callback. Returns the callback's answer. */
  async signIn(username: string, options: { tamperCallback?: (url: string) => string } = {}): Promise<HttpAnswer> {
    const start = await this.request('GET', CONSOLE_AUTH_PATHS.signIn);
    const location = start.status === 302 ? start.location : null;
    if (location === null) throw new Error(`sign-in did not redirect to the IdP: ${start.status} ${start.text.slice(0, 200)}`);
    const callback = await new ScriptedUserAgent().signIn(location, `${this.base}${CONSOLE_AUTH_PATHS.callback}`, demoUser(username));
    const url = new URL((options.tamperCallback ?? ((u: string) => u))(callback));
    return this.request('GET', url.pathname + url.search);
  }
}
