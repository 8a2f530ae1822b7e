// Server-side console sessions in the collector's database (so several collectors behind
// a load balancer share them). The browser holds only a random value in a __Host- cookie;
// the database holds its SHA-256. Idle timeout and absolute lifetime end a session the
// way the desktop's automatic logoff does; every state-changing request must carry the
// session's CSRF token.
import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { CONSOLE_ROLES, type ConsoleRole } from '../../common/console/consoleApi';
import type { CollectorDatabase } from '../database';

export const SESSION_COOKIE = '__Host-cordon-console';
/** The short-lived cookie that ties an IdP round trip to the browser that started it. */
export const LOGIN_COOKIE = '__Host-cordon-login';
const COOKIE_VALUE = /^[A-Za-z0-9_-]{43}$/;
/** Writing last_seen_at on every request would make every read a write. */
const TOUCH_AFTER_MS = 15_000;
export const LOGIN_TTL_MS = 10 * 60 * 1000;

export interface ConsoleUser {
  subject: string;
  name: string;
  email: string;
  roles: ConsoleRole[];
  /** How MFA was proven, e.g. "amr otp". */
  mfa: string;
}

export interface ConsoleSession extends ConsoleUser {
  idHash: string;
  csrfToken: string;
  idToken: string;
  expiresAt: number;
}

export type SessionLookup =
  | { ok: true; session: ConsoleSession }
  /** `forged`: a cookie was sent that names no live session (made up, or replayed after sign-out). */
  | { ok: false; reason: 'signed-out' | 'session-expired' | 'forged' };

export interface SessionLimits {
  idleMs: number;
  absoluteMs: number;
}

const hash = (value: string) => createHash('sha256').update(value, 'utf8').digest('hex');
const newSecret = () => randomBytes(32).toString('base64url');

export class ConsoleSessions {
  constructor(
    private readonly db: Kysely<CollectorDatabase>,
    readonly limits: SessionLimits,
  ) {}

  /** A new session (never one the browser proposed: no fixation); returns the cookie value. */
  async create(user: ConsoleUser, idToken: string, now: number): Promise<string> {
    const value = newSecret();
    await this.db
      .insertInto('console_sessions')
      .values({
        id_hash: hash(value),
        subject: user.subject,
        name: user.name,
        email: user.email,
        roles: JSON.stringify(user.roles),
        mfa: user.mfa,
        csrf_token: newSecret(),
        id_token: idToken,
        created_at: now,
        last_seen_at: now,
        expires_at: now + this.limits.absoluteMs,
      })
      .execute();
    return value;
  }

  async resolve(cookie: string | undefined, now: number): Promise<SessionLookup> {
    if (cookie === undefined || cookie === '') return { ok: false, reason: 'signed-out' };
    if (!COOKIE_VALUE.test(cookie)) return { ok: false, reason: 'forged' };
    const idHash = hash(cookie);
    const row = await this.db.selectFrom('console_sessions').selectAll().where('id_hash', '=', idHash).executeTakeFirst();
    if (row === undefined) return { ok: false, reason: 'forged' };
    if (now - row.last_seen_at > this.limits.idleMs || now >= row.expires_at) {
      await this.db.deleteFrom('console_sessions').where('id_hash', '=', idHash).execute();
      return { ok: false, reason: 'session-expired' };
    }
    if (now - row.last_seen_at > TOUCH_AFTER_MS) await this.db.updateTable('console_sessions').set({ last_seen_at: now }).where('id_hash', '=', idHash).execute();
    const roles = (JSON.parse(row.roles) as string[]).filter((r): r is ConsoleRole => (CONSOLE_ROLES as readonly string[]).includes(r));
    return { ok: true, session: { idHash, subject: row.subject, name: row.name, email: row.email, roles, mfa: row.mfa, csrfToken: row.csrf_token, idToken: row.id_token, expiresAt: row.expires_at } };
  }

  async end(idHash: string): Promise<void> {
    await this.db.deleteFrom('console_sessions').where('id_hash', '=', idHash).execute();
  }

  /** Sessions and half-finished sign-ins that can no longer be used. */
  async purge(now: number): Promise<void> {
    await this.db.deleteFrom('console_sessions').where((eb) => eb.or([eb('expires_at', '<=', now), eb('last_seen_at', '<', now - this.limits.idleMs)])).execute();
    await this.db.deleteFrom('console_logins').where('created_at', '<', now - LOGIN_TTL_MS).execute();
  }

  /** Remembers an IdP round trip's secrets under a fresh cookie value. */
  async beginLogin(secrets: { state: string; nonce: string; codeVerifier: string }, now: number): Promise<string> {
    const value = newSecret();
    await this.db.insertInto('console_logins').values({ id_hash: hash(value), state: secrets.state, nonce: secrets.nonce, code_verifier: secrets.codeVerifier, created_at: now }).execute();
    return value;
  }

  /** The round trip's secrets, usable once: a replayed callback finds nothing. */
  async takeLogin(cookie: string | undefined, now: number): Promise<{ state: string; nonce: string; codeVerifier: string } | null> {
    if (cookie === undefined || !COOKIE_VALUE.test(cookie)) return null;
    const idHash = hash(cookie);
    const row = await this.db.selectFrom('console_logins').selectAll().where('id_hash', '=', idHash).executeTakeFirst();
    if (row === undefined) return null;
    const taken = await this.db.deleteFrom('console_logins').where('id_hash', '=', idHash).executeTakeFirst();
    if (taken.numDeletedRows !== 1n || now - row.created_at > LOGIN_TTL_MS) return null;
    return { state: row.state, nonce: row.nonce, codeVerifier: row.code_verifier };
  }
}
