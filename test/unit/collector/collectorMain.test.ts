// `npm run collector` as IT runs it (a real process): bad configuration fails with a clear
// message and exit code 2; `issue-code` prints a code that then enrolls a device; the
// server prints its URL, says that token enrollment is off without an IdP, and stops on Ctrl+C, saying so.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseCollectorArgs, UsageError } from '../../../collector/collectorArgs';
import { startCollector } from '../../../collector/collectorServer';
import { loadOrCreateCollectorKey } from '../../../collector/console/accessLog';
import { STORAGES, startTestIssuer } from './collectorHarness';
import { auditBody, send, TestDevice } from './collectorTestDevice';

const root = path.resolve(import.meta.dirname, '../../..');
const tsx = path.join(root, 'node_modules/.bin/tsx');
const main = path.join(root, 'collector/collectorMain.ts');
const dir = mkdtempSync(path.join(tmpdir(), 'cordon-collector-cli-'));
const cleanEnv = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('CORDON_COLLECTOR_') && !name.startsWith('CORDON_CONSOLE_')));

function runCli(args: string[], env: Record<string, string> = {}) {
  return spawnSync(tsx, [main, ...args], { cwd: dir, env: { ...cleanEnv, ...env }, encoding: 'utf8', timeout: 30_000 });
}

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('collector command line', () => {
  it('parses flags and environment into a config; without an IdP configured it trusts none (token enrollment off)', () => {
    const defaults = parseCollectorArgs([], {});
    expect(defaults.config).toMatchObject({ storage: { kind: 'sqlite', file: '.collector-data/collector.db' }, host: '127.0.0.1', port: 4430 });
    expect(defaults.config.trustedIssuer).toBeUndefined();
    expect(defaults.notes.join()).toMatch(/token enrollment is off/);
    const practice = parseCollectorArgs(['--issuer', 'https://idp.practice.example', '--audience', 'urn:practice:collector', '--port', '0'], { CORDON_COLLECTOR_POSTGRES_URL: 'postgres://u:p@db/collector' });
    expect(practice.config).toMatchObject({ storage: { kind: 'postgres', url: 'postgres://u:p@db/collector' }, port: 0, trustedIssuer: { issuer: 'https://idp.practice.example', audience: 'urn:practice:collector' } });
    expect(practice.notes).toEqual(["the supervisors' console is off: set CORDON_CONSOLE_ISSUER (see --help) to serve it at /console/"]);
    expect(parseCollectorArgs(['issue-code'], {}).command).toBe('issue-code');
    expect(parseCollectorArgs(['find-session', '7K2M-QX4P'], {})).toMatchObject({ command: 'find-session', sessionCode: '7K2M-QX4P' });
    expect(parseCollectorArgs([], { CORDON_COLLECTOR_METRICS_TOKEN: 'metrics-secret-1' }).config.metricsToken).toBe('metrics-secret-1');
    expect(defaults.config.metricsToken).toBeUndefined();
    expect(parseCollectorArgs([], { CORDON_COLLECTOR_POSTGRES_URL: 'postgres://db/x', CORDON_COLLECTOR_POSTGRES_POOL_SIZE: '40' }).config.storage).toMatchObject({ kind: 'postgres', poolSize: 40 });
    expect(parseCollectorArgs(['--rate-limit', '6000', '--max-connections', '900'], { CORDON_COLLECTOR_MAX_CONNECTIONS_PER_ADDRESS: '400' }).config).toMatchObject({ rateLimit: { max: 6000, windowMs: 60_000 }, connections: { maxTotal: 900, maxPerAddress: 400 } });
    expect(parseCollectorArgs(['--verify-workers', '0'], {}).config.verifyWorkers).toBe(0);
    expect(parseCollectorArgs([], { CORDON_COLLECTOR_VERIFY_WORKERS: '3' }).config.verifyWorkers).toBe(3);
    expect(parseCollectorArgs([], { CORDON_COLLECTOR_RATE_LIMIT: '1200' }).config.rateLimit).toEqual({ max: 1200, windowMs: 60_000 });
    expect(defaults.config.rateLimit).toBeUndefined();
    expect(parseCollectorArgs(['--metrics-listen', '10.0.0.2:9464'], {}).config.metricsListen).toEqual({ host: '10.0.0.2', port: 9464 });
    expect(parseCollectorArgs([], { CORDON_COLLECTOR_METRICS_LISTEN: '[::1]:0' }).config.metricsListen).toEqual({ host: '::1', port: 0 });
    expect(parseCollectorArgs(['--trusted-proxies', '10.0.0.5, 10.1.0.0/16'], {}).config.trustedProxies).toEqual(['10.0.0.5', '10.1.0.0/16']);
    expect(parseCollectorArgs(['--postgres-pool-size', '25'], { CORDON_COLLECTOR_POSTGRES_URL: 'postgres://db/x' }).config.storage).toMatchObject({ poolSize: 25 });
    for (const [args, env] of [
      [['--port', '70000'], {}],
      [['--issuer', 'https://idp.example'], {}],
      [['--tls-key', 'k.pem'], {}],
      [['--sqlite-file', 'x.db'], { CORDON_COLLECTOR_POSTGRES_URL: 'postgres://db/x' }],
      [['serve-forever'], {}],
      [['--bogus'], {}],
      [['--postgres-pool-size', '0'], { CORDON_COLLECTOR_POSTGRES_URL: 'postgres://db/x' }],
      [['--rate-limit', 'lots'], {}],
      [['--verify-workers', 'many'], {}],
      [[], { CORDON_COLLECTOR_VERIFY_WORKERS: '65' }],
      [['--trusted-proxies', 'lb.example'], {}],
      [['--metrics-listen', '9464'], {}],
      [[], { CORDON_COLLECTOR_MAX_CONNECTIONS: '0' }],
      [['--issuer', 'ftp://idp', '--audience', 'a'], {}],
    ] as const) {
      expect(() => parseCollectorArgs(args, env), args.join(' ')).toThrow(UsageError);
    }
  });

  it('turns CORDON_CONSOLE_* into the console settings, and refuses a console without a client or without MFA', () => {
    const env = { CORDON_CONSOLE_ISSUER: 'https://idp.practice.example', CORDON_CONSOLE_CLIENT_ID: 'console', CORDON_CONSOLE_CLIENT_SECRET: 's3cret', CORDON_CONSOLE_MFA_AMR: 'otp, hwk', CORDON_CONSOLE_IDLE_MINUTES: '10' };
    const parsed = parseCollectorArgs(['--console-key-file', '/etc/cordon/collector-key.pem'], env);
    expect(parsed.config.console).toMatchObject({
      oidc: { issuer: 'https://idp.practice.example', clientId: 'console', clientSecret: 's3cret', mfa: { amrMethods: ['otp', 'hwk'], acrValues: [] }, rolesClaim: 'roles', allowInsecureLoopback: false },
      keyFile: '/etc/cordon/collector-key.pem',
      uiDir: 'out/console',
      idleTimeoutSeconds: 600,
    });
    expect(parsed.notes.join()).not.toMatch(/console is off/);
    expect(parsed.config.console?.practiceName).toBeUndefined();
    expect(parseCollectorArgs([], { ...env, CORDON_CONSOLE_PRACTICE_NAME: ' Sunrise Family Medicine ' }).config.console?.practiceName).toBe('Sunrise Family Medicine');
    for (const bad of [{ CORDON_CONSOLE_CLIENT_SECRET: '' }, { CORDON_CONSOLE_MFA_AMR: ' , ' }, { CORDON_CONSOLE_IDLE_MINUTES: '0' }, { CORDON_CONSOLE_ISSUER: 'idp.example' }]) {
      expect(() => parseCollectorArgs([], { ...env, ...bad }), JSON.stringify(bad)).toThrow(UsageError);
    }
  });

  it('bad configuration exits 2 with the reason and the usage', () => {
    const result = runCli(['--port', 'eighty']);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain("the port must be a number from 0 to 65535, got 'eighty'");
    expect(result.stderr).toContain('usage: npm run collector');
    const tls = runCli(['--tls-key', 'missing.pem', '--tls-cert', 'missing.pem', '--port', '0']);
    expect(tls.status).toBe(2);
    expect(tls.stderr).toContain("cannot read the TLS key 'missing.pem'");
  });

  it('unreachable storage exits 1 saying it is the database, which one, and why, never the password', () => {
    const result = runCli(['issue-code'], { CORDON_COLLECTOR_POSTGRES_URL: 'postgres://nobody:s3cret-pw@127.0.0.1:9/none' });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('collector: cannot open the PostgreSQL database none at 127.0.0.1:9, user nobody: nothing accepts connections there');
    expect(result.stderr).toContain('(ECONNREFUSED)');
    expect(result.stderr).not.toContain('s3cret-pw');
    // Serving and the other verbs name the database the same way (the store says it when it cannot open).
    for (const args of [['--port', '0'], ['access', 'list'], ['retention']]) {
      const other = runCli(args, { CORDON_COLLECTOR_POSTGRES_URL: 'postgres://nobody:s3cret-pw@127.0.0.1:9/none' });
      expect(other.status, args.join(' ')).toBe(1);
      expect(other.stderr).toContain('cannot open the PostgreSQL database none at 127.0.0.1:9');
      expect(other.stderr).not.toContain('s3cret-pw');
    }
  });

  it('find-session with no code says what it needs, with the usage', () => {
    const result = runCli(['find-session']);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('find-session needs the session code shown in the watermark, e.g. find-session 7K2M-QX4P');
    expect(result.stderr).toContain('usage: npm run collector');
  });

  it('issue-code prints a one-time code that enrolls a device on a collector using the same storage', async () => {
    const file = path.join(dir, 'issue.db');
    const result = runCli(['issue-code', '--sqlite-file', file]);
    expect(result.status, result.stderr).toBe(0);
    const code = /enrollment code: ([A-Z0-9-]{19})/.exec(result.stdout)?.[1];
    expect(code).toMatch(/^[A-Z0-9]{4}(-[A-Z0-9]{4}){3}$/);
    const collector = await startCollector({ port: 0, storage: { kind: 'sqlite', file } });
    try {
      const device = new TestDevice(collector.url);
      expect((await device.enroll({ kind: 'enrollment-code', code: code as string })).status).toBe(201);
      expect((await new TestDevice(collector.url).enroll({ kind: 'enrollment-code', code: code as string })).status).toBe(403);
    } finally {
      await collector.close();
    }
  });

  it('export writes an evidence package that verify-export accepts with the practice key, and names what a bad export request lacks', async () => {
    const file = path.join(dir, 'export.db');
    const keyFile = path.join(dir, 'export-key.pem');
    const collector = await startCollector({ port: 0, storage: { kind: 'sqlite', file } });
    try {
      const device = new TestDevice(collector.url);
      await device.enrollWithCode(collector);
      expect((await device.sendBatch(device.record(5, () => auditBody({ subject: 'sub-valerie', session: '7K2M-QX4P' })))).status).toBe(200);
    } finally {
      await collector.close();
    }
    // The key file is the console's; the console creates it, and export never does.
    const noKey = runCli(['export', '--format', 'csv', '--out', path.join(dir, 'x.csv'), '--sqlite-file', file, '--console-key-file', keyFile]);
    expect(noKey.status).toBe(3);
    expect(noKey.stderr).toContain('does not exist');
    loadOrCreateCollectorKey(keyFile);

    const out = path.join(dir, 'evidence');
    const exported = runCli(['export', '--format', 'evidence', '--out', out, '--sqlite-file', file, '--console-key-file', keyFile]);
    expect(exported.status, exported.stderr).toBe(0);
    expect(exported.stdout).toContain('Recorded in the console access log');
    const keyId = /--key ([0-9a-f]{16})/.exec(exported.stdout)?.[1] as string;
    expect(keyId).toBe(loadOrCreateCollectorKey(keyFile).keyId);
    const verified = runCli(['verify-export', out, '--key', keyId]);
    expect(verified.status, verified.stdout + verified.stderr).toBe(0);
    expect(verified.stdout).toMatch(/events 1\.\.5 are complete and authentic .*5 of them selected/);
    // Without the key given apart from the package, the signer is not confirmed.
    expect(runCli(['verify-export', out]).status).toBe(4);
    writeFileSync(path.join(out, 'manifest.json'), readFileSync(path.join(out, 'manifest.json'), 'utf8').replace(/"events": \d+/, '"events": 1'));
    const tampered = runCli(['verify-export', out, '--key', keyId]);
    expect(tampered.status).toBe(1);
    expect(tampered.stderr).toContain('manifest.sig is not a signature of manifest.json');

    for (const [args, message] of [
      [['export', '--out', 'x.csv'], 'export needs --format'],
      [['export', '--format', 'pdf', '--out', path.join(dir, 'x.pdf'), '--sqlite-file', file, '--console-key-file', keyFile], 'format'],
      [['verify-export'], 'verify-export needs the evidence package folder'],
      [['issue-code', '--format', 'csv'], '--format belongs to the export command'],
      [['--key', 'abc'], '--key belongs to the verify-export command'],
    ] as const) {
      const result = runCli([...args]);
      expect(result.status, args.join(' ')).toBe(2);
      expect(result.stderr).toContain(message);
    }
  }, 120_000);

  it('retention: periods and interval from flags or environment, default six years and daily; each retention verb with its own flags', () => {
    expect(parseCollectorArgs([], {}).config.retention).toMatchObject({ events: { years: 6 }, alerts: { years: 6 }, reviews: { years: 6 }, accessLog: { years: 6 }, intervalMs: 86_400_000, keyFile: '.collector-data/collector-key.pem' });
    expect(parseCollectorArgs(['--retain-events', '7y', '--dispose-every', 'off'], { CORDON_COLLECTOR_RETAIN_ACCESS_LOG: '2190d' }).config.retention).toMatchObject({ events: { years: 7 }, accessLog: { days: 2190 }, intervalMs: null });
    expect(parseCollectorArgs(['dispose', '--dry-run'], {})).toMatchObject({ command: 'dispose', dryRun: true, retention: { events: { years: 6 } } });
    expect(parseCollectorArgs(['legal-hold', 'place', '--user', 'sub-valerie', '--reason', 'matter 7'], {}).legalHold).toEqual({ action: 'place', kind: 'user', target: 'sub-valerie', reason: 'matter 7' });
    expect(parseCollectorArgs(['legal-hold', 'release', '3'], {}).legalHold).toEqual({ action: 'release', holdId: '3' });
    expect(parseCollectorArgs(['retention', '--verify'], {})).toMatchObject({ command: 'retention', verify: true });
    // Verbs that only read or act on the stored trail never start a server with retention on.
    expect(parseCollectorArgs(['dispose'], {}).config.retention).toBeUndefined();
    for (const [args, message] of [
      [['--retain-events', '0y'], '--retain-events must be a number of years or days'],
      [['--dispose-every', 'weekly'], '--dispose-every must be off or a time'],
      [['legal-hold', 'place', '--reason', 'x'], 'legal-hold place needs --user SUBJECT or --device ID'],
      [['legal-hold', 'place', '--user', 'a', '--device', 'b', '--reason', 'x'], 'legal-hold place needs --user SUBJECT or --device ID'],
      [['legal-hold', 'drop'], 'legal-hold takes: place'],
      [['retention', '--dry-run'], '--dry-run belongs to the dispose command'],
      [['dispose', '--verify'], '--verify belongs to the retention command'],
      [['--reason', 'x'], '--reason belongs to the legal-hold place command'],
      [['legal-hold', 'list', '--user', 'a'], '--user belongs to the export and legal-hold place commands'],
    ] as const) {
      expect(() => parseCollectorArgs([...args], {}), args.join(' ')).toThrow(message);
    }
  });

  it('dispose, legal-hold and retention run against the stored trail and say what they did', async () => {
    const file = path.join(dir, 'retention.db');
    const keyFile = path.join(dir, 'retention-key.pem');
    loadOrCreateCollectorKey(keyFile);
    const collector = await startCollector({ port: 0, storage: { kind: 'sqlite', file } });
    const device = new TestDevice(collector.url);
    const { deviceId } = device;
    try {
      await device.enrollWithCode(collector);
      expect((await device.sendBatch(device.record(3, () => auditBody({ subject: 'sub-valerie', session: '7K2M-QX4P' })))).status).toBe(200);
    } finally {
      await collector.close();
    }
    const on = ['--sqlite-file', file, '--console-key-file', keyFile];
    const placed = runCli(['legal-hold', 'place', '--device', deviceId, '--reason', 'Litigation hold', ...on]);
    expect(placed.status, placed.stderr).toBe(0);
    expect(placed.stdout).toMatch(/Placed legal hold #1 on device/);
    expect(runCli(['legal-hold', 'list', ...on]).stdout).toMatch(/#1 on device/);
    const dry = runCli(['dispose', '--dry-run', '--retain-events', '1d', ...on]);
    expect(dry.status, dry.stderr).toBe(0);
    const status = runCli(['retention', '--verify', ...on]);
    expect(status.status, status.stdout + status.stderr).toBe(0);
    expect(status.stdout).toContain('retention: events 6 years');
    expect(runCli(['legal-hold', 'release', '1', ...on]).status).toBe(0);
    const noKey = runCli(['dispose', '--sqlite-file', file, '--console-key-file', path.join(dir, 'absent.pem')]);
    expect(noKey.status).toBe(3);
    expect(noKey.stderr).toContain('does not exist');
  }, 120_000);

  it('serves until Ctrl+C (SIGINT), printing its URL, and says it stopped; with no IdP configured it refuses token enrollment (no demo-IdP fallback); the default SQLite file is under .collector-data/', async () => {
    const demoIdp = await startTestIssuer();
    const child = spawn(tsx, [main, '--port', '0'], { cwd: dir, env: cleanEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      const deadline = Date.now() + 20_000;
      while (!/listening on (\S+)/.test(output) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
      const url = /listening on (\S+)/.exec(output)?.[1] ?? '';
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(output).toContain('token enrollment is off');
      expect(output).not.toContain('127.0.0.1:4400');
      expect(output).toContain('.collector-data/collector.db');
      expect(output).toContain('retention: events 6 years, alerts 6 years, reviews 6 years, access log 6 years; disposal every 1 day');
      expect((await send(`${url}/health`)).status).toBe(200);
      // Whatever answers on the demo IdP's address, this collector never asks it.
      const token = await demoIdp.token();
      expect(await new TestDevice(url).enroll({ kind: 'access-token', token })).toMatchObject({ status: 403, json: { error: 'token-enrollment-disabled' } });
    } finally {
      // What Ctrl+C sends; the collector says it is stopping, then that it stopped.
      child.kill('SIGINT');
      await demoIdp.close();
    }
    expect(await exited).toBe(0);
    expect(output).toContain('collector: Ctrl+C received, stopping');
    expect(output).toContain('collector stopped');
  });
});

// The PostgreSQL path of the command line, when a server is available.
const postgres = STORAGES.find((s) => s.name === 'postgres');
if (postgres?.skipReason) console.log(`SKIPPED collector-postgres (collector command line): ${postgres.skipReason}`);
describe.skipIf(postgres?.skipReason !== null)('collector command line [postgres]', () => {
  it('issue-code stores the code in PostgreSQL from CORDON_COLLECTOR_POSTGRES_URL', async () => {
    const { storage, remove } = await (postgres as (typeof STORAGES)[number]).create();
    if (storage.kind !== 'postgres') throw new Error('expected PostgreSQL');
    try {
      // The CLI uses the public schema; the test's own schema is reached via search_path in the URL.
      const url = `${storage.url}${storage.url.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${storage.schema}`)}`;
      const collector = await startCollector({ port: 0, storage });
      await collector.close();
      const result = runCli(['issue-code'], { CORDON_COLLECTOR_POSTGRES_URL: url });
      expect(result.status, result.stderr).toBe(0);
      expect(result.stdout).toContain('storage: the PostgreSQL database');
      const code = /enrollment code: ([A-Z0-9-]{19})/.exec(result.stdout)?.[1] as string;
      const again = await startCollector({ port: 0, storage });
      try {
        expect((await new TestDevice(again.url).enroll({ kind: 'enrollment-code', code })).status).toBe(201);
      } finally {
        await again.close();
      }
    } finally {
      await remove();
    }
  });
});
