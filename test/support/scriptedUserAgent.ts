// A scripted user agent for the demo IdP's real login pages: plain HTTP with a cookie
// jar, following redirects and submitting the password and TOTP forms as a person would,
// until the IdP redirects to Cordon's redirect URI. Used where a test needs many sign-ins
// quickly; the happy paths are also driven in real Chromium.
import { generate } from 'otplib';

export interface Credentials {
  username: string;
  password: string;
  totpSecret?: string | null;
}

export class ScriptedUserAgent {
  private readonly cookies = new Map<string, string>();

  private remember(response: Response): void {
    for (const header of response.headers.getSetCookie()) {
      const [pair = ''] = header.split(';');
      const eq = pair.indexOf('=');
      if (eq > 0) this.cookies.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
    }
  }

  private async request(url: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookies.size > 0) headers.set('cookie', [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '));
    const response = await fetch(url, { ...init, headers, redirect: 'manual' });
    this.remember(response);
    return response;
  }

  /** Walks from the authorization URL to the callback URL, answering each form. */
  async signIn(authorizationUrl: string, redirectUriPrefix: string, credentials: Credentials): Promise<string> {
    let url = authorizationUrl;
    let init: RequestInit = {};
    for (let hop = 0; hop < 20; hop += 1) {
      if (url.startsWith(redirectUriPrefix)) return url;
      const response = await this.request(url, init);
      init = {};
      const location = response.headers.get('location');
      if (response.status >= 300 && response.status < 400 && location !== null) {
        url = new URL(location, url).href;
        continue;
      }
      const html = await response.text();
      const action = /<form method="post" action="([^"]+)"/.exec(html)?.[1];
      if (action === undefined) throw new Error(`no form and no redirect at ${new URL(url).pathname} (status ${response.status}): ${html.slice(0, 300)}`);
      const fields = new URLSearchParams();
      for (const [, name, value] of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g)) fields.set(name ?? '', value ?? '');
      if (html.includes('name="logout"')) {
        // The IdP asks to end the previous person's session first: answer yes, as a person would.
        fields.set('logout', 'yes');
      } else if (html.includes('name="username"')) {
        if (/role="alert"/.test(html)) throw new Error(`login refused: ${/role="alert">([^<]*)/.exec(html)?.[1] ?? ''}`);
        fields.set('username', credentials.username);
        fields.set('password', credentials.password);
      } else if (html.includes('name="code"')) {
        if (/role="alert"/.test(html)) throw new Error(`TOTP refused: ${/role="alert">([^<]*)/.exec(html)?.[1] ?? ''}`);
        if (credentials.totpSecret == null) throw new Error('the IdP asked for a TOTP code but the user has none');
        fields.set('code', await generate({ secret: credentials.totpSecret }));
      }
      url = new URL(action.replace(/&#47;/g, '/'), url).href;
      init = { method: 'POST', body: fields, headers: { 'content-type': 'application/x-www-form-urlencoded' } };
    }
    throw new Error('too many hops before reaching the redirect URI');
  }
}
