// The scaled-out collector as IT runs it for an agency: several `npm run collector`
// processes on one PostgreSQL behind Debian's haproxy on 127.0.0.1. Real processes, so a
// collector can be killed with SIGKILL (a crash, a power cut) and started again on its port.
// No test framework here: the scale-out test and the benchmark both use it.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { peakRssKb } from './peakRss';

const root = path.resolve(import.meta.dirname, '../..');
const collectorMain = path.join(root, 'collector/collectorMain.ts');
const tsxLoader = pathToFileURL(path.join(root, 'node_modules/tsx/dist/loader.mjs')).href;
const HAPROXY = '/usr/sbin/haproxy';
const METRICS_TOKEN = 'cluster-test-metrics';

/** Why the cluster cannot run here, or null. */
export function clusterSkipReason(): string | null {
  if (process.env.CORDON_TEST_POSTGRES_URL === undefined) return 'CORDON_TEST_POSTGRES_URL not set (.ci/run starts PostgreSQL)';
  if (spawnSync(HAPROXY, ['-v']).status !== 0) return `${HAPROXY} is not installed (.ci/run installs Debian's haproxy)`;
  return null;
}

/** A port nothing listens on now, so a restarted collector can take its old one again. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

async function waitFor(what: string, check: () => boolean | Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const healthy = async (url: string) => {
  try {
    return (await fetch(`${url}/health`)).status === 200;
  } catch {
    return false;
  }
};

/** haproxy in front of the collectors: health-checked, round robin, a refused connection tried on another. */
export function haproxyConfig(port: number, backends: readonly number[]): string {
  return [
    'global',
    '  maxconn 4000',
    'defaults',
    '  mode http',
    '  timeout connect 2s',
    '  timeout client 60s',
    '  timeout server 60s',
    // A collector that refuses the connection (down, restarting): the request goes to another.
    '  retries 3',
    '  option redispatch',
    'frontend devices',
    `  bind 127.0.0.1:${port}`,
    '  option forwardfor',
    '  default_backend collectors',
    'backend collectors',
    '  balance roundrobin',
    '  option httpchk GET /health',
    '  http-check expect status 200',
    '  default-server inter 300ms fall 2 rise 1',
    ...backends.map((p, i) => `  server collector${i + 1} 127.0.0.1:${p} check`),
    '',
  ].join('\n');
}

export interface CollectorCluster {
  /** What devices are given: the load balancer's address. */
  url: string;
  /** Each collector's own address. */
  collectorUrls: string[];
  /** SIGKILL: no shutdown, requests in flight are cut. */
  kill(index: number): Promise<void>;
  /** Starts a killed collector again on its port and waits until haproxy may use it. */
  restart(index: number): Promise<void>;
  /** A counter from one collector's /metrics (reset when that process restarts). */
  metric(index: number, name: string): Promise<number>;
  /** Peak resident memory (kB, VmHWM) of each collector process now running. */
  peakRssKb(): number[];
  close(): Promise<void>;
}

/**
 * `count` collectors on the PostgreSQL `url` (its schema chosen with search_path in the
 * URL, as IT would), started one after the other so only the first runs migrations.
 */
export async function startCollectorCluster(options: { postgresUrl: string; schema: string; count: number }): Promise<CollectorCluster> {
  const dir = mkdtempSync(path.join(tmpdir(), 'cordon-cluster-'));
  const url = `${options.postgresUrl}${options.postgresUrl.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${options.schema}`)}`;
  const env = { ...Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('CORDON_COLLECTOR_') && !name.startsWith('CORDON_CONSOLE_'))), CORDON_COLLECTOR_POSTGRES_URL: url, CORDON_COLLECTOR_METRICS_TOKEN: METRICS_TOKEN };
  const ports = await Promise.all(Array.from({ length: options.count }, () => freePort()));
  const children: (ChildProcess | null)[] = ports.map(() => null);
  const output: string[] = ports.map(() => '');

  const start = async (index: number) => {
    const port = ports[index] as number;
    // Every device reaches the collectors through haproxy, so all come from one address:
    // the per-address limits are the load balancer's to set, not the collector's.
    // One process (tsx as a loader, not its wrapper), so SIGKILL kills the collector itself.
    const child = spawn(process.execPath, ['--import', tsxLoader, collectorMain, '--port', String(port), '--rate-limit', '1000000', '--max-connections', '4000', '--max-connections-per-address', '4000', '--trusted-proxies', '127.0.0.1'], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
    output[index] = '';
    child.stdout?.on('data', (chunk: Buffer) => (output[index] += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (output[index] += chunk.toString()));
    children[index] = child;
    await waitFor(`collector ${index + 1} to listen (output: ${output[index]})`, () => /listening on/.test(output[index] ?? '') || child.exitCode !== null, 60_000);
    if (child.exitCode !== null) throw new Error(`collector ${index + 1} exited: ${output[index]}`);
  };
  for (let i = 0; i < ports.length; i += 1) await start(i);

  const lbPort = await freePort();
  const configFile = path.join(dir, 'haproxy.cfg');
  writeFileSync(configFile, haproxyConfig(lbPort, ports));
  const check = spawnSync(HAPROXY, ['-c', '-f', configFile], { encoding: 'utf8' });
  if (check.status !== 0) throw new Error(`haproxy refused its configuration: ${check.stdout}${check.stderr}`);
  const haproxy = spawn(HAPROXY, ['-db', '-f', configFile], { stdio: ['ignore', 'ignore', 'pipe'] });
  let haproxyErrors = '';
  haproxy.stderr?.on('data', (chunk: Buffer) => (haproxyErrors += chunk.toString()));
  const lbUrl = `http://127.0.0.1:${lbPort}`;
  await waitFor(`haproxy to answer (${haproxyErrors})`, () => healthy(lbUrl), 20_000);

  const exited = (child: ChildProcess) => new Promise<void>((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once('exit', () => resolve())));

  return {
    url: lbUrl,
    collectorUrls: ports.map((p) => `http://127.0.0.1:${p}`),
    kill: async (index) => {
      const child = children[index];
      if (child === null || child === undefined) return;
      child.kill('SIGKILL');
      await exited(child);
      children[index] = null;
    },
    restart: async (index) => {
      await start(index);
      // haproxy marks it up after one passed check.
      await waitFor(`collector ${index + 1} to answer its health check`, () => healthy(`http://127.0.0.1:${ports[index] as number}`), 20_000);
      await new Promise((resolve) => setTimeout(resolve, 700));
    },
    metric: async (index, name) => {
      const text = await (await fetch(`http://127.0.0.1:${ports[index] as number}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).text();
      const line = text.split('\n').find((l) => l.startsWith(`${name} `));
      if (line === undefined) throw new Error(`no ${name} in collector ${index + 1}'s metrics`);
      return Number(line.slice(name.length + 1));
    },
    peakRssKb: () =>
      children.flatMap((child) => {
        if (child === null || child.pid === undefined) return [];
        return [peakRssKb(child.pid)];
      }),
    close: async () => {
      haproxy.kill('SIGTERM');
      await exited(haproxy);
      for (const child of children) {
        if (child === null) continue;
        child.kill('SIGTERM');
        await exited(child);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
