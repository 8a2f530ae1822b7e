// Notification tests: a collector whose rules notify the given channels, quick retries,
// /metrics on, and a way to open an alert (a watermark tampering event, severity high).
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';
import type { AlertingConfig } from '../../../collector/collectorConfig';
import { DEFAULT_RULES_FILE } from '../../../collector/rules/rulesSchema';
import { loopbackCertificate } from '../../support/testTls';
import { send } from './collectorTestDevice';
import { useTestCollector, type StorageUnderTest, type TestCollector } from './collectorHarness';
import { streamDevice } from './rulesStream';

const METRICS_TOKEN = 'notify-test-metrics-token';

/** `channels` is read when the collector starts (its beforeAll): fill it in a beforeAll declared before this call. */
export function useNotifyingCollector(storage: StorageUnderTest, channels: AlertingConfig['channels']): TestCollector & { openAlert(): Promise<string>; metric(name: string, channel: string): Promise<number> } {
  const alerting: AlertingConfig = { rules: DEFAULT_RULES_FILE, channels, notifierTiming: { pollMs: 100, firstRetryMs: 200, maxRetryMs: 400 } };
  const server = useTestCollector(storage, { alerting, metricsToken: METRICS_TOKEN });
  return Object.assign(server, {
    /** Opens a watermark-tampering alert on a new device; returns the device id. */
    async openAlert(): Promise<string> {
      const { device, send: sendEvents } = await streamDevice(server.collector, server.url);
      await sendEvents([{ type: 'watermark.tampered', outcome: 'blocked', at: new Date().toISOString(), appId: 'ehr', reason: 'removed', subject: 'notify-va', session: 'NTFY-0001' }]);
      return device.deviceId;
    },
    async metric(name: string, channel: string): Promise<number> {
      const reply = await send(`${server.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
      const line = reply.text.split('\n').find((l) => l.startsWith(`${name}{channel="${channel}"} `));
      return line === undefined ? 0 : Number(line.split(' ')[1]);
    },
  });
}

/** A port free right now on 127.0.0.1, for a receiver that starts later. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Why a receiver binary cannot run here, or null. */
export function missingBinary(command: string, args: string[], install: string): string | null {
  try {
    execFileSync(command, args, { stdio: 'ignore' });
    return null;
  } catch {
    return `${command} ${args.join(' ')} failed: apt-get install ${install} (.ci/run installs it)`;
  }
}

/** Resolves once a receiver the test started accepts connections on 127.0.0.1:port. */
async function listening(port: number, receiver: ChildProcess, name: string): Promise<void> {
  for (let i = 0; i < 100; i += 1) {
    if (receiver.exitCode !== null) throw new Error(`${name} exited with ${receiver.exitCode}`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1', () => {
        socket.destroy();
        resolve(true);
      });
      socket.on('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${name} did not listen on port ${port} within 10 s`);
}

/**
 * A receiver the suite starts itself (rsyslogd, aiosmtpd), with a temporary folder holding
 * a loopback certificate (cert.pem, key.pem); stopped and removed after the suite.
 */
export function useReceiverProcess(name: string): { dir: string; cert: string; start(command: string, args: string[], port: number): Promise<void> } {
  const dir = mkdtempSync(path.join(tmpdir(), `cordon-${name}-`));
  const tls = loopbackCertificate();
  writeFileSync(path.join(dir, 'cert.pem'), tls.cert);
  writeFileSync(path.join(dir, 'key.pem'), tls.key, { mode: 0o600 });
  let child: ChildProcess | null = null;
  afterAll(async () => {
    if (child !== null && child.exitCode === null) {
      const exited = new Promise((resolve) => child?.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  });
  return {
    dir,
    cert: tls.cert,
    start: async (command, args, port) => {
      child = spawn(command, args, { stdio: 'ignore' });
      await listening(port, child, name);
    },
  };
}
