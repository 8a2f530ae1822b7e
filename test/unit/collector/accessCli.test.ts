// `npm run collector -- access …` as IT runs it (a real process on a real SQLite file): the
// verbs and their flags parsed and refused where they do not belong; revoking an unknown
// device names it; revoke, list, set and clear a VA's end date, reinstate, each answered in
// words with its exit code and written to the console access log under the OS user.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readAccessEnd } from '../../../collector/access/accessCli';
import { parseCollectorArgs } from '../../../collector/collectorArgs';
import { startCollector } from '../../../collector/collectorServer';
import { CollectorStore } from '../../../collector/collectorStore';
import { AccessLog, loadOrCreateCollectorKey } from '../../../collector/console/accessLog';
import { TestDevice } from './collectorTestDevice';

const root = path.resolve(import.meta.dirname, '../../..');
const dir = mkdtempSync(path.join(tmpdir(), 'cordon-access-cli-'));
const cleanEnv = { ...Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('CORDON_COLLECTOR_') && !name.startsWith('CORDON_CONSOLE_'))), TZ: 'America/Chicago' };
const runCli = (args: string[]) => spawnSync(path.join(root, 'node_modules/.bin/tsx'), [path.join(root, 'collector/collectorMain.ts'), ...args], { cwd: dir, env: cleanEnv, encoding: 'utf8', timeout: 60_000 });
const sqliteFile = path.join(dir, 'collector.db');
const keyFile = path.join(dir, 'key.pem');
const on = ['--sqlite-file', sqliteFile, '--console-key-file', keyFile];

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('access on the command line: arguments', () => {
  it('parses each verb with its target, and --on or --clear for end-user', () => {
    expect(parseCollectorArgs(['access', 'revoke-device', 'a'.repeat(32)], {})).toMatchObject({ command: 'access', access: { verb: 'revoke-device', target: 'a'.repeat(32) } });
    expect(parseCollectorArgs(['access', 'reinstate-user', 'va anna'], {}).access).toEqual({ verb: 'reinstate-user', target: 'va anna' });
    expect(parseCollectorArgs(['access', 'list'], {}).access).toEqual({ verb: 'list' });
    expect(parseCollectorArgs(['access', 'end-user', 'va-anna', '--on', '2027-06-30T17:00:00-05:00'], {}).access).toEqual({ verb: 'end-user', target: 'va-anna', endsAt: Date.parse('2027-06-30T22:00:00Z') });
    expect(parseCollectorArgs(['access', 'end-user', 'va-anna', '--clear'], {}).access).toEqual({ verb: 'end-user', target: 'va-anna', endsAt: null });
    // A date is 00:00 that day on the collector machine's clock.
    expect(readAccessEnd('2027-06-30')).toBe(new Date(2027, 5, 30).getTime());
    expect(readAccessEnd('2027-02-30')).toMatch(/^--on takes a date/);
  });

  it('refuses a missing target, an unknown verb, a bad date and flags of other verbs', () => {
    for (const [args, message] of [
      [['access'], 'access takes: revoke-device ID'],
      [['access', 'revoke-device'], 'access takes: revoke-device ID'],
      [['access', 'list', 'x'], 'access takes: revoke-device ID'],
      [['access', 'revoke', 'x'], 'access takes: revoke-device ID'],
      [['access', 'end-user', 'va-anna'], 'access end-user needs --on DATE (YYYY-MM-DD or an ISO time) or --clear'],
      [['access', 'end-user', 'va-anna', '--on', '2027-06-30', '--clear'], 'access end-user needs --on DATE'],
      [['access', 'end-user', 'va-anna', '--on', 'next friday'], "--on takes a date (YYYY-MM-DD: from 00:00 that day, local time) or an ISO time with its offset (2027-06-30T17:00:00-05:00), got 'next friday'"],
      [['access', 'revoke-user', 'va-anna', '--on', '2027-06-30'], '--on belongs to the access end-user command'],
      [['dispose', '--clear'], '--clear belongs to the access end-user command'],
      [['access', 'list', '--reason', 'x'], '--reason belongs to the legal-hold place command'],
      [['access', 'list', '--policy', 'p.json', '--policy-key', 'k.pem'], '--policy belongs to serving and the import-training command'],
    ] as const) {
      expect(() => parseCollectorArgs([...args], {}), args.join(' ')).toThrow(message);
    }
  });
});

