// The collector as IT runs it: `npm run collector` in its own process, a one-time code
// from `npm run collector -- issue-code`, and a freshly enrolled device (Cordon's real
// queue, sync and enrollment code) delivering its events. Then a session code from the
// events' watermark context is looked up with `npm run collector -- find-session`.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { AuditSync } from '../../../main/audit/auditSync';
import { NodeSyncTransport } from '../../../main/audit/nodeSyncTransport';
import { RecordingAuditSink } from '../../support/electronFakes';
import { syncPolicy, testDeviceKey, testQueue } from '../../support/auditSyncFixtures';
import { REPO_ROOT } from '../../support/policyFixtures';

const dir = mkdtempSync(path.join(tmpdir(), 'cordon-collector-run-'));
const sqliteFile = path.join(dir, 'collector.db');
// Only what npm needs: no PostgreSQL URL or collector settings leak in from the caller.
const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? dir };
const transport = new NodeSyncTransport();

afterAll(() => {
  transport.close();
  rmSync(dir, { recursive: true, force: true });
});

const npmCollector = (...args: string[]) => spawnSync('npm', ['run', '-s', 'collector', '--', ...args, '--sqlite-file', sqliteFile], { cwd: REPO_ROOT, env, encoding: 'utf8', timeout: 60_000 });

it('accepts a freshly enrolled device\'s events, and finds its session by code', async () => {
  const server = spawn('npm', ['run', '-s', 'collector', '--', '--port', '0', '--sqlite-file', sqliteFile], { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let output = '';
  server.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  try {
    const deadline = Date.now() + 30_000;
    while (!/listening on (\S+)/.test(output) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    const url = /listening on (\S+)/.exec(output)?.[1];
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

    const issued = npmCollector('issue-code');
    expect(issued.status).toBe(0);
    const code = /enrollment code: (\S+)/.exec(issued.stdout)?.[1] ?? '';

    const { queue } = testQueue();
    const at = (i: number) => new Date(Date.UTC(2026, 10, 25, 9, 0, i)).toISOString();
    queue.appendBatch([
      { type: 'app.started', outcome: 'success', recordedAt: at(0) },
      { type: 'sign-in.succeeded', outcome: 'success', subject: 'sub-valerie', session: '7K2M-QX4P', recordedAt: at(1) },
      { type: 'clipboard.blocked', outcome: 'blocked', appId: 'ehr', reason: 'copy', subject: 'sub-valerie', session: '7K2M-QX4P', recordedAt: at(2) },
    ]);
    const sync = new AuditSync({ queue, deviceKey: testDeviceKey(), policy: syncPolicy(url ?? ''), transport, audit: new RecordingAuditSink(), onQueueFailure: () => undefined, deviceName: 'VA laptop 7' });
    await sync.enrollWithCode(code);
    expect(await sync.syncNow()).toMatchObject({ state: 'delivered', unacknowledged: 0, acknowledgedSeq: 3, problem: null });

    const found = npmCollector('find-session', '7K2M-QX4P');
    expect(found.status).toBe(0);
    expect(found.stdout).toContain('device VA laptop 7');
    expect(found.stdout).toContain('user (IdP subject): sub-valerie');
    expect(found.stdout).toContain(`from ${at(1)} to ${at(2)}, 2 events`);
    expect(found.stdout).toContain('clipboard.blocked: 1');
    // As read off a photo: lower case, a space for the hyphen, and no trouble with that.
    expect(npmCollector('find-session', '7k2m qx4p').stdout).toContain('device VA laptop 7');
    const unreadable = npmCollector('find-session', 'not-a-session-code');
    expect(unreadable.status).toBe(2);
    expect(unreadable.stderr).toContain('8 letters and digits');
  } finally {
    // npm runs the collector in a child: stop the whole group.
    if (server.pid !== undefined) process.kill(-server.pid, 'SIGTERM');
  }
}, 120_000);
