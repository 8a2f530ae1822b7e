// The collector's systemd unit (deploy/systemd/cordon-collector.service) as systemd reads
// it: `systemd-analyze verify` in a scratch root holding the system's own units, the unit,
// and an executable where its ExecStart points. Any warning (an unknown key, a value
// systemd cannot parse) fails the test, since systemd would start the service without it.
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const UNIT = 'cordon-collector.service';
const unitText = readFileSync(path.resolve(import.meta.dirname, '../../../deploy/systemd', UNIT), 'utf8');
const systemUnits = ['/usr/lib/systemd/system', '/lib/systemd/system'].find((dir) => existsSync(path.join(dir, 'sysinit.target')));
const skipReason = spawnSync('systemd-analyze', ['--version']).status !== 0 ? 'systemd-analyze is not installed (.ci/run installs Debian\'s systemd)' : systemUnits === undefined ? 'no system units to verify against' : null;
if (skipReason !== null) console.log(`SKIPPED systemd-unit: ${skipReason}`);

/** Verifies `text` as the unit in a scratch root; returns systemd-analyze's exit code and everything it said. */
function verify(text: string): { status: number | null; said: string } {
  const root = mkdtempSync(path.join(tmpdir(), 'cordon-systemd-'));
  cpSync(systemUnits as string, path.join(root, 'usr/lib/systemd/system'), { recursive: true });
  mkdirSync(path.join(root, 'etc/systemd/system'), { recursive: true });
  writeFileSync(path.join(root, 'etc/systemd/system', UNIT), text);
  const executable = /^ExecStart=(\S+)/m.exec(text)?.[1];
  if (executable === undefined) throw new Error('the unit has no ExecStart');
  mkdirSync(path.join(root, path.dirname(executable)), { recursive: true });
  writeFileSync(path.join(root, executable), '#!/bin/sh\n');
  chmodSync(path.join(root, executable), 0o755);
  const result = spawnSync('systemd-analyze', ['verify', `--root=${root}`, UNIT], { encoding: 'utf8' });
  return { status: result.status, said: `${result.stdout}${result.stderr}`.trim() };
}

describe.skipIf(skipReason !== null)('the collector as a systemd service', () => {
  it('verifies with no warning', () => {
    expect(verify(unitText)).toEqual({ status: 0, said: '' });
  });

  it('would report a mistake: the check is not blind', () => {
    const broken = verify(unitText.replace('Restart=on-failure', 'Restart=sometimes\nProtectEverything=yes'));
    expect(broken.said).toContain("Failed to parse service restart specifier, ignoring: sometimes");
    expect(broken.said).toContain("Unknown key 'ProtectEverything'");
  });

  it('runs the collector as IT runs it, unprivileged, with its secrets from a root-only file', () => {
    expect(unitText).toMatch(/^ExecStart=.*collector\/collectorMain\.ts/m);
    expect(unitText).toMatch(/^DynamicUser=yes$/m);
    expect(unitText).toMatch(/^EnvironmentFile=\/etc\/cordon\/collector\.env$/m);
    expect(unitText).toMatch(/^KillSignal=SIGINT$/m);
    // No secret on the command line, where `ps` shows it to every user.
    expect(unitText).not.toMatch(/POSTGRES_URL|CLIENT_SECRET/);
  });
});