describe('access on the command line: a real process', () => {
  let deviceId: string;
  beforeAll(async () => {
    const collector = await startCollector({ storage: { kind: 'sqlite', file: sqliteFile }, port: 0 });
    try {
      const device = new TestDevice(collector.url, 'VA-LT-7');
      await device.enrollWithCode(collector);
      deviceId = device.deviceId;
    } finally {
      await collector.close();
    }
  });

  const accessLog = async () => {
    const store = await CollectorStore.open({ kind: 'sqlite', file: sqliteFile });
    try {
      return (await new AccessLog(store.database, loadOrCreateCollectorKey(keyFile)).page(null, 50)).items;
    } finally {
      await store.close();
    }
  };

  it('refuses to change anything without the collector key file', () => {
    const missing = runCli(['access', 'revoke-device', 'a'.repeat(32), ...on]);
    expect(missing.status).toBe(3);
    expect(missing.stderr).toContain(`access revoke-device: the collector key file ${keyFile} does not exist`);
  }, 60_000);

  it('revokes and reinstates a device and sets and clears a VA end date, each in the access log; an unknown device is named', async () => {
    loadOrCreateCollectorKey(keyFile);
    const login = userInfo().username;
    const unknown = runCli(['access', 'revoke-device', 'f'.repeat(32), ...on]);
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toContain(`access revoke-device: no enrolled device has the id ${'f'.repeat(32)}`);

    const revoked = runCli(['access', 'revoke-device', deviceId, ...on]);
    expect(revoked.status, revoked.stderr).toBe(0);
    expect(revoked.stdout).toMatch(new RegExp(`^In force: #1 device VA-LT-7 \\(${deviceId}\\): revoked from \\S+Z \\(by cli:${login} at \\S+Z\\)$`, 'm'));
    expect(runCli(['access', 'revoke-device', deviceId, ...on]).stderr).toContain(`device VA-LT-7 (${deviceId}) is already revoked, since`);

    const ends = runCli(['access', 'end-user', 'va-anna', '--on', '2099-06-30', ...on]);
    expect(ends.status, ends.stderr).toBe(0);
    // 00:00 on June 30 in Chicago (the process's local time) is 05:00 UTC.
    expect(ends.stdout).toContain('In force: #2 VA va-anna: access ends 2099-06-30T05:00:00.000Z');
    expect(ends.stdout).toContain('note: No session of va-anna has reached this collector yet');
    const past = runCli(['access', 'end-user', 'va-anna', '--on', '2020-01-01', ...on]);
    expect(past.status).toBe(2);
    expect(past.stderr).toContain("to end va-anna's access now, revoke it");

    const list = runCli(['access', 'list', ...on]);
    expect(list.status).toBe(0);
    expect(list.stdout).toMatch(/^revoked now:\n {2}#1 device VA-LT-7 .*\naccess end dates ahead:\n {2}#2 VA va-anna: access ends 2099-06-30T05:00:00.000Z .*\nnothing has been reinstated or cleared$/m);

    expect(runCli(['access', 'end-user', 'va-anna', '--clear', ...on]).stdout).toMatch(/^Lifted: #2 VA va-anna: access ends 2099-06-30T05:00:00.000Z \(by cli:\S+ at \S+; lifted \S+ by cli:\S+\)$/m);
    expect(runCli(['access', 'reinstate-device', deviceId, ...on]).status).toBe(0);
    const again = runCli(['access', 'reinstate-device', deviceId, ...on]);
    expect(again.status).toBe(1);
    expect(again.stderr).toContain(`device VA-LT-7 (${deviceId}) is not revoked`);

    const entries = (await accessLog()).map((e) => `${e.actor} ${e.action} ${e.outcome} ${e.target ?? ''}`).reverse();
    const actor = `command line (${login})`;
    expect(entries).toEqual([
      `${actor} revoke-device refused device ${'f'.repeat(32)}`,
      `${actor} revoke-device success device ${deviceId}`,
      `${actor} revoke-device refused device ${deviceId}`,
      `${actor} set-user-access-end success VA va-anna: access ends 2099-06-30T05:00:00.000Z`,
      `${actor} set-user-access-end refused VA va-anna: access ends 2020-01-01T06:00:00.000Z`,
      `${actor} set-user-access-end success VA va-anna: end date cleared`,
      `${actor} reinstate-device success device ${deviceId}`,
      `${actor} reinstate-device refused device ${deviceId}`,
    ]);
  }, 180_000);
});
