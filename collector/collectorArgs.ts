// `npm run collector` options: command-line flags and environment variables turned into a
// CollectorConfig (pure; collectorMain reads files and starts things). Bad input throws a
// UsageError naming the fix.
import { parseArgs } from 'node:util';
import type { TrustedIssuer } from './accessTokenVerifier';
import { defaultVerifyWorkers } from './batchChecker';
import { DEFAULT_CONNECTION_LIMITS, DEFAULT_PORT, DEFAULT_RETENTION_PERIODS, parseDisposalInterval, parseRetentionPeriod, RetentionSettingError, DEFAULT_POSTGRES_POOL_SIZE, DEFAULT_RATE_LIMIT, DEFAULT_POSTGRES_POOL_TIMEOUT_MS, DEFAULT_SQLITE_FILE, type CollectorConfig, type StorageConfig } from './collectorConfig';
import { EXPORT_FORMATS } from '../common/console/consoleApi';
import type { ConsoleConfig } from './console/consolePlugin';
import { ACCESS_VERBS, readAccessEnd, type AccessAction, type AccessVerb } from './access/accessCli';
import type { LegalHoldAction, RetentionSettings } from './retention/retentionCli';
import type { PracticePolicySource } from './training/practicePolicy';

export const DEFAULT_CONSOLE_KEY_FILE = '.collector-data/collector-key.pem';
export const DEFAULT_CONSOLE_UI_DIR = 'out/console';

