// How a collector is set up: where it stores, where it listens, whom it trusts.
import type { TrustedIssuer } from './accessTokenVerifier';
import type { ConsoleConfig } from './console/consolePlugin';
import type { EmailSettings } from './notify/emailChannel';
import type { NotifierTiming } from './notify/notifier';
import type { SyslogSettings } from './notify/syslogChannel';
import type { WebhookSettings } from './notify/webhookChannel';
import type { RulesFile } from './rules/rulesSchema';

export type StorageConfig =
  /** Embedded, one file (created 0600 with its directory). */
  | { kind: 'sqlite'; file: string }
  /** `schema` keeps the collector's tables apart in a shared database (default: public). */
  | {
      kind: 'postgres';
      url: string;
      schema?: string;
      /** Connections per collector process. Default DEFAULT_POSTGRES_POOL_SIZE; all collectors together must stay below the server's max_connections. */
      poolSize?: number;
      /** How long a request waits for a free connection before it is shed with 503 + Retry-After. Default 5 s. */
      poolTimeoutMs?: number;
    };

export interface CollectorConfig {
  /** Default: SQLite at DEFAULT_SQLITE_FILE (relative to the working directory). */
  storage?: StorageConfig;
  /** Default 127.0.0.1. */
  host?: string;
  /** Default DEFAULT_PORT; 0 picks a free port (see RunningCollector.url). */
  port?: number;
  /** PEM key and certificate: serve HTTPS instead of HTTP. */
  tls?: { key: string | Buffer; cert: string | Buffer };
  /** The practice IdP whose access tokens may enroll devices; without it only enrollment codes work. */
  trustedIssuer?: TrustedIssuer;
  /** Requests per client address per window. Default 600 per minute. */
  rateLimit?: { max: number; windowMs: number };
  /** How long an enrollment code stays usable. Default 24 hours. */
  enrollmentCodeTtlMs?: number;
  /**
   * Addresses (or CIDR ranges) of the load balancers in front: only from these is the
   * X-Forwarded-For client address believed, for rate limits and alert source addresses.
   * Default none: the socket's address counts.
   */
  trustedProxies?: string[];
  /** Bounds on client connections (file descriptors): see DEFAULT_CONNECTION_LIMITS. */
  connections?: Partial<ConnectionLimits>;
  /**
   * Also serve GET /metrics, without a token, on this separate address (port 0: any free
   * port, see RunningCollector.metricsUrl): for a monitoring network that devices cannot reach.
   */
  metricsListen?: { host: string; port: number };
  /** When set, /metrics answers only requests bearing this token (Authorization: Bearer). */
  metricsToken?: string;
  /** What the collector takes as the current time (ms). Default Date.now; the demo's seeding and tests replay history with it. */
  clock?: () => number;
  /** The supervisors' and compliance officers' console; off when absent. */
  console?: ConsoleConfig;
  /** Alert rules and notifications; off when absent (`npm run collector` always sets them: the default rules without a rules file). */
  alerting?: AlertingConfig;
}

export interface AlertingConfig {
  /** The rules file's content (rules/rulesSchema.ts; DEFAULT_RULES_FILE without one). */
  rules: RulesFile;
  /** Receivers, with certificates and secrets resolved (rules/rulesFile.ts). */
  channels: { syslog?: SyslogSettings; webhook?: WebhookSettings; email?: EmailSettings };
  /** How often timer rules (device-silent) run. Default DEFAULT_RULE_TIMER_MS. */
  ruleTimerMs?: number;
  notifierTiming?: Partial<NotifierTiming>;
}

export const DEFAULT_RULE_TIMER_MS = 60_000;

export interface ConnectionLimits {
  /** Open client connections in all; more are closed at once. Keep well below `ulimit -n`. */
  maxTotal: number;
  /** Open connections from one address (a whole office behind one NAT shares one). */
  maxPerAddress: number;
  /** A kept-alive connection with no request in flight is closed after this long. */
  idleTimeoutMs: number;
  /** A request's headers must have arrived within this long of its start. */
  headersTimeoutMs: number;
  /** A connection that sends or receives nothing for this long is closed (slow or idle clients). */
  inactivityTimeoutMs: number;
}

export const DEFAULT_CONNECTION_LIMITS: ConnectionLimits = { maxTotal: 800, maxPerAddress: 200, idleTimeoutMs: 5_000, headersTimeoutMs: 10_000, inactivityTimeoutMs: 30_000 };

export const DEFAULT_SQLITE_FILE = '.collector-data/collector.db';
export const DEFAULT_PORT = 4430;
export const DEFAULT_RATE_LIMIT = { max: 600, windowMs: 60_000 };
export const DEFAULT_POSTGRES_POOL_SIZE = 10;
export const DEFAULT_POSTGRES_POOL_TIMEOUT_MS = 5_000;
export const DEFAULT_ENROLLMENT_CODE_TTL_MS = 24 * 60 * 60 * 1000;
