// Linux's answers, read from output recorded on this project's Debian 12 VM and from
// published output where this VM has nothing to record (fixtures/README.md).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIREWALL_UNITS, gnomeScreenLock, gsettingsBoolean, gsettingsUint, isDmCryptUuid, kdeScreenLock, linuxFirewallFinding, linuxOs, parseMountInfo, systemctlStates } from '../../../main/posture/linuxReadings';
import { FIXTURES, sample, stdoutOf, textOf } from './samples';

const file = (name: string) => readFileSync(path.join(FIXTURES, 'linux', name), 'utf8');
const out = (name: string) => stdoutOf(sample('linux', name));
const ufwOff = file('ufw.conf-debian-package.txt');
const ufwOn = ufwOff.replace('ENABLED=no', 'ENABLED=yes');

describe('Linux readings', () => {
  it('/etc/os-release: ID for the policy, NAME and VERSION_ID for people', () => {
    expect(linuxOs(file('os-release-debian12.txt'))).toEqual({ id: 'debian', name: 'Debian GNU/Linux', version: '12' });
    expect(linuxOs('ID=arch\nNAME="Arch Linux"\n')).toEqual({ id: 'arch', name: 'Arch Linux', version: null });
  });

  it('mountinfo: the device numbers, mount point, type and source of each mount', () => {
    const mounts = parseMountInfo(file('mountinfo-debian12-vm.txt'));
    expect(mounts.find((m) => m.mountPoint === '/')).toEqual({ device: '254:0', mountPoint: '/', fsType: 'ext4', source: '/dev/vda' });
    const fedora = parseMountInfo(textOf(sample('linux', 'mountinfo-fedora-btrfs-luks')));
    expect(fedora.map((m) => [m.mountPoint, m.device, m.fsType])).toEqual([
      ['/', '0:32', 'btrfs'],
      ['/home', '0:32', 'btrfs'],
    ]);
    expect(parseMountInfo('43 28 0:61 / /mnt/with\\040space rw - tmpfs tmpfs rw')[0]?.mountPoint).toBe('/mnt/with space');
  });

  it("dm-crypt targets by their dm/uuid (cryptsetup's CRYPT- prefix), not LVM's", () => {
    expect(isDmCryptUuid('CRYPT-LUKS2-0f3f6c5e621a40d88be8c372eaf2d616-luks-0f3f6c5e-621a-40d8-8be8-c372eaf2d616\n')).toBe(true);
    expect(isDmCryptUuid('LVM-Wn0Xn2iYw1yzr6YpbhJ3kkoJ0pLHHbsnkTeXFuQZ3nOmxH3dDN3EMMtMJpKjC6ox\n')).toBe(false);
  });

  it('GNOME: the four settings as gsettings prints them; this VM has the schema defaults (lock after 5 minutes)', () => {
    const settings = {
      lockEnabled: gsettingsBoolean(out('gsettings-lock-enabled')),
      idleActivation: gsettingsBoolean(out('gsettings-idle-activation-enabled')),
      idleDelay: gsettingsUint(out('gsettings-idle-delay')),
      lockDelay: gsettingsUint(out('gsettings-lock-delay')),
    };
    expect(settings).toEqual({ lockEnabled: true, idleActivation: true, idleDelay: 300, lockDelay: 0 });
    expect(gnomeScreenLock({ lockEnabled: true, idleActivation: true, idleDelay: 300, lockDelay: 0 })).toEqual({ kind: 'after', seconds: 300 });
    expect(gnomeScreenLock({ lockEnabled: false, idleActivation: true, idleDelay: 300, lockDelay: 0 })).toEqual({ kind: 'off' });
    expect(gnomeScreenLock({ lockEnabled: true, idleActivation: true, idleDelay: 0, lockDelay: 0 })).toEqual({ kind: 'never' });
    expect(gsettingsUint('No such key “idle-delay”')).toBeNull();
    expect(gsettingsBoolean('')).toBeNull();
  });

  it("KDE: kscreenlockerrc's Autolock, Timeout and LockGrace, the user's file over the system's, KDE's defaults when absent", () => {
    const user = textOf(sample('linux', 'kscreenlockerrc-timeout-10'));
    const kiosk = textOf(sample('linux', 'kscreenlockerrc-autolock-off'));
    expect(kdeScreenLock([user])).toEqual({ kind: 'after', seconds: 10 * 60 + 5 });
    expect(kdeScreenLock([kiosk])).toEqual({ kind: 'off' });
    expect(kdeScreenLock([kiosk, '[Daemon]\nAutolock=true\nTimeout=3\n'])).toEqual({ kind: 'after', seconds: 3 * 60 });
    expect(kdeScreenLock([])).toEqual({ kind: 'after', seconds: 5 * 60 + 5 });
    expect(kdeScreenLock(['[Daemon]\nTimeout=soon\n'])).toBeNull();
  });

  it('systemctl is-active: one state per unit in order; anything else (no systemd) is no answer', () => {
    expect(systemctlStates(out('systemctl-firewalld-active'), FIREWALL_UNITS)).toEqual(
      new Map([
        ['ufw.service', 'inactive'],
        ['firewalld.service', 'active'],
        ['nftables.service', 'inactive'],
      ]),
    );
    expect(systemctlStates(out('systemctl-no-systemd'), FIREWALL_UNITS)).toBeNull();
  });

  it('firewall: firewalld or nftables active, or ufw active and enabled, passes; ufw active with ENABLED=no fails', () => {
    const states = (name: string) => systemctlStates(out(name), FIREWALL_UNITS) ?? new Map<string, string>();
    expect(linuxFirewallFinding(states('systemctl-firewalld-active'), null)).toEqual({ result: 'pass', observed: 'firewalld is running.' });
    expect(linuxFirewallFinding(states('systemctl-ufw-active'), ufwOn)).toEqual({ result: 'pass', observed: 'ufw is on.' });
    expect(linuxFirewallFinding(states('systemctl-ufw-active'), ufwOff)).toMatchObject({ result: 'fail' });
    expect(linuxFirewallFinding(states('systemctl-ufw-active'), null)).toMatchObject({ result: 'unknown' });
    expect(linuxFirewallFinding(states('systemctl-all-inactive'), ufwOff)).toEqual({ result: 'fail', observed: 'No firewall is on: ufw, firewalld and nftables are all off.' });
  });
});