export const USAGE = `usage: npm run collector -- [issue-code | find-session CODE | export | verify-export DIR | dispose | legal-hold … | retention | import-training FILE | access …] [options]

  (no command)        start the collector and print its URL
  issue-code          print a one-time device enrollment code for IT, then exit
  find-session CODE   show the session a watermark's code (e.g. 7K2M-QX4P) names, then exit
  export --format F --out PATH [filters]
                      what the console's Export control downloads, written to PATH and
                      recorded in the console access log. F: ${EXPORT_FORMATS.join(', ')}
                      (evidence: PATH is a new folder). Filters, as the sessions list's:
                      --user SUBJECT --device ID --from ISO-TIME --to ISO-TIME --code CODE
                      --has-alerts --not-reviewed
  verify-export DIR [--key KEY-ID]
                      check an evidence package offline; --key: the collector key id the
                      practice gave you apart from the package (without it the signer is
                      not confirmed, exit 4)
  dispose [--dry-run] dispose now of what is past its retention period (--dry-run: say what
                      would go, change nothing); recorded and signed like automatic runs
  legal-hold place (--user SUBJECT | --device ID) --reason TEXT
  legal-hold release ID | legal-hold list
                      keep everything of a VA or a device past its period, until released
  retention [--verify]
                      the periods, holds and recent disposals; --verify checks every kept
                      chain from its signed anchor, the access log and the disposal records
  import-training FILE
                      the compliance officer's training CSV (subject, course, completed_on,
                      and optionally expires_on and action): checked row by row, imported
                      whole or not at all, and recorded in the console access log
  access revoke-device ID | access revoke-user SUBJECT
                      end a device's or a VA's access now: at its next contact the device
                      delivers its queued events, signs out, wipes its sessions and says why
  access end-user SUBJECT (--on DATE | --clear)
                      the VA's access ends at 00:00 local time on DATE (YYYY-MM-DD), or at
                      an ISO time with its offset; --clear removes the end date
  access reinstate-device ID | access reinstate-user SUBJECT | access list
                      lift a revocation (the device may enroll again), or list revocations;
                      every change is recorded in the console access log

options (environment variable in brackets):
  --host HOST          listen address, default 127.0.0.1 [CORDON_COLLECTOR_HOST]
  --port PORT          listen port, default ${DEFAULT_PORT}; 0 = any free port [CORDON_COLLECTOR_PORT]
  --sqlite-file FILE   embedded storage, default ${DEFAULT_SQLITE_FILE}
                       PostgreSQL instead: [CORDON_COLLECTOR_POSTGRES_URL] (kept out of argv:
                       its password would show in the process list)
  --postgres-pool-size N   PostgreSQL connections per collector, default ${DEFAULT_POSTGRES_POOL_SIZE}; a request
                       that waits ${DEFAULT_POSTGRES_POOL_TIMEOUT_MS / 1000} s for one is answered 503 + Retry-After
                       [CORDON_COLLECTOR_POSTGRES_POOL_SIZE]
  --rate-limit N       requests per client address per minute, default ${DEFAULT_RATE_LIMIT.max}
                       (raise it for an office whose devices share one NAT address)
                       [CORDON_COLLECTOR_RATE_LIMIT]
  --max-connections N  open client connections in all, default ${DEFAULT_CONNECTION_LIMITS.maxTotal}; keep below
                       ulimit -n [CORDON_COLLECTOR_MAX_CONNECTIONS]
  --max-connections-per-address N   default ${DEFAULT_CONNECTION_LIMITS.maxPerAddress}
                       [CORDON_COLLECTOR_MAX_CONNECTIONS_PER_ADDRESS]
  --verify-workers N   threads that verify batches while several devices send; default with
                       SQLite the cores less one, at most 4 (${defaultVerifyWorkers('sqlite')} here), with PostgreSQL 0
                       (all on the main thread) [CORDON_COLLECTOR_VERIFY_WORKERS]
  --trusted-proxies LIST   comma list of load-balancer addresses or CIDR ranges whose
                       X-Forwarded-For is believed (rate limits, alert sources); default none
                       [CORDON_COLLECTOR_TRUSTED_PROXIES]
  --tls-key FILE --tls-cert FILE   serve HTTPS with this PEM key and certificate
  --issuer URL --audience AUD      the practice IdP whose access tokens may enroll devices
                       [CORDON_COLLECTOR_ISSUER, CORDON_COLLECTOR_AUDIENCE]
  --jwks-uri URL       the IdP's key set, if discovery should be skipped [CORDON_COLLECTOR_JWKS_URI]
  /metrics behind a bearer token: [CORDON_COLLECTOR_METRICS_TOKEN] (environment only);
                       without one (and without --metrics-listen) /metrics is off
  --metrics-listen HOST:PORT   also serve GET /metrics, without a token, on this address
                       (a monitoring network devices cannot reach) [CORDON_COLLECTOR_METRICS_LISTEN]
  --retain-events P --retain-alerts P --retain-reviews P --retain-access-log P
                       how long each is kept, as 6y or 2190d; default 6y (HIPAA's six years)
                       [CORDON_COLLECTOR_RETAIN_EVENTS, _RETAIN_ALERTS, _RETAIN_REVIEWS, _RETAIN_ACCESS_LOG]
  --dispose-every T    automatic disposal interval, e.g. 1d or 12h, or off; default 1d
                       [CORDON_COLLECTOR_DISPOSE_EVERY]
  --policy FILE --policy-key FILE
                       the practice's signed policy and the public key IT signs it with: the
                       console then shows who is current, due or overdue on its agreements and
                       training, and imports refuse courses it does not name
                       [CORDON_COLLECTOR_POLICY_FILE, CORDON_COLLECTOR_POLICY_KEY]
  --rules-file FILE    alert rules and notifications (JSON or YAML; see the README); without
                       one the default rules run and nothing is notified. A bad file stops
                       the collector [CORDON_COLLECTOR_RULES_FILE]
                       secrets, environment only: CORDON_COLLECTOR_WEBHOOK_SECRET (the webhook's
                       HMAC key), CORDON_COLLECTOR_SMTP_PASSWORD (with notifications.email.user)

the supervisors' console at /console/ (on when CORDON_CONSOLE_ISSUER is set; environment
only, so the client secret never shows in the process list):
  CORDON_CONSOLE_ISSUER, CORDON_CONSOLE_CLIENT_ID, CORDON_CONSOLE_CLIENT_SECRET
                       the practice IdP and the console's confidential client there
  CORDON_CONSOLE_MFA_AMR, CORDON_CONSOLE_MFA_ACR
                       comma lists: the MFA proof required, as the policy's identity.mfa
  CORDON_CONSOLE_ROLES_CLAIM   the ID-token claim with Cordon roles, default roles
  CORDON_CONSOLE_PUBLIC_URL    the address browsers use (behind a load balancer)
  CORDON_CONSOLE_IDLE_MINUTES  automatic logoff, default 15
  CORDON_CONSOLE_PRACTICE_NAME the practice's name on printed reports
  --console-key-file FILE      the access log's signing key, default ${DEFAULT_CONSOLE_KEY_FILE}
                               (created when missing; every collector of a practice needs the same)
  --console-ui DIR             the built console (npm run build:console), default ${DEFAULT_CONSOLE_UI_DIR}
  --help, -h, help             this text`;

