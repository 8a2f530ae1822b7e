// What Linux's own files and tools say, read as the device checks need it: pure
// functions of the text, tested on outputs recorded from real systems
// (test/unit/posture/fixtures/linux). No root needed for any of them.
import { failed, passed, unknown, type CheckFinding } from '../../common/posture/deviceChecks';
import type { OsFacts, ScreenLockFacts } from '../../common/posture/deviceCheckRules';

/** KEY=value lines of a shell-style file (/etc/os-release, /etc/ufw/ufw.conf), quotes removed. */
export function parseKeyValues(text: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const line of text.split('\n')) {
    const match = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line.trim());
    if (match?.[1] === undefined || match[2] === undefined) continue;
    fields.set(match[1], match[2].replace(/^(["'])(.*)\1$/, '$2'));
  }
  return fields;
}

/** The distribution as /etc/os-release names it (os-release(5)): ID for the policy, PRETTY_NAME for people. */
export function linuxOs(osRelease: string): OsFacts & { id: string | null } {
  const fields = parseKeyValues(osRelease);
  return { id: fields.get('ID') ?? null, name: fields.get('NAME') ?? 'Linux', version: fields.get('VERSION_ID') ?? null };
}

export interface Mount {
  /** `major:minor` of the device the kernel mounted (0:N for filesystems without one, e.g. btrfs subvolumes, overlay). */
  device: string;
  mountPoint: string;
  fsType: string;
  source: string;
}

/** /proc/self/mountinfo (proc(5)): fields 3 and 5, then after the " - " separator the type and source. Spaces in paths are octal escapes. */
export function parseMountInfo(text: string): Mount[] {
  const unescape = (field: string) => field.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(parseInt(octal, 8)));
  return text.split('\n').flatMap((line) => {
    const [before, after] = line.split(' - ');
    if (before === undefined || after === undefined) return [];
    const fields = before.split(' ');
    const [fsType, source] = after.split(' ');
    const device = fields[2];
    const mountPoint = fields[4];
    if (device === undefined || mountPoint === undefined || fsType === undefined || source === undefined) return [];
    return [{ device, mountPoint: unescape(mountPoint), fsType, source: unescape(source) }];
  });
}

/** A device-mapper target made by cryptsetup: its dm/uuid is CRYPT-<type>-… (LUKS1, LUKS2, PLAIN…); LVM's are LVM-…. */
export function isDmCryptUuid(uuid: string): boolean {
  return /^CRYPT-/.test(uuid.trim());
}

/** A `gsettings get` answer of a boolean key: "true" or "false". */
export function gsettingsBoolean(text: string): boolean | null {
  const value = text.trim();
  return value === 'true' ? true : value === 'false' ? false : null;
}

/** A `gsettings get` answer of a uint32 key: "uint32 300" (the type is printed because it is not the default GVariant type). */
export function gsettingsUint(text: string): number | null {
  const match = /^(?:uint32 )?(\d+)$/.exec(text.trim());
  return match?.[1] === undefined ? null : Number(match[1]);
}

export interface GnomeLockSettings {
  /** org.gnome.desktop.screensaver lock-enabled */
  lockEnabled: boolean;
  /** org.gnome.desktop.screensaver idle-activation-enabled */
  idleActivation: boolean;
  /** org.gnome.desktop.session idle-delay, seconds (0: never idle) */
  idleDelay: number;
  /** org.gnome.desktop.screensaver lock-delay, seconds after the screen blanks */
  lockDelay: number;
}

export function gnomeScreenLock(settings: GnomeLockSettings): ScreenLockFacts {
  if (!settings.lockEnabled) return { kind: 'off' };
  if (!settings.idleActivation || settings.idleDelay === 0) return { kind: 'never' };
  return { kind: 'after', seconds: settings.idleDelay + settings.lockDelay };
}

/** The [Daemon] group of kscreenlockerrc files, later files overriding earlier ones (system /etc/xdg, then the user's). */
function kdeDaemonSettings(files: readonly string[]): Map<string, string> {
  const settings = new Map<string, string>();
  for (const text of files) {
    let inDaemon = false;
    for (const raw of text.split('\n')) {
      const line = raw.trim();
      if (line.startsWith('[')) inDaemon = line === '[Daemon]';
      else if (inDaemon) {
        const match = /^([A-Za-z]+)(?:\[\$i\])?=(.*)$/.exec(line);
        if (match?.[1] !== undefined && match[2] !== undefined) settings.set(match[1], match[2].trim());
      }
    }
  }
  return settings;
}

/**
 * KDE Plasma's screen locker (kscreenlocker's kcfg): Autolock (default true) after
 * Timeout minutes of idle (default 5; 0 never), then LockGrace seconds (default 5) before
 * a password is needed. A file that does not exist leaves the defaults.
 */
export function kdeScreenLock(files: readonly string[]): ScreenLockFacts | null {
  const settings = kdeDaemonSettings(files);
  const autolock = settings.get('Autolock') ?? 'true';
  const timeout = Number(settings.get('Timeout') ?? '5');
  const grace = Number(settings.get('LockGrace') ?? '5');
  if (autolock !== 'true' && autolock !== 'false') return null;
  if (!Number.isInteger(timeout) || timeout < 0 || !Number.isInteger(grace) || grace < 0) return null;
  if (autolock === 'false') return { kind: 'off' };
  return timeout === 0 ? { kind: 'never' } : { kind: 'after', seconds: timeout * 60 + grace };
}

/** The firewall services Cordon recognises, as `systemctl is-active` is asked about them. */
export const FIREWALL_UNITS = ['ufw.service', 'firewalld.service', 'nftables.service'] as const;

/**
 * `systemctl is-active A B C` prints one state per unit, in order (active, inactive,
 * failed, activating…; inactive for a unit that does not exist). Null when the output is
 * not that (no systemd, no bus).
 */
export function systemctlStates(stdout: string, units: readonly string[]): Map<string, string> | null {
  const lines = stdout.split('\n').map((line) => line.trim()).filter((line) => line !== '');
  if (lines.length !== units.length || !lines.every((line) => /^[a-z-]+$/.test(line))) return null;
  return new Map(units.map((unit, i) => [unit, lines[i] ?? '']));
}

/**
 * A firewall is on when firewalld or nftables is active, or ufw is active and enabled
 * (ufw's unit stays active with ENABLED=no in /etc/ufw/ufw.conf, loading no rules).
 */
export function linuxFirewallFinding(states: ReadonlyMap<string, string>, ufwConf: string | null): CheckFinding {
  const active = (unit: string) => states.get(unit) === 'active';
  const ufwEnabled = ufwConf !== null && parseKeyValues(ufwConf).get('ENABLED') === 'yes';
  if (active('firewalld.service')) return passed('firewalld is running.');
  if (active('ufw.service') && ufwEnabled) return passed('ufw is on.');
  if (active('nftables.service')) return passed('nftables rules are loaded.');
  if (active('ufw.service') && ufwConf === null) return unknown("ufw's service runs, but its setting (/etc/ufw/ufw.conf) could not be read.");
  return failed('No firewall is on: ufw, firewalld and nftables are all off.');
}
