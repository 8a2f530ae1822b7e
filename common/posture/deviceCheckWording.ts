// The device checks in words for the VA: what each one is, and how to fix a failing one
// on this OS (the settings path the VA can follow, or whom to ask).
import type { DevicePosturePolicy } from '../policy/policySchema';
import type { CheckLevel, DeviceCheckId } from './deviceChecks';

export const DEVICE_CHECK_LABELS: Record<DeviceCheckId, string> = {
  diskEncryption: "This computer's disk is encrypted",
  screenLock: 'This computer locks its screen when left idle',
  osVersion: 'Operating system version is one IT supports',
  firewall: "This computer's firewall is on",
  antivirus: 'Antivirus or endpoint protection is running',
};

/** Short names for sentences that list failing checks. */
export const DEVICE_CHECK_NAMES: Record<DeviceCheckId, string> = {
  diskEncryption: 'Disk encryption',
  screenLock: 'Screen lock',
  osVersion: 'Operating system version',
  firewall: 'Firewall',
  antivirus: 'Antivirus',
};

export const LEVEL_WORDS: Record<Exclude<CheckLevel, 'off'>, string> = {
  recommended: 'Recommended by IT.',
  required: 'Required by IT: practice apps stay closed until it passes.',
};

type Os = 'win32' | 'darwin' | 'linux';
const osOf = (platform: string): Os => (platform === 'win32' || platform === 'darwin' ? platform : 'linux');

const FIXES: Record<Exclude<DeviceCheckId, 'screenLock'>, Record<Os, string>> = {
  diskEncryption: {
    win32: 'Turn on BitLocker (or Device encryption) for the system drive: Settings > Privacy & security > Device encryption, or ask IT.',
    darwin: 'Turn on FileVault: System Settings > Privacy & Security > FileVault.',
    linux: 'The system disk must be encrypted (LUKS), which is set up when Linux is installed: ask IT.',
  },
  osVersion: {
    win32: 'Install the latest updates: Settings > Windows Update, then restart.',
    darwin: 'Update macOS: System Settings > General > Software Update.',
    linux: 'Update the operating system to a version IT supports, or ask IT.',
  },
  firewall: {
    win32: 'Turn on Microsoft Defender Firewall for every network: Windows Security > Firewall & network protection.',
    darwin: 'Turn on the firewall: System Settings > Network > Firewall.',
    linux: 'Turn on the firewall (ufw or firewalld), or ask IT.',
  },
  antivirus: {
    win32: 'Turn on Microsoft Defender (Windows Security > Virus & threat protection) or the antivirus IT installed.',
    darwin: 'Start the endpoint protection IT installed, or ask IT.',
    linux: 'Start the endpoint protection IT installed, or ask IT.',
  },
};

function screenLockFix(os: Os, minutes: number): string {
  const limit = `${minutes} ${minutes === 1 ? 'minute' : 'minutes'} or less`;
  if (os === 'win32') return `Settings > Personalization > Lock screen > Screen saver: choose a screen saver, set Wait to ${limit} and tick "On resume, display logon screen"; or ask IT.`;
  if (os === 'darwin') return `System Settings > Lock Screen: start the screen saver after ${limit}, and require a password immediately.`;
  return `GNOME: Settings > Privacy & Security > Screen Lock, turn on Automatic Screen Lock with a delay of ${limit}. KDE Plasma: System Settings > Screen Locking, lock automatically after ${limit}.`;
}

/** How the VA (or IT) makes a failing check pass on this OS. */
export function deviceCheckFix(check: DeviceCheckId, platform: string, policy: DevicePosturePolicy): string {
  const os = osOf(platform);
  return check === 'screenLock' ? screenLockFix(os, policy.screenLock.maxMinutes) : FIXES[check][os];
}