export class UsageError extends Error {}

/**
 * Whether the user asked for the usage (--help or -h anywhere, or the command help). Asked
 * before parsing, so neither a bad setting nor a missing argument stands in its way.
 */
export function isHelpRequest(argv: readonly string[]): boolean {
  return argv[0] === 'help' || argv.some((arg) => arg === '--help' || arg === '-h');
}

/** What `export` writes: the console's export query (as strings, checked by exportCli) and where. */
export interface ExportRequest {
  query: Record<string, string>;
  out: string;
  /** The collector key file (the console's): it signs the access log entry and the package. */
  keyFile: string;
  /** The practice IdP's issuer, which scopes user subjects in FHIR; null when none is configured. */
  issuer: string | null;
}

export interface CollectorCommand {
  command: 'serve' | 'issue-code' | 'find-session' | 'export' | 'verify-export' | 'dispose' | 'legal-hold' | 'retention' | 'import-training' | 'access';
  /** The session code, for find-session. */
  sessionCode?: string;
  /** For export. */
  export?: ExportRequest;
  /** For verify-export: the package folder and the collector key id to confirm the signer with. */
  verifyExport?: { dir: string; key?: string };
  /** The retention periods and disposal interval (serve runs them; dispose and retention report them). */
  retention: RetentionSettings;
  /** The collector key file: signs the access log, disposal records and evidence packages. */
  keyFile: string;
  /** For legal-hold. */
  legalHold?: LegalHoldAction;
  /** For access: what to change, or list. */
  access?: AccessAction;
  /** For import-training: the CSV file. */
  importTraining?: { file: string };
  /** The practice's signed policy (serve and import-training); null when not given. */
  policy: PracticePolicySource | null;
  /** dispose --dry-run; retention --verify. */
  dryRun: boolean;
  verify: boolean;
  config: CollectorConfig & { storage: StorageConfig };
  /** PEM files to read into config.tls. */
  tlsFiles: { key: string; cert: string } | null;
  /** The rules file to read into config.alerting; null: the default rules. */
  rulesFile: string | null;
  /** Things the operator should know about defaults that were applied. */
  notes: string[];
}

function httpUrl(value: string, what: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`${what} must be a URL, got '${value}'`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new UsageError(`${what} must be an https:// URL`);
  return value;
}

function wholeNumber(text: string, what: string, min: number, max: number): number {
  const value = /^\d{1,9}$/.test(text) ? Number(text) : NaN;
  if (!(value >= min && value <= max)) throw new UsageError(`${what} must be a whole number from ${min} to ${max}, got '${text}'`);
  return value;
}

