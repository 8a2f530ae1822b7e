// The console's sign-in round trip with the practice IdP: start (state, nonce and PKCE
// kept server-side under a short-lived cookie), callback (each round trip usable once),
// and the refusal pages. Every sign-in and every refusal goes to the access log.
import type { FastifyInstance, FastifyReply } from 'fastify';
import { CONSOLE_AUTH_PATHS, CONSOLE_BASE } from '../../common/console/consoleApi';
import type { AccessLog } from './accessLog';
import { consolePage, PAGE_CSS, PAGE_STYLESHEET_PATH } from './consolePages';
import { actorOf } from './consoleRoutes';
import { LOGIN_COOKIE, LOGIN_TTL_MS, SESSION_COOKIE, type ConsoleSessions } from './consoleSessions';
import type { ConsoleSignIn, SignInOutcome } from './consoleSignIn';

export interface AuthRouteDependencies {
  signIn: ConsoleSignIn;
  sessions: ConsoleSessions;
  accessLog: AccessLog;
  publicOrigin: () => string;
  secureCookies: boolean;
  now?: () => number;
}

const REFUSALS: Record<Exclude<SignInOutcome, { ok: true }>['code'] | 'stale', { title: string; text: string }> = {
  stale: { title: 'This sign-in has expired', text: 'The sign-in link was already used, is more than 10 minutes old, or was started in another browser. Start again.' },
  'sign-in-failed': { title: 'Sign-in could not be completed', text: "The practice's sign-in service answered in a way the console cannot trust, so you are not signed in. Start again; if it keeps happening, tell IT." },
  'idp-unreachable': { title: "The practice's sign-in service cannot be reached", text: 'The console could not reach the identity provider. Try again in a minute; if it keeps happening, tell IT.' },
  'mfa-missing': { title: 'Sign in with your authenticator', text: 'The console requires multi-factor authentication (for example your password and an authenticator app code). Your sign-in did not include it, so you are not signed in.' },
  'no-console-role': { title: 'This console is not for your account', text: 'The console is for supervisors, compliance officers and IT admins. Your account has none of these roles, so nothing here is shown to you. If you need access, ask IT to give you the right role.' },
};

export function registerConsoleAuthRoutes(app: FastifyInstance, deps: AuthRouteDependencies): void {
  const now = deps.now ?? Date.now;
  const cookieBase = { path: '/', httpOnly: true, secure: deps.secureCookies };
  const redirectUri = () => `${deps.publicOrigin()}${CONSOLE_AUTH_PATHS.callback}`;
  const html = (reply: FastifyReply, status: number, page: string) => reply.code(status).header('cache-control', 'no-store').type('text/html; charset=utf-8').send(page);
  const startAgain = { href: CONSOLE_AUTH_PATHS.signIn, label: 'Sign in again' };

  app.get(PAGE_STYLESHEET_PATH, async (_request, reply) => reply.type('text/css; charset=utf-8').header('cache-control', 'max-age=3600').send(PAGE_CSS));

  app.get(CONSOLE_AUTH_PATHS.signIn, async (_request, reply) => {
    let start;
    try {
      start = await deps.signIn.authorizationUrl(redirectUri());
    } catch {
      const refusal = REFUSALS['idp-unreachable'];
      return html(reply, 503, consolePage(refusal.title, [refusal.text], [startAgain]));
    }
    const login = await deps.sessions.beginLogin(start, now());
    // Lax, not Strict: the IdP's redirect back is a cross-site navigation that must carry it.
    reply.setCookie(LOGIN_COOKIE, login, { ...cookieBase, sameSite: 'lax', maxAge: LOGIN_TTL_MS / 1000 });
    return reply.code(302).header('cache-control', 'no-store').redirect(start.url);
  });

  app.get(CONSOLE_AUTH_PATHS.callback, async (request, reply) => {
    reply.clearCookie(LOGIN_COOKIE, { ...cookieBase, sameSite: 'lax' });
    const refuse = async (code: keyof typeof REFUSALS, actor: string, detail: string, idToken?: string) => {
      await deps.accessLog.append({ actor, action: 'sign-in', outcome: 'refused', target: `${code}: ${detail}` }, now());
      const refusal = REFUSALS[code];
      const signOutOfIdp = idToken === undefined ? null : await deps.signIn.endSessionUrl(idToken, `${deps.publicOrigin()}${CONSOLE_AUTH_PATHS.signedOut}`);
      const links = code === 'no-console-role' && signOutOfIdp !== null ? [{ href: signOutOfIdp, label: 'Sign out' }] : [startAgain];
      return html(reply, code === 'idp-unreachable' ? 503 : 403, consolePage(refusal.title, [refusal.text], links));
    };
    const pending = await deps.sessions.takeLogin(request.cookies[LOGIN_COOKIE], now());
    if (pending === null) return refuse('stale', 'unknown (no matching sign-in)', 'callback without a live sign-in of this browser');
    const outcome = await deps.signIn.complete(new URL(request.url, deps.publicOrigin()), pending);
    if (!outcome.ok) return refuse(outcome.code, outcome.subject === undefined ? 'unknown (IdP answer refused)' : `unknown [${outcome.subject}]`, outcome.detail, outcome.idToken);
    const session = await deps.sessions.create(outcome.user, outcome.idToken, now());
    await deps.accessLog.append({ actor: actorOf(outcome.user), action: 'sign-in', outcome: 'success', target: `roles ${outcome.user.roles.join(',')}; MFA ${outcome.user.mfa}` }, now());
    reply.setCookie(SESSION_COOKIE, session, { ...cookieBase, sameSite: 'strict' });
    return html(reply, 200, consolePage('Signed in', ['Opening the console…'], [{ href: `${CONSOLE_BASE}/`, label: 'Open the console' }], `${CONSOLE_BASE}/`));
  });
}
