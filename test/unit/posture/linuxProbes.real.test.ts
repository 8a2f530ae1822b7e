// The Linux checks run for real on this machine: real files under /proc, /sys and /etc,
// real gsettings and systemctl, the real process list. Each result is compared with what
// another tool on this machine says (lsblk, /etc/os-release read here, gsettings itself),
// so the test holds on any Linux. The disk-encryption walk is also run over sysfs trees
// of encrypted layouts built in a temporary folder (fixtures/README.md).
import { execFile, execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { chmod, copyFile, mkdir, mkdtemp, readdir, readFile, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { devicePosturePolicySchema } from '../../../common/policy/policySchema';
import { commandRunner } from '../../../main/posture/commandRunner';
import { deviceProbesFor, systemProbeDeps, type ProbeDeps } from '../../../main/posture/deviceProbes';
import { linuxProbes, LINUX_PATHS } from '../../../main/posture/linuxProbes';
import { sample, textOf } from './samples';

const policyWith = (input: object) => devicePosturePolicySchema.parse(input);
const here = (env: Record<string, string | undefined> = process.env) => deviceProbesFor('linux', systemProbeDeps('linux', env));

/** What lsblk (util-linux) says of the device holding `/`: whether a crypt layer is in its stack. */
function lsblkSaysEncrypted(): boolean | null {
  try {
    const source = execFileSync('findmnt', ['-n', '-o', 'SOURCE', '/'], { encoding: 'utf8' }).trim();
    return execFileSync('lsblk', ['-s', '-n', '-o', 'TYPE', source], { encoding: 'utf8' }).split('\n').some((type) => type.trim() === 'crypt');
  } catch {
    return null;
  }
}

describe.runIf(process.platform === 'linux')('Linux checks on this machine, for real', () => {
  it('disk encryption agrees with lsblk about the disk holding /', async () => {
    const finding = await here().diskEncryption(policyWith({}));
    const encrypted = lsblkSaysEncrypted();
    expect(finding.result).toBe(encrypted === null ? 'unknown' : encrypted ? 'pass' : 'fail');
    expect(finding.observed).toMatch(/\S/);
  });

  it('OS version: this machine’s /etc/os-release version passes as the minimum and fails against the next one; a distribution IT did not list is unknown', async () => {
    const release = readFileSync('/etc/os-release', 'utf8');
    const id = /^ID="?([^"\n]+)"?$/m.exec(release)?.[1] ?? '';
    const version = /^VERSION_ID="?([^"\n]+)"?$/m.exec(release)?.[1] ?? '';
    const major = Number(version.split('.')[0]);
    const check = (linux: Record<string, string>) => here().osVersion(policyWith({ osVersion: { level: 'required', linux } }));
    expect(await check({ [id]: version })).toMatchObject({ result: 'pass' });
    expect(await check({ [id]: String(major + 1) })).toMatchObject({ result: 'fail', observed: expect.stringContaining(`requires ${major + 1} or later`) });
    expect(await check({ 'not-this-distro': '1' })).toMatchObject({ result: 'unknown' });
  });

  it('screen lock: no desktop named is unknown; as GNOME, gsettings is asked for real and its values decide', async () => {
    expect(await here({ ...process.env, XDG_CURRENT_DESKTOP: '' }).screenLock(policyWith({}))).toMatchObject({ result: 'unknown', observed: expect.stringContaining('none named') });
    const gnome = here({ ...process.env, XDG_CURRENT_DESKTOP: 'ubuntu:GNOME' });
    if (!existsSync('/usr/bin/gsettings')) {
      expect((await gnome.screenLock(policyWith({}))).result).toBe('unknown');
      return;
    }
    const get = (schema: string, key: string) => execFileSync('/usr/bin/gsettings', ['get', schema, key], { encoding: 'utf8' }).trim();
    const lockEnabled = get('org.gnome.desktop.screensaver', 'lock-enabled') === 'true';
    const seconds = Number(get('org.gnome.desktop.session', 'idle-delay').replace('uint32 ', '')) + Number(get('org.gnome.desktop.screensaver', 'lock-delay').replace('uint32 ', ''));
    const minutes = Math.ceil(seconds / 60);
    const within = await gnome.screenLock(policyWith({ screenLock: { level: 'required', maxMinutes: Math.min(60, Math.max(1, minutes)) } }));
    expect(within.result).toBe(lockEnabled && seconds > 0 && minutes <= 60 ? 'pass' : 'fail');
    if (lockEnabled && seconds > 60) expect((await gnome.screenLock(policyWith({ screenLock: { level: 'required', maxMinutes: minutes - 1 } }))).result).toBe('fail');
  });

  it('firewall: without systemd as PID 1 Cordon cannot ask it, so unknown; with it, a real answer', async () => {
    const finding = await here().firewall(policyWith({}));
    const systemd = readFileSync('/proc/1/comm', 'utf8').trim() === 'systemd';
    if (systemd) expect(['pass', 'fail']).toContain(finding.result);
    else expect(finding).toMatchObject({ result: 'unknown', observed: expect.stringContaining('systemd') });
  });

  it('antivirus: a process IT names passes while it runs; nothing known running fails', async () => {
    const names = new Set(await Promise.all((await readdir('/proc')).filter((p) => /^\d+$/.test(p)).map((p) => readFile(`/proc/${p}/comm`, 'utf8').then((c) => c.trim(), () => ''))));
    const knownRunning = ['falcond', 'falcon-sensor', 'wdavdaemon', 's1-agent', 'clamd'].some((n) => names.has(n));
    expect((await here().antivirus(policyWith({}))).result).toBe(knownRunning ? 'pass' : 'fail');
    // A program with a name of its own (a copy of sleep) stands in for IT's endpoint agent, for as long as it runs.
    const dir = await mkdtemp(path.join(tmpdir(), 'cordon-edr-'));
    await copyFile('/bin/sleep', path.join(dir, 'cordon-edr-test'));
    await chmod(path.join(dir, 'cordon-edr-test'), 0o755);
    const agent = spawn(path.join(dir, 'cordon-edr-test'), ['30'], { stdio: 'ignore' });
    try {
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(await here().antivirus(policyWith({ antivirus: { level: 'required', processNames: ['cordon-edr-test'] } }))).toMatchObject({ result: 'pass' });
      agent.kill();
      await new Promise((resolve) => agent.once('exit', resolve));
      expect((await here().antivirus(policyWith({ antivirus: { level: 'required', processNames: ['cordon-edr-test'] } }))).result).toBe(knownRunning ? 'pass' : 'fail');
    } finally {
      agent.kill();
      await rm(dir, { recursive: true, force: true });
    }
  });
});