export function parseCollectorArgs(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): CollectorCommand {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        host: { type: 'string' },
        port: { type: 'string' },
        'sqlite-file': { type: 'string' },
        'tls-key': { type: 'string' },
        'tls-cert': { type: 'string' },
        issuer: { type: 'string' },
        audience: { type: 'string' },
        'jwks-uri': { type: 'string' },
        'postgres-pool-size': { type: 'string' },
        'rate-limit': { type: 'string' },
        'max-connections': { type: 'string' },
        'max-connections-per-address': { type: 'string' },
        'verify-workers': { type: 'string' },
        'trusted-proxies': { type: 'string' },
        'metrics-listen': { type: 'string' },
        'rules-file': { type: 'string' },
        'console-key-file': { type: 'string' },
        'console-ui': { type: 'string' },
        policy: { type: 'string' },
        'policy-key': { type: 'string' },
        // export and verify-export
        format: { type: 'string' },
        out: { type: 'string' },
        user: { type: 'string' },
        device: { type: 'string' },
        from: { type: 'string' },
        to: { type: 'string' },
        code: { type: 'string' },
        'has-alerts': { type: 'boolean' },
        'not-reviewed': { type: 'boolean' },
        key: { type: 'string' },
        // retention
        'retain-events': { type: 'string' },
        'retain-alerts': { type: 'string' },
        'retain-reviews': { type: 'string' },
        'retain-access-log': { type: 'string' },
        'dispose-every': { type: 'string' },
        'dry-run': { type: 'boolean' },
        verify: { type: 'boolean' },
        reason: { type: 'string' },
        // access end-user
        on: { type: 'string' },
        clear: { type: 'boolean' },
      },
    });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const { values, positionals } = parsed;
  const [verb, ...rest] = positionals;
  if (verb === 'find-session' && rest.length === 0) throw new UsageError('find-session needs the session code shown in the watermark, e.g. find-session 7K2M-QX4P');
  if (verb === 'verify-export' && rest.length === 0) throw new UsageError('verify-export needs the evidence package folder, e.g. verify-export ./evidence-2026-11');
  if (verb === 'import-training' && rest.length === 0) throw new UsageError('import-training needs the CSV file, e.g. import-training ./training-2027-03.csv');
  const known =
    verb === undefined ||
    (['issue-code', 'export', 'dispose', 'retention'].includes(verb) && rest.length === 0) ||
    (['find-session', 'verify-export', 'import-training'].includes(verb) && rest.length === 1) ||
    (verb === 'legal-hold' && ((rest[0] === 'release' && rest.length === 2) || (['place', 'list'].includes(rest[0] ?? '') && rest.length === 1))) ||
    (verb === 'access' && ACCESS_VERBS.includes(rest[0] as AccessVerb) && rest.length === (rest[0] === 'list' ? 1 : 2));
  if (verb === 'legal-hold' && !known) throw new UsageError('legal-hold takes: place (--user SUBJECT | --device ID) --reason TEXT, release ID, or list');
  if (verb === 'access' && !known) throw new UsageError('access takes: revoke-device ID, revoke-user SUBJECT, end-user SUBJECT (--on DATE | --clear), reinstate-device ID, reinstate-user SUBJECT, or list');
  if (!known) throw new UsageError(`unknown command '${positionals.join(' ')}' (commands: issue-code, find-session CODE, export, verify-export DIR, dispose, legal-hold, retention, import-training FILE, access)`);
  // Each verb's own flags, refused elsewhere so a typo never silently does something else.
  const owners: [readonly (keyof typeof values)[], string, boolean][] = [
    [['format', 'out', 'from', 'to', 'code', 'has-alerts', 'not-reviewed'], 'the export command', verb === 'export'],
    [['user', 'device'], 'the export and legal-hold place commands', verb === 'export' || (verb === 'legal-hold' && rest[0] === 'place')],
    [['reason'], 'the legal-hold place command', verb === 'legal-hold' && rest[0] === 'place'],
    [['key'], 'the verify-export command', verb === 'verify-export'],
    [['dry-run'], 'the dispose command', verb === 'dispose'],
    [['verify'], 'the retention command', verb === 'retention'],
    [['policy', 'policy-key'], 'serving and the import-training command', verb === undefined || verb === 'import-training'],
    [['on', 'clear'], 'the access end-user command', verb === 'access' && rest[0] === 'end-user'],
  ];
  for (const [flags, owner, allowed] of owners) {
    const used = flags.find((flag) => values[flag] !== undefined);
    if (!allowed && used !== undefined) throw new UsageError(`--${String(used)} belongs to ${owner}`);
  }
  let legalHold: LegalHoldAction | undefined;
  if (verb === 'legal-hold') {
    if (rest[0] === 'place') {
      if ((values.user === undefined) === (values.device === undefined) || values.reason === undefined) throw new UsageError('legal-hold place needs --user SUBJECT or --device ID (one of them) and --reason TEXT');
      legalHold = { action: 'place', kind: values.user === undefined ? 'device' : 'user', target: values.user ?? values.device ?? '', reason: values.reason };
    } else legalHold = rest[0] === 'release' ? { action: 'release', holdId: rest[1] ?? '' } : { action: 'list' };
  }
  let access: AccessAction | undefined;
  if (verb === 'access') {
    const [action, target = ''] = rest as [AccessVerb, string?];
    if (action === 'list') access = { verb: 'list' };
    else if (action !== 'end-user') access = { verb: action, target };
    else {
      if ((values.on === undefined) === (values.clear === undefined)) throw new UsageError('access end-user needs --on DATE (YYYY-MM-DD or an ISO time) or --clear (one of them)');
      const endsAt = values.on === undefined ? null : readAccessEnd(values.on);
      if (typeof endsAt === 'string') throw new UsageError(endsAt);
      access = { verb: action, target, endsAt };
    }
  }
  let retention: RetentionSettings;
  try {
    const period = (flag: 'retain-events' | 'retain-alerts' | 'retain-reviews' | 'retain-access-log', variable: string, fallback: RetentionSettings['events']) => {
      const text = values[flag] ?? env[variable];
      return text === undefined ? fallback : parseRetentionPeriod(text, `--${flag}`);
    };
    const every = values['dispose-every'] ?? env.CORDON_COLLECTOR_DISPOSE_EVERY;
    retention = {
      events: period('retain-events', 'CORDON_COLLECTOR_RETAIN_EVENTS', DEFAULT_RETENTION_PERIODS.events),
      alerts: period('retain-alerts', 'CORDON_COLLECTOR_RETAIN_ALERTS', DEFAULT_RETENTION_PERIODS.alerts),
      reviews: period('retain-reviews', 'CORDON_COLLECTOR_RETAIN_REVIEWS', DEFAULT_RETENTION_PERIODS.reviews),
      accessLog: period('retain-access-log', 'CORDON_COLLECTOR_RETAIN_ACCESS_LOG', DEFAULT_RETENTION_PERIODS.accessLog),
      intervalMs: every === undefined ? DEFAULT_RETENTION_PERIODS.intervalMs : parseDisposalInterval(every, '--dispose-every'),
    };
  } catch (error) {
    throw error instanceof RetentionSettingError ? new UsageError(error.message) : error;
  }
  if (verb === 'export' && (values.format === undefined || values.out === undefined)) throw new UsageError(`export needs --format (${EXPORT_FORMATS.join(', ')}) and --out (a new file, or a new folder for evidence)`);
  const notes: string[] = [];
  /** Verbs that work on the stored trail and exit: no server, no console, no IdP. */
  const offline = verb !== undefined && verb !== 'issue-code' && verb !== 'find-session';

  const portText = values.port ?? env.CORDON_COLLECTOR_PORT ?? String(DEFAULT_PORT);
  const port = /^\d{1,5}$/.test(portText) ? Number(portText) : NaN;
  if (!(port >= 0 && port <= 65535)) throw new UsageError(`the port must be a number from 0 to 65535, got '${portText}'`);

  const postgresUrl = env.CORDON_COLLECTOR_POSTGRES_URL;
  if (postgresUrl !== undefined && values['sqlite-file'] !== undefined) throw new UsageError('choose one storage: --sqlite-file or CORDON_COLLECTOR_POSTGRES_URL, not both');
  if (postgresUrl !== undefined && !/^postgres(ql)?:\/\//.test(postgresUrl)) throw new UsageError('CORDON_COLLECTOR_POSTGRES_URL must start with postgres:// or postgresql://');
  const poolSizeText = values['postgres-pool-size'] ?? env.CORDON_COLLECTOR_POSTGRES_POOL_SIZE;
  const poolSize = poolSizeText === undefined ? undefined : wholeNumber(poolSizeText, '--postgres-pool-size', 1, 1000);
  const storage: StorageConfig =
    postgresUrl === undefined ? { kind: 'sqlite', file: values['sqlite-file'] ?? DEFAULT_SQLITE_FILE } : { kind: 'postgres', url: postgresUrl, ...(poolSize === undefined ? {} : { poolSize }) };

  const tlsKey = values['tls-key'];
  const tlsCert = values['tls-cert'];
  if ((tlsKey === undefined) !== (tlsCert === undefined)) throw new UsageError('--tls-key and --tls-cert go together');

  const option = (flag: 'rate-limit' | 'max-connections' | 'max-connections-per-address' | 'verify-workers', variable: string, min: number, max: number): number | undefined => {
    const text = values[flag] ?? env[variable];
    return text === undefined ? undefined : wholeNumber(text, `--${flag}`, min, max);
  };
  const rateLimit = option('rate-limit', 'CORDON_COLLECTOR_RATE_LIMIT', 1, 1_000_000);
  const maxTotal = option('max-connections', 'CORDON_COLLECTOR_MAX_CONNECTIONS', 1, 1_000_000);
  const maxPerAddress = option('max-connections-per-address', 'CORDON_COLLECTOR_MAX_CONNECTIONS_PER_ADDRESS', 1, 1_000_000);
  const verifyWorkers = option('verify-workers', 'CORDON_COLLECTOR_VERIFY_WORKERS', 0, 64);
  const trustedProxies = list(values['trusted-proxies'] ?? env.CORDON_COLLECTOR_TRUSTED_PROXIES);
  for (const proxy of trustedProxies) {
    if (!/^[0-9a-fA-F.:]+(\/\d{1,3})?$/.test(proxy)) throw new UsageError(`--trusted-proxies takes IP addresses or CIDR ranges, got '${proxy}'`);
  }
  const metricsListenText = values['metrics-listen'] ?? env.CORDON_COLLECTOR_METRICS_LISTEN;
  const metricsListenMatch = metricsListenText === undefined ? null : /^\[?([^\]]+?)\]?:(\d{1,5})$/.exec(metricsListenText);
  if (metricsListenText !== undefined && metricsListenMatch === null) throw new UsageError(`--metrics-listen must be HOST:PORT, got '${metricsListenText}'`);
  const metricsListen = metricsListenMatch === null ? undefined : { host: metricsListenMatch[1] as string, port: wholeNumber(metricsListenMatch[2] as string, '--metrics-listen port', 0, 65535) };
  const connections = { ...(maxTotal === undefined ? {} : { maxTotal }), ...(maxPerAddress === undefined ? {} : { maxPerAddress }) };

  const issuer = values.issuer ?? env.CORDON_COLLECTOR_ISSUER;
  const audience = values.audience ?? env.CORDON_COLLECTOR_AUDIENCE;
  const jwksUri = values['jwks-uri'] ?? env.CORDON_COLLECTOR_JWKS_URI;
  // No implicit issuer: whatever listens on a default address (any local user can bind a
  // port) would mint tokens that enroll devices. The demo stack names its IdP itself.
  let trustedIssuer: TrustedIssuer | undefined;
  if (offline) {
    // Verbs on the stored trail trust no IdP; the issuer (alone) scopes user subjects in FHIR exports.
  } else if (issuer === undefined && audience === undefined && jwksUri === undefined) {
    notes.push('no identity provider configured: token enrollment is off, devices enroll only with a code from IT (issue-code); set --issuer and --audience to allow it');
  } else {
    if (issuer === undefined || audience === undefined) throw new UsageError('--issuer and --audience go together');
    trustedIssuer = { issuer: httpUrl(issuer, '--issuer'), audience, ...(jwksUri === undefined ? {} : { jwksUri: httpUrl(jwksUri, '--jwks-uri') }) };
  }

  const keyFile = values['console-key-file'] ?? DEFAULT_CONSOLE_KEY_FILE;
  const policyFile = values.policy ?? env.CORDON_COLLECTOR_POLICY_FILE;
  const policyKey = values['policy-key'] ?? env.CORDON_COLLECTOR_POLICY_KEY;
  if ((policyFile === undefined) !== (policyKey === undefined)) throw new UsageError('--policy and --policy-key go together: the collector believes the policy only with the key that signed it');
  const policy = policyFile === undefined || policyKey === undefined ? null : { file: policyFile, keyFile: policyKey };
  const consoleConfig = offline ? null : parseConsoleEnv(env, { keyFile, uiDir: values['console-ui'] ?? DEFAULT_CONSOLE_UI_DIR, policy });
  if (consoleConfig === null && !offline) notes.push('the supervisors\' console is off: set CORDON_CONSOLE_ISSUER (see --help) to serve it at /console/');

  const exportQuery = Object.fromEntries(
    [
      ['format', values.format],
      ['user', values.user],
      ['device', values.device],
      ['from', values.from],
      ['to', values.to],
      ['code', values.code],
      ['hasAlerts', values['has-alerts'] === true ? 'true' : undefined],
      ['notReviewed', values['not-reviewed'] === true ? 'true' : undefined],
    ].filter((entry): entry is [string, string] => entry[1] !== undefined),
  );

  return {
    command: verb === undefined ? 'serve' : (verb as CollectorCommand['command']),
    ...(verb === 'find-session' && rest[0] !== undefined ? { sessionCode: rest[0] } : {}),
    ...(verb === 'export' && values.out !== undefined ? { export: { query: exportQuery, out: values.out, keyFile, issuer: issuer ?? env.CORDON_CONSOLE_ISSUER ?? null } } : {}),
    ...(verb === 'verify-export' && rest[0] !== undefined ? { verifyExport: { dir: rest[0], ...(values.key === undefined ? {} : { key: values.key }) } } : {}),
    retention,
    keyFile,
    ...(legalHold === undefined ? {} : { legalHold }),
    ...(access === undefined ? {} : { access }),
    ...(verb === 'import-training' && rest[0] !== undefined ? { importTraining: { file: rest[0] } } : {}),
    policy,
    dryRun: values['dry-run'] === true,
    verify: values.verify === true,
    config: {
      storage,
      host: values.host ?? env.CORDON_COLLECTOR_HOST ?? '127.0.0.1',
      port,
      ...(trustedIssuer === undefined ? {} : { trustedIssuer }),
      ...(rateLimit === undefined ? {} : { rateLimit: { max: rateLimit, windowMs: 60_000 } }),
      ...(Object.keys(connections).length === 0 ? {} : { connections }),
      ...(verifyWorkers === undefined ? {} : { verifyWorkers }),
      ...(trustedProxies.length === 0 ? {} : { trustedProxies }),
      ...(metricsListen === undefined ? {} : { metricsListen }),
      ...(env.CORDON_COLLECTOR_METRICS_TOKEN === undefined || env.CORDON_COLLECTOR_METRICS_TOKEN === '' ? {} : { metricsToken: env.CORDON_COLLECTOR_METRICS_TOKEN }),
      ...(consoleConfig === null ? {} : { console: consoleConfig }),
      ...(verb === undefined ? { retention: { ...retention, keyFile } } : {}),
    },
    tlsFiles: tlsKey !== undefined && tlsCert !== undefined ? { key: tlsKey, cert: tlsCert } : null,
    rulesFile: values['rules-file'] ?? (env.CORDON_COLLECTOR_RULES_FILE || null),
    notes,
  };
}

