// The console's sign-in against the real demo IdP (password + TOTP) and its server-side
// sessions: cookie flags, no fixation, one-time callbacks, MFA and roles enforced, CSRF,
// idle timeout and absolute lifetime, sign-out that ends the IdP session too.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeOnEachStorage } from './collectorHarness';
import { CONSOLE_AUTH_PATHS, CONSOLE_ROUTES, CSRF_HEADER } from '../../../common/console/consoleApi';
import { SESSION_COOKIE } from '../../../collector/console/consoleSessions';
import { ConsoleHttpUser } from '../../support/consoleHttpUser';
import { startConsoleStack, type ConsoleStack } from '../../support/consoleStack';

const IDLE_SECONDS = 600;

describeOnEachStorage('console sign-in and sessions', (storage) => {
  let stack: ConsoleStack;
  let removeStorage: () => Promise<void>;

  beforeAll(async () => {
    const created = await storage.create();
    removeStorage = created.remove;
    stack = await startConsoleStack({ storage: created.storage, idleTimeoutSeconds: IDLE_SECONDS, seed: false });
  }, 120_000);
  afterAll(async () => {
    await stack?.close();
    await removeStorage?.();
  });

  async function accessLog(): Promise<{ actor: string; action: string; outcome: string; target: string | null }[]> {
    const cora = await ConsoleHttpUser.signedIn(stack, 'cora');
    const answer = await cora.request('GET', `${CONSOLE_ROUTES.accessLog.path}?limit=200`);
    return answer.json.items as { actor: string; action: string; outcome: string; target: string | null }[];
  }

  describe('console sign-in with the practice IdP', () => {
    it('signs a supervisor in with password + TOTP and sets a __Host- session cookie with every flag', async () => {
      const sam = new ConsoleHttpUser(stack.collector.url);
      const landing = await sam.signIn('sam');
      expect(landing.status).toBe(200);
      const cookie = landing.setCookies.find((c) => c.startsWith(`${SESSION_COOKIE}=`)) ?? '';
      expect(cookie).toMatch(/; Path=\//);
      expect(cookie).toMatch(/; HttpOnly/);
      expect(cookie).toMatch(/; Secure/);
      expect(cookie).toMatch(/; SameSite=Strict/);
      expect(cookie).not.toMatch(/Domain=/i);
      // The page hands over to the console with a same-site step, so the Strict cookie goes along.
      expect(landing.text).toContain('http-equiv="refresh"');
      const me = await sam.request('GET', CONSOLE_ROUTES.me.path);
      expect(me.status).toBe(200);
      expect(me.json).toMatchObject({ subject: 'demo-sup-0001', name: 'Sam Supervisor', roles: ['supervisor'], mfa: 'amr otp', idleTimeoutSeconds: IDLE_SECONDS });
    });

    it('never adopts a session value the browser brought (no fixation)', async () => {
      const planted = 'A'.repeat(43);
      const sam = new ConsoleHttpUser(stack.collector.url);
      sam.cookies.set(SESSION_COOKIE, planted);
      expect((await sam.signIn('sam')).status).toBe(200);
      expect(sam.cookies.get(SESSION_COOKIE)).not.toBe(planted);
      const attacker = new ConsoleHttpUser(stack.collector.url);
      attacker.cookies.set(SESSION_COOKIE, planted);
      expect((await attacker.request('GET', CONSOLE_ROUTES.me.path)).status).toBe(401);
    });

    it('uses each IdP round trip once: a replayed callback is refused and logged', async () => {
      const sam = new ConsoleHttpUser(stack.collector.url);
      let callback = '';
      expect((await sam.signIn('sam', { tamperCallback: (url) => (callback = url) })).status).toBe(200);
      const replay = new ConsoleHttpUser(stack.collector.url);
      replay.cookies.set('__Host-cordon-login', sam.cookies.get('__Host-cordon-login') ?? 'x'.repeat(43));
      const url = new URL(callback);
      const again = await replay.request('GET', url.pathname + url.search);
      expect(again.status).toBe(403);
      expect(again.text).toContain('This sign-in has expired');
      expect(replay.cookies.has(SESSION_COOKIE)).toBe(false);
    });

    it('refuses a VA with a clear page, starts no session, and logs the refusal', async () => {
      const valerie = new ConsoleHttpUser(stack.collector.url);
      const page = await valerie.signIn('valerie');
      expect(page.status).toBe(403);
      expect(page.text).toContain('This console is not for your account');
      expect(page.text).toContain('supervisors, compliance officers and IT admins');
      // It offers to end the IdP session it just made.
      expect(page.text).toMatch(/href="http:\/\/127\.0\.0\.1:\d+\/session\/end\?/);
      expect(valerie.cookies.has(SESSION_COOKIE)).toBe(false);
      expect((await valerie.request('GET', CONSOLE_ROUTES.me.path)).status).toBe(401);
      expect(await accessLog()).toContainEqual(expect.objectContaining({ actor: 'unknown [demo-va-0001]', action: 'sign-in', outcome: 'refused', target: expect.stringMatching(/^no-console-role/) }));
    });

    it('requires MFA exactly as the desktop does: a password-only sign-in is refused', async () => {
      // nora's account has no authenticator: the IdP signs her in with a password alone.
      const nora = new ConsoleHttpUser(stack.collector.url);
      const page = await nora.signIn('nora');
      expect(page.status).toBe(403);
      expect(page.text).toContain('Sign in with your authenticator');
      expect(nora.cookies.has(SESSION_COOKIE)).toBe(false);
      expect(await accessLog()).toContainEqual(expect.objectContaining({ action: 'sign-in', outcome: 'refused', target: expect.stringMatching(/^mfa-missing/) }));
    });

    it('refuses a callback whose state was changed on the way', async () => {
      const sam = new ConsoleHttpUser(stack.collector.url);
      const page = await sam.signIn('sam', { tamperCallback: (url) => url.replace(/state=[^&]+/, 'state=forged') });
      expect(page.status).toBe(403);
      expect(page.text).toContain('Sign-in could not be completed');
      expect(sam.cookies.has(SESSION_COOKIE)).toBe(false);
    });
  });

  describe('console sessions', () => {
    it('refuses state changes without the CSRF token, from another origin, or cross-site', async () => {
      const sam = await ConsoleHttpUser.signedIn(stack, 'sam');
      const review = CONSOLE_ROUTES.handleAlert.path.replace(':id', '1');
      const body = { status: 'acknowledged', note: '' };
      const attempts: { csrf?: boolean; headers?: Record<string, string> }[] = [{ csrf: false }, { headers: { [CSRF_HEADER]: 'wrong' } }, { headers: { origin: 'http://evil.example' } }, { headers: { 'sec-fetch-site': 'cross-site' } }];
      for (const attempt of attempts) {
        const answer = await sam.request('POST', review, { body, ...attempt });
        expect(answer.status).toBe(403);
        expect(answer.json.error).toBe('csrf');
      }
      const log = await accessLog();
      expect(log.filter((e) => e.actor === 'Sam Supervisor [demo-sup-0001]' && e.target === 'csrf').length).toBeGreaterThanOrEqual(4);
    });

    it('logs the supervisor out after the idle timeout and says why', async () => {
      const sam = await ConsoleHttpUser.signedIn(stack, 'sam');
      stack.clock.travelTo(Date.now() + (IDLE_SECONDS + 5) * 1000);
      try {
        const answer = await sam.request('GET', CONSOLE_ROUTES.me.path);
        expect(answer.status).toBe(401);
        expect(answer.json.error).toBe('session-expired');
        expect(answer.setCookies.some((c) => c.startsWith(`${SESSION_COOKIE}=;`))).toBe(true);
      } finally {
        stack.clock.travelTo(null);
      }
      // The session is gone for good, not only until the clock comes back.
      expect((await sam.request('GET', CONSOLE_ROUTES.me.path)).status).toBe(401);
    });

    it('ends even an active session at its absolute lifetime', async () => {
      const sam = await ConsoleHttpUser.signedIn(stack, 'sam');
      const start = Date.now();
      try {
        // Active every nine minutes (the idle limit is ten) for nine hours: never idle, yet past the eight-hour lifetime.
        for (let t = start; t < start + 9 * 3600_000; t += 9 * 60_000) {
          stack.clock.travelTo(t);
          const answer = await sam.request('GET', CONSOLE_ROUTES.me.path);
          if (answer.status !== 200) {
            expect(answer.json.error).toBe('session-expired');
            expect(t - start).toBeGreaterThanOrEqual(8 * 3600_000);
            return;
          }
        }
        throw new Error('the session outlived its absolute lifetime');
      } finally {
        stack.clock.travelTo(null);
      }
    }, 120_000);

    it('signs out: the session ends, the cookie cannot come back, and the IdP session ends too', async () => {
      const sam = await ConsoleHttpUser.signedIn(stack, 'sam');
      const cookie = sam.cookies.get(SESSION_COOKIE) ?? '';
      const out = await sam.request('POST', CONSOLE_ROUTES.signOut.path);
      expect(out.status).toBe(200);
      const endSession = new URL(String(out.json.endSessionUrl));
      expect(endSession.origin).toBe(new URL(stack.idp.issuer).origin);
      expect(endSession.searchParams.get('post_logout_redirect_uri')).toBe(`${stack.collector.url}${CONSOLE_AUTH_PATHS.signedOut}`);
      expect(endSession.searchParams.get('id_token_hint')).toMatch(/^ey/);
      const replay = new ConsoleHttpUser(stack.collector.url);
      replay.cookies.set(SESSION_COOKIE, cookie);
      const refused = await replay.request('GET', CONSOLE_ROUTES.me.path);
      expect(refused.status).toBe(401);
      expect(await accessLog()).toContainEqual(expect.objectContaining({ actor: 'unknown (a session cookie that names no session)', outcome: 'refused' }));
    });
  });
});