/** A sysfs tree under `root`: each block device with its numbers, dm/uuid and slaves, reachable as /sys/dev/block/M:m and /sys/class/block/<name>, and /dev/mapper names. */
async function buildSysfs(root: string, devices: Record<string, { dev: string; uuid?: string; slaves?: string[]; mapper?: string }>): Promise<void> {
  for (const dir of ['sys/dev/block', 'sys/class/block', 'sys/devices/virtual/block', 'dev/mapper']) await mkdir(path.join(root, dir), { recursive: true });
  for (const [name, d] of Object.entries(devices)) {
    const dir = path.join(root, 'sys/devices/virtual/block', name);
    await mkdir(path.join(dir, 'slaves'), { recursive: true });
    await writeFile(path.join(dir, 'dev'), `${d.dev}\n`);
    if (d.uuid !== undefined) {
      await mkdir(path.join(dir, 'dm'));
      await writeFile(path.join(dir, 'dm/uuid'), `${d.uuid}\n`);
    }
    for (const slave of d.slaves ?? []) await symlink(`../../${slave}`, path.join(dir, 'slaves', slave));
    await symlink(`../../devices/virtual/block/${name}`, path.join(root, 'sys/class/block', name));
    await symlink(`../../devices/virtual/block/${name}`, path.join(root, 'sys/dev/block', d.dev));
    await writeFile(path.join(root, 'dev', name), '');
    if (d.mapper !== undefined) await symlink(`../${name}`, path.join(root, 'dev/mapper', d.mapper));
  }
}