const list = (value: string | undefined) => (value ?? '').split(',').map((v) => v.trim()).filter((v) => v !== '');

/** The console's settings from CORDON_CONSOLE_*; null (console off) without an issuer. */
function parseConsoleEnv(env: Readonly<Record<string, string | undefined>>, files: { keyFile: string; uiDir: string; policy: PracticePolicySource | null }): ConsoleConfig | null {
  const issuer = env.CORDON_CONSOLE_ISSUER;
  if (issuer === undefined || issuer === '') return null;
  const clientId = env.CORDON_CONSOLE_CLIENT_ID;
  const clientSecret = env.CORDON_CONSOLE_CLIENT_SECRET;
  if (clientId === undefined || clientId === '' || clientSecret === undefined || clientSecret === '') throw new UsageError('the console needs CORDON_CONSOLE_CLIENT_ID and CORDON_CONSOLE_CLIENT_SECRET with CORDON_CONSOLE_ISSUER');
  const mfa = { amrMethods: list(env.CORDON_CONSOLE_MFA_AMR), acrValues: list(env.CORDON_CONSOLE_MFA_ACR) };
  if (mfa.amrMethods.length + mfa.acrValues.length === 0) throw new UsageError('the console needs CORDON_CONSOLE_MFA_AMR or CORDON_CONSOLE_MFA_ACR: MFA is not optional (use the values of the policy\'s identity.mfa)');
  const idleText = env.CORDON_CONSOLE_IDLE_MINUTES ?? '15';
  const idleMinutes = /^\d{1,4}$/.test(idleText) ? Number(idleText) : NaN;
  if (!(idleMinutes >= 1 && idleMinutes <= 480)) throw new UsageError(`CORDON_CONSOLE_IDLE_MINUTES must be 1 to 480, got '${idleText}'`);
  const issuerUrl = httpUrl(issuer, 'CORDON_CONSOLE_ISSUER');
  const publicUrl = env.CORDON_CONSOLE_PUBLIC_URL;
  return {
    oidc: { issuer: issuerUrl, clientId, clientSecret, mfa, rolesClaim: env.CORDON_CONSOLE_ROLES_CLAIM ?? 'roles', allowInsecureLoopback: new URL(issuerUrl).hostname === '127.0.0.1' },
    uiDir: files.uiDir,
    keyFile: files.keyFile,
    ...(files.policy === null ? {} : { policy: files.policy }),
    idleTimeoutSeconds: idleMinutes * 60,
    ...(publicUrl === undefined || publicUrl === '' ? {} : { publicUrl: httpUrl(publicUrl, 'CORDON_CONSOLE_PUBLIC_URL') }),
    ...(env.CORDON_CONSOLE_PRACTICE_NAME === undefined || env.CORDON_CONSOLE_PRACTICE_NAME.trim() === '' ? {} : { practiceName: env.CORDON_CONSOLE_PRACTICE_NAME.trim() }),
  };
}
