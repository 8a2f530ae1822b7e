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
  /** Worker threads that verify batches while several devices send (0: all on the main thread). Default defaultVerifyWorkers(). */
  verifyWorkers?: number;
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
  /** Retention periods and automatic disposal (collector/retention); off when absent. Check it with checkRetentionConfig. */
  retention?: RetentionConfig;
}

/** A retention period in whole calendar years (UTC) or whole days. */
export type RetentionPeriod = { years: number } | { days: number };

export interface RetentionConfig {
  /** Device audit events, counted from when the collector received them (its own clock, never the device's). */
  events: RetentionPeriod;
  /** Alerts, counted from their last occurrence or handling; open alerts are never disposed. */
  alerts: RetentionPeriod;
  /** Session review marks, counted from the review. */
  reviews: RetentionPeriod;
  /** The console access log, counted from each entry's time. */
  accessLog: RetentionPeriod;
  /** How often automatic disposal runs (collectors sharing a database take turns); null: never automatically. */
  intervalMs: number | null;
  /** The collector key (the console's key file): it signs disposal records and the anchors where disposed chains now start. */
  keyFile: string;
}

/** HIPAA's documentation retention period (45 CFR 164.316(b)(2)(i)): the least a record is kept by default. */
export const HIPAA_RETENTION: RetentionPeriod = { years: 6 };
const DAY_MS = 24 * 60 * 60 * 1000;
export const DEFAULT_DISPOSAL_INTERVAL_MS = DAY_MS;
export const DEFAULT_RETENTION_PERIODS: Pick<RetentionConfig, 'events' | 'alerts' | 'reviews' | 'accessLog' | 'intervalMs'> = {
  events: HIPAA_RETENTION,
  alerts: HIPAA_RETENTION,
  reviews: HIPAA_RETENTION,
  accessLog: HIPAA_RETENTION,
  intervalMs: DEFAULT_DISPOSAL_INTERVAL_MS,
};

const MAX_RETENTION_YEARS = 100;
const MIN_DISPOSAL_INTERVAL_MS = 1000;
const MAX_DISPOSAL_INTERVAL_MS = 31 * DAY_MS;
const DURATION_UNITS_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: DAY_MS };

export class RetentionSettingError extends Error {}

/** "6 years", "1 year", "90 days": how the console and records name a period. */
export function describePeriod(period: RetentionPeriod): string {
  const [count, unit] = 'years' in period ? [period.years, 'year'] : [period.days, 'day'];
  return `${count} ${unit}${count === 1 ? '' : 's'}`;
}

/** The moment before which something is past `period` at `now`: calendar years in UTC, or days of 24 h. */
export function periodCutoff(period: RetentionPeriod, now: number): number {
  if ('days' in period) return now - period.days * DAY_MS;
  const at = new Date(now);
  at.setUTCFullYear(at.getUTCFullYear() - period.years);
  return at.getTime();
}

/** `6y`, `6 years`, `2190d`, `90 days` as a period; what it names in errors. */
export function parseRetentionPeriod(text: string, what: string): RetentionPeriod {
  const match = /^\s*(\d{1,6})\s*(y|years?|d|days?)\s*$/i.exec(text);
  const count = Number(match?.[1]);
  const years = match?.[2]?.toLowerCase().startsWith('y') === true;
  if (match === null || count < 1 || (years ? count > MAX_RETENTION_YEARS : count > MAX_RETENTION_YEARS * 366)) {
    throw new RetentionSettingError(`${what} must be a number of years or days from 1 day to ${MAX_RETENTION_YEARS} years, such as 6y or 2190d, got '${text}'`);
  }
  return years ? { years: count } : { days: count };
}

/** `1d`, `12h`, `30m`, or `off` (no automatic disposal): the disposal interval in ms, or null. */
export function parseDisposalInterval(text: string, what: string): number | null {
  if (/^\s*off\s*$/i.test(text)) return null;
  const match = /^\s*(\d{1,6})\s*([smhd])\s*$/i.exec(text);
  const ms = match === null ? NaN : Number(match[1]) * (DURATION_UNITS_MS[(match[2] as string).toLowerCase()] as number);
  if (!(ms >= MIN_DISPOSAL_INTERVAL_MS && ms <= MAX_DISPOSAL_INTERVAL_MS)) throw new RetentionSettingError(`${what} must be off or a time from 1s to 31d, such as 1d, 12h or 30m, got '${text}'`);
  return ms;
}

/**
 * Checks a retention config (from the command line, or built in code) and returns the notes
 * an operator should see, such as a period shorter than HIPAA's six years. Throws
 * RetentionSettingError naming the setting and the fix.
 */
export function checkRetentionConfig(config: RetentionConfig): string[] {
  const notes: string[] = [];
  for (const [name, period, kept] of [['events', config.events, 'events are'], ['alerts', config.alerts, 'alerts are'], ['reviews', config.reviews, 'reviews are'], ['access log', config.accessLog, 'the access log is']] as const) {
    const [count, max] = 'years' in period ? [period.years, MAX_RETENTION_YEARS] : [period.days, MAX_RETENTION_YEARS * 366];
    if (!Number.isSafeInteger(count) || count < 1 || count > max) throw new RetentionSettingError(`the ${name} retention period must be whole years or days from 1 day to ${MAX_RETENTION_YEARS} years, got ${JSON.stringify(period)}`);
    if (cutoffIsEarlier(period, HIPAA_RETENTION)) notes.push(`${kept} kept ${describePeriod(period)}, less than the six years HIPAA requires for documentation: check that your policy and state law allow it`);
  }
  if (config.intervalMs !== null && !(Number.isSafeInteger(config.intervalMs) && config.intervalMs >= MIN_DISPOSAL_INTERVAL_MS && config.intervalMs <= MAX_DISPOSAL_INTERVAL_MS)) {
    throw new RetentionSettingError(`the disposal interval must be from 1 s to 31 days (or off), got ${String(config.intervalMs)} ms`);
  }
  if (config.keyFile.trim() === '') throw new RetentionSettingError('retention needs the collector key file (the console key file) to sign disposal records');
  if (cutoffIsEarlier(config.reviews, config.events)) notes.push(`reviews are kept ${describePeriod(config.reviews)}, less than events (${describePeriod(config.events)}): older sessions show as not reviewed again once their review is disposed`);
  return notes;
}

/** Whether `a` is the shorter period (compared at a fixed date, so leap years cannot flip it). */
function cutoffIsEarlier(a: RetentionPeriod, b: RetentionPeriod): boolean {
  const at = Date.UTC(2030, 0, 1);
  return periodCutoff(a, at) > periodCutoff(b, at);
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