describe('the disk-encryption walk over encrypted and plain layouts', () => {
  const roots: string[] = [];
  afterAll(() => Promise.all(roots.map((r) => rm(r, { recursive: true, force: true }))));

  async function diskEncryption(mountInfo: string, devices: Parameters<typeof buildSysfs>[1]) {
    const root = await mkdtemp(path.join(tmpdir(), 'cordon-sysfs-'));
    roots.push(root);
    await buildSysfs(root, devices);
    await writeFile(path.join(root, 'mountinfo'), mountInfo);
    const orNull = <T>(p: Promise<T>) => p.catch(() => null);
    const deps: ProbeDeps = {
      ...systemProbeDeps('linux', {}),
      run: commandRunner(execFile),
      // Device names in mountinfo are absolute (/dev/mapper/…): they resolve inside the tree.
      files: {
        readText: (f) => orNull(readFile(f, 'utf8')),
        listDir: (d) => orNull(readdir(d)),
        realPath: (f) => orNull(realpath(f.startsWith('/dev/') ? path.join(root, f) : f)),
      },
    };
    return linuxProbes(deps, { ...LINUX_PATHS, sys: path.join(root, 'sys'), mountInfo: path.join(root, 'mountinfo') }).diskEncryption(policyWith({}));
  }

  const LUKS = 'CRYPT-LUKS2-0f3f6c5e621a40d88be8c372eaf2d616-luks-0f3f6c5e-621a-40d8-8be8-c372eaf2d616';

  it('btrfs on LUKS (Fedora): / and /home have no device numbers of their own, the mapper name leads to the crypt target', async () => {
    const finding = await diskEncryption(textOf(sample('linux', 'mountinfo-fedora-btrfs-luks')), {
      'dm-0': { dev: '253:0', uuid: LUKS, slaves: ['nvme0n1p3'], mapper: 'luks-0f3f6c5e-621a-40d8-8be8-c372eaf2d616' },
      nvme0n1p3: { dev: '259:3' },
    });
    expect(finding).toEqual({ result: 'pass', observed: '/ and /home are on an encrypted disk (dm-crypt).' });
  });

  it('LVM on LUKS (Ubuntu) passes through the logical volume; LVM on a plain partition fails', async () => {
    const ubuntu = textOf(sample('linux', 'mountinfo-ubuntu-lvm'));
    const lv = { dev: '252:0', uuid: 'LVM-Wn0Xn2iYw1yzr6YpbhJ3kkoJ0pLHHbsnkTeXFuQZ3nOmxH3dDN3EMMtMJpKjC6ox', mapper: 'ubuntu--vg-ubuntu--lv' };
    expect(await diskEncryption(ubuntu, { 'dm-1': { ...lv, slaves: ['dm-0'] }, 'dm-0': { dev: '252:1', uuid: LUKS, slaves: ['nvme0n1p3'] }, nvme0n1p3: { dev: '259:3' } })).toMatchObject({ result: 'pass' });
    expect(await diskEncryption(ubuntu, { 'dm-1': { ...lv, slaves: ['nvme0n1p3'] }, nvme0n1p3: { dev: '259:3' } })).toEqual({ result: 'fail', observed: '/ is on a disk that is not encrypted.' });
  });

  it('a volume spanning an encrypted and a plain disk is not encrypted; a root Cordon cannot trace is unknown', async () => {
    const ubuntu = textOf(sample('linux', 'mountinfo-ubuntu-lvm'));
    const spanning = { 'dm-1': { dev: '252:0', uuid: 'LVM-x', slaves: ['dm-0', 'sdb1'] }, 'dm-0': { dev: '252:1', uuid: LUKS, slaves: ['nvme0n1p3'] }, nvme0n1p3: { dev: '259:3' }, sdb1: { dev: '8:17' } };
    expect((await diskEncryption(ubuntu, spanning)).result).toBe('fail');
    expect(await diskEncryption('22 1 0:21 / / rw,relatime shared:1 - overlay overlay rw\n', {})).toMatchObject({ result: 'unknown', observed: expect.stringContaining('cannot tell which disk holds /') });
    expect(await diskEncryption('', {})).toMatchObject({ result: 'unknown' });
  });
});
