// The device checks on Linux, read the way enterprise browsers read them, as the user:
// dm-crypt under /sys for the disks holding / and /home, GNOME's or KDE's lock settings,
// /etc/os-release, the firewall services' state from systemd, and the process list.
import path from 'node:path';
import { failed, passed, unknown, type CheckFinding } from '../../common/posture/deviceChecks';
import { osVersionFinding, screenLockFinding, type ScreenLockFacts } from '../../common/posture/deviceCheckRules';
import { notRunWords } from './commandRunner';
import type { DeviceProbes, ProbeDeps } from './deviceProbes';
import { FIREWALL_UNITS, gnomeScreenLock, gsettingsBoolean, gsettingsUint, isDmCryptUuid, kdeScreenLock, linuxFirewallFinding, linuxOs, parseMountInfo, systemctlStates, type Mount } from './linuxReadings';
import { runningProtection } from './protectionProbe';

/** Reading files without throwing: null when a file or folder is absent or unreadable. */
export interface LinuxFiles {
  readText: (file: string) => Promise<string | null>;
  listDir: (dir: string) => Promise<string[] | null>;
  realPath: (file: string) => Promise<string | null>;
}

export interface LinuxPaths {
  sys: string;
  mountInfo: string;
  osRelease: readonly string[];
  ufwConf: string;
}

/** os-release(5): /etc/os-release, else /usr/lib/os-release. */
export const LINUX_PATHS: LinuxPaths = { sys: '/sys', mountInfo: '/proc/self/mountinfo', osRelease: ['/etc/os-release', '/usr/lib/os-release'], ufwConf: '/etc/ufw/ufw.conf' };

/** Stacks deeper than this (dm on dm on …) are not believed. */
const MAX_STACK = 8;

