// Assembles the supervisors' and compliance officers' console inside the collector:
// security headers (strict CSP, no framing), cookies, the sign-in round trip, the API
// from the one contract, and the built UI. The collector's server file only calls this.
import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import { CONSOLE_AUTH_PATHS } from '../../common/console/consoleApi';
import type { CollectorDatabase } from '../database';
import { AccessLog, loadOrCreateCollectorKey } from './accessLog';
import { registerConsoleAuthRoutes } from './consoleAuthRoutes';
import { createConsoleHandlers } from './consoleHandlers';
import { registerConsoleRoutes } from './consoleRoutes';
import { ConsoleSessions } from './consoleSessions';
import { ConsoleSignIn, type ConsoleOidcConfig } from './consoleSignIn';
import { registerConsoleUi } from './consoleStatic';
import { ConsoleStore } from './consoleStore';
import type { RetentionSettings } from './retentionPanel';
import type { PracticePolicySource } from '../training/practicePolicy';

export interface ConsoleConfig {
  oidc: ConsoleOidcConfig;
  /** The built UI (index.html and assets/). */
  uiDir: string;
  /** The collector's Ed25519 key for the access log (PEM, created 0600 when missing); shared by every collector of a practice. */
  keyFile: string;
  /** Automatic logoff after this long without a request. Default 15 minutes. */
  idleTimeoutSeconds?: number;
  /** Longest a console session lasts, active or not. Default 8 hours. */
  absoluteLifetimeSeconds?: number;
  /** The origin browsers use (e.g. behind a load balancer); default the collector's own URL. */
  publicUrl?: string;
  /** The practice's name for report headers ("Sunrise Family Medicine"); default the console's host name. */
  practiceName?: string;
  /** The practice's signed policy: its agreements and training, for the compliance page and imports. */
  policy?: PracticePolicySource;
}

export const DEFAULT_CONSOLE_IDLE_SECONDS = 15 * 60;
export const DEFAULT_CONSOLE_LIFETIME_SECONDS = 8 * 60 * 60;
const PURGE_INTERVAL_MS = 60_000;

export interface ConsoleDependencies {
  db: Kysely<CollectorDatabase>;
  /** The collector's own URL, known once it listens. */
  listeningUrl: () => string;
  issueEnrollmentCode: () => Promise<{ code: string; expiresAt: number }>;
  now?: () => number;
  /** The collector's retention settings (config.retention), for the retention panel; absent when it runs without. */
  retention?: RetentionSettings;
}

/** A console cookie is Secure (the __Host- prefix demands it): TLS, or a loopback address browsers treat as secure. */
export function consoleOriginProblem(origin: string): string | null {
  const url = new URL(origin);
  const loopback = url.hostname === '127.0.0.1' || url.hostname === '[::1]' || url.hostname === 'localhost';
  return url.protocol === 'https:' || loopback ? null : `the console needs TLS (give --tls-key and --tls-cert, or a https public URL): ${url.origin} is plain http`;
}

export async function registerConsole(app: FastifyInstance, config: ConsoleConfig, deps: ConsoleDependencies): Promise<void> {
  const now = deps.now ?? Date.now;
  const publicOrigin = () => new URL(config.publicUrl ?? deps.listeningUrl()).origin;
  const idleTimeoutSeconds = config.idleTimeoutSeconds ?? DEFAULT_CONSOLE_IDLE_SECONDS;
  const sessions = new ConsoleSessions(deps.db, { idleMs: idleTimeoutSeconds * 1000, absoluteMs: (config.absoluteLifetimeSeconds ?? DEFAULT_CONSOLE_LIFETIME_SECONDS) * 1000 });
  const collectorKey = loadOrCreateCollectorKey(config.keyFile);
  const accessLog = new AccessLog(deps.db, collectorKey);
  const signIn = new ConsoleSignIn(config.oidc);
  const handlers = createConsoleHandlers({
    store: new ConsoleStore(deps.db),
    accessLog,
    idleTimeoutSeconds,
    issueEnrollmentCode: deps.issueEnrollmentCode,
    endSession: async (session) => {
      await sessions.end(session.idHash);
      return signIn.endSessionUrl(session.idToken, `${publicOrigin()}${CONSOLE_AUTH_PATHS.signedOut}`);
    },
    // The console's IdP is the practice's: the one whose subjects the devices record.
    exports: { db: deps.db, key: collectorKey, issuer: config.oidc.issuer },
    practice: () => config.practiceName ?? new URL(publicOrigin()).host,
    retention: deps.retention ?? null,
    policy: config.policy ?? null,
  });

  await app.register(async (scope) => {
    await scope.register(cookie);
    await scope.register(helmet, {
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'"],
          imgSrc: ["'self'", 'data:'],
          connectSrc: ["'self'"],
          fontSrc: ["'self'"],
          objectSrc: ["'none'"],
          baseUri: ["'none'"],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
        },
      },
      referrerPolicy: { policy: 'no-referrer' },
    });
    registerConsoleAuthRoutes(scope, { signIn, sessions, accessLog, publicOrigin, secureCookies: true, now });
    registerConsoleRoutes(scope, { sessions, accessLog, handlers, publicOrigin, cookieOptions: { path: '/', httpOnly: true, secure: true, sameSite: 'strict' }, now });
    await registerConsoleUi(scope, config.uiDir);
  });

  const purge = setInterval(() => {
    sessions.purge(now()).catch((error: unknown) => console.error(`collector: console session purge failed: ${error instanceof Error ? error.message : String(error)}`));
  }, PURGE_INTERVAL_MS);
  purge.unref();
  app.addHook('onClose', async () => clearInterval(purge));
}