export function linuxProbes({ run, files, processes, env, home }: ProbeDeps, paths: LinuxPaths): DeviceProbes {
  /** The sysfs folder of the block device a mount sits on, or null when it has none Cordon can find. */
  const blockDevice = async (mount: Mount): Promise<string | null> => {
    // Filesystems on a device have its numbers; btrfs and others show 0:N, so their source names it.
    if (!mount.device.startsWith('0:')) return path.join(paths.sys, 'dev/block', mount.device);
    if (!mount.source.startsWith('/dev/')) return null;
    const real = await files.realPath(mount.source);
    return real === null ? null : path.join(paths.sys, 'class/block', path.basename(real));
  };

  /** Encrypted when the device is a dm-crypt target, or everything under it is. */
  const encrypted = async (device: string, depth = 0): Promise<boolean | null> => {
    if (depth > MAX_STACK || (await files.realPath(device)) === null) return null;
    const uuid = await files.readText(path.join(device, 'dm/uuid'));
    if (uuid !== null && isDmCryptUuid(uuid)) return true;
    const below = (await files.listDir(path.join(device, 'slaves'))) ?? [];
    if (below.length === 0) return false;
    const answers = await Promise.all(below.map((name) => encrypted(path.join(paths.sys, 'class/block', name), depth + 1)));
    return answers.includes(null) ? null : answers.every(Boolean);
  };

  const diskEncryption = async (): Promise<CheckFinding> => {
    const text = await files.readText(paths.mountInfo);
    if (text === null) return unknown('Cordon could not read the list of mounted disks.');
    const mounts = parseMountInfo(text);
    // The last mount on a path is the one in use.
    const holding = ['/', '/home'].flatMap((mountPoint) => mounts.filter((m) => m.mountPoint === mountPoint).slice(-1));
    if (holding.length === 0) return unknown('Cordon could not find the system disk among the mounted disks.');
    const answers = await Promise.all(holding.map(async (mount) => ({ mount, encrypted: await blockDevice(mount).then((device) => (device === null ? null : encrypted(device))) })));
    const unreadable = answers.find((a) => a.encrypted === null);
    if (unreadable !== undefined) return unknown(`Cordon cannot tell which disk holds ${unreadable.mount.mountPoint} (a ${unreadable.mount.fsType} filesystem from ${unreadable.mount.source}).`);
    const plain = answers.filter((a) => a.encrypted === false).map((a) => a.mount.mountPoint);
    if (plain.length > 0) return failed(`${plain.join(' and ')} ${plain.length === 1 ? 'is' : 'are'} on a disk that is not encrypted.`);
    return passed(`${answers.map((a) => a.mount.mountPoint).join(' and ')} ${answers.length === 1 ? 'is' : 'are'} on an encrypted disk (dm-crypt).`);
  };

  const gsetting = async (schema: string, key: string): Promise<string | null> => {
    const result = await run('/usr/bin/gsettings', ['get', schema, key]);
    return result.ran && result.exitCode === 0 ? result.stdout : null;
  };

  const gnome = async (): Promise<ScreenLockFacts | null> => {
    const [lockEnabled, idleActivation, idleDelay, lockDelay] = await Promise.all([
      gsetting('org.gnome.desktop.screensaver', 'lock-enabled').then((t) => (t === null ? null : gsettingsBoolean(t))),
      gsetting('org.gnome.desktop.screensaver', 'idle-activation-enabled').then((t) => (t === null ? null : gsettingsBoolean(t))),
      gsetting('org.gnome.desktop.session', 'idle-delay').then((t) => (t === null ? null : gsettingsUint(t))),
      gsetting('org.gnome.desktop.screensaver', 'lock-delay').then((t) => (t === null ? null : gsettingsUint(t))),
    ]);
    if (lockEnabled === null || idleActivation === null || idleDelay === null || lockDelay === null) return null;
    return gnomeScreenLock({ lockEnabled, idleActivation, idleDelay, lockDelay });
  };

  const kde = async (): Promise<ScreenLockFacts | null> => {
    const system = (env.XDG_CONFIG_DIRS ?? '/etc/xdg').split(':').reverse();
    const user = env.XDG_CONFIG_HOME ?? path.join(home, '.config');
    const texts = await Promise.all([...system, user].map((dir) => files.readText(path.join(dir, 'kscreenlockerrc'))));
    return kdeScreenLock(texts.filter((t): t is string => t !== null));
  };

  const screenLock = async (maxMinutes: number): Promise<CheckFinding> => {
    // XDG_CURRENT_DESKTOP is a colon-separated list, e.g. "ubuntu:GNOME" or "KDE".
    const desktops = (env.XDG_CURRENT_DESKTOP ?? '').split(':').filter((d) => d !== '');
    const reader = desktops.includes('KDE') ? { name: 'KDE Plasma', read: kde } : desktops.includes('GNOME') ? { name: 'GNOME', read: gnome } : null;
    if (reader === null) return unknown(`Cordon reads the screen lock settings of GNOME and KDE Plasma; this desktop (${desktops.join(', ') || 'none named'}) it cannot read.`);
    const facts = await reader.read();
    return facts === null ? unknown(`Cordon could not read ${reader.name}'s screen lock settings.`) : screenLockFinding(facts, maxMinutes);
  };

  const osVersion = async (minimums: Record<string, string>): Promise<CheckFinding> => {
    for (const file of paths.osRelease) {
      const text = await files.readText(file);
      if (text === null) continue;
      const os = linuxOs(text);
      return osVersionFinding(os, os.id === null ? undefined : minimums[os.id]);
    }
    return unknown('Cordon could not read /etc/os-release.');
  };

  const firewall = async (): Promise<CheckFinding> => {
    const result = await run('/usr/bin/systemctl', ['is-active', ...FIREWALL_UNITS]);
    if (!result.ran) return unknown(notRunWords('systemctl', result.why));
    // is-active exits non-zero when any unit is not active; the states are on stdout either way.
    const states = systemctlStates(result.stdout, FIREWALL_UNITS);
    if (states === null) return unknown('systemd did not report the state of the firewall services (ufw, firewalld, nftables).');
    return linuxFirewallFinding(states, await files.readText(paths.ufwConf));
  };

  return {
    diskEncryption: () => diskEncryption(),
    screenLock: (policy) => screenLock(policy.screenLock.maxMinutes),
    osVersion: (policy) => osVersion(policy.osVersion.linux),
    firewall: () => firewall(),
    antivirus: (policy) => runningProtection(processes, 'linux', policy),
  };
}
