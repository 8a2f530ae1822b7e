// The security posture panel's truth: each protection's state on this OS, under this
// policy, in this build. Main passes the set of protections it actually installed, so
// the panel can never claim more than the running code does. This computer's own settings
// (disk encryption, screen lock, …) are rows too, with what the device checks found.
import { decideCapture } from '../capture/captureProtection';
import type { Policy } from '../policy/policySchema';
import type { BuildKind } from '../policy/signedPolicy';
import { listInWords, signInMethodsInWords } from '../ui/signInWording';
import { DEVICE_CHECK_IDS, type DeviceCheckId } from './deviceChecks';
import { DEVICE_CHECK_LABELS, LEVEL_WORDS } from './deviceCheckWording';
import type { DeviceCheckStatus } from './devicePostureDecision';

export const PROTECTION_IDS = [
  'process-sandbox',
  'context-isolation',
  'signed-policy',
  'mfa-sign-in',
  'devtools-blocked',
  'navigation-allowlist',
  'request-allowlist',
  'https-only',
  'permissions-denied',
  'downloads-blocked',
  'printing-blocked',
  'clipboard-contained',
  'screen-capture-blocked',
  'watermark',
  'idle-lock',
  'audit-encrypted',
  'audit-delivered',
  // This computer's own settings, as the device checks found them.
  'device-disk-encryption',
  'device-screen-lock',
  'device-os-version',
  'device-firewall',
  'device-antivirus',
] as const;
export type ProtectionId = (typeof PROTECTION_IDS)[number];

/** The panel's row for each device check. */
export const DEVICE_CHECK_PROTECTIONS: Record<DeviceCheckId, ProtectionId> = {
  diskEncryption: 'device-disk-encryption',
  screenLock: 'device-screen-lock',
  osVersion: 'device-os-version',
  firewall: 'device-firewall',
  antivirus: 'device-antivirus',
};

/** The last three are a device check's result; a check IT turned off is `disabled-by-policy`. */
export const PROTECTION_STATES = ['enforced', 'not-enforced', 'not-available', 'disabled-by-policy', 'not-in-this-build', 'passed', 'failed', 'unknown'] as const;
export type ProtectionState = (typeof PROTECTION_STATES)[number];

export interface ProtectionStatus {
  id: ProtectionId;
  label: string;
  state: ProtectionState;
  /** What the state alone does not say (which policy, which apps, why not); '' when nothing. */
  detail: string;
}

export interface PostureInput {
  platform: string;
  build: BuildKind;
  policy: Policy | null;
  /** Protections whose enforcing code is installed in this running build. */
  installed: ReadonlySet<ProtectionId>;
  /** The device checks' latest results; a check missing here is reported as not checked yet. */
  deviceChecks?: readonly DeviceCheckStatus[];
}

const LABELS: Record<ProtectionId, string> = {
  'process-sandbox': 'Pages run in the Chromium sandbox',
  'context-isolation': 'Pages cannot reach Cordon or Node.js',
  'signed-policy': 'Settings come from a signed IT policy',
  'mfa-sign-in': 'Sign-in requires multi-factor authentication',
  'devtools-blocked': 'Developer tools are unavailable',
  'navigation-allowlist': 'Apps stay on approved sites',
  'request-allowlist': 'Data goes only to approved sites',
  'https-only': 'Connections are encrypted (https)',
  'permissions-denied': 'Camera, microphone and other permissions denied unless IT allows them',
  'downloads-blocked': 'Downloads blocked',
  'printing-blocked': 'Printing blocked',
  'clipboard-contained': 'Copied text stays inside Cordon',
  'screen-capture-blocked': 'Screenshots and screen sharing blocked',
  watermark: 'Watermark names who is looking',
  'idle-lock': 'Locks when you step away',
  'audit-encrypted': 'Activity log kept encrypted and tamper-evident on this computer',
  'audit-delivered': 'Activity log delivered to the practice',
  'device-disk-encryption': DEVICE_CHECK_LABELS.diskEncryption,
  'device-screen-lock': DEVICE_CHECK_LABELS.screenLock,
  'device-os-version': DEVICE_CHECK_LABELS.osVersion,
  'device-firewall': DEVICE_CHECK_LABELS.firewall,
  'device-antivirus': DEVICE_CHECK_LABELS.antivirus,
};

const RESULT_STATES = { pass: 'passed', fail: 'failed', unknown: 'unknown' } as const;

/** A device check's row: its result, how much IT cares, what was seen and the fix. */
function deviceCheckState(status: DeviceCheckStatus | undefined): { state: ProtectionState; detail: string } {
  if (status === undefined) return { state: 'unknown', detail: 'Not checked yet.' };
  if (status.level === 'off') return { state: 'disabled-by-policy', detail: '' };
  return { state: RESULT_STATES[status.result], detail: [LEVEL_WORDS[status.level], status.observed, status.fix].filter((part) => part !== '').join(' ') };
}

function appsAllowing(policy: Policy, rule: 'downloads' | 'printing'): string[] {
  return policy.apps.filter((app) => app[rule] === 'allow').map((app) => app.name);
}

/** Where capture protection falls short on this OS under this policy, or null where the OS enforces it. */
function captureShortfall(platform: string, policy: Policy | null): { state: ProtectionState; detail: string } | null {
  // No trusted policy: the windows are protected as if it were required.
  const protection = policy?.screenCapture.protection ?? 'required';
  if (protection === 'off') return { state: 'disabled-by-policy', detail: 'IT has turned capture protection off.' };
  const { support, appsHidden } = decideCapture(platform, protection);
  const consequence = appsHidden === null ? ' IT allows working without it.' : ' IT requires it, so practice apps stay hidden.';
  if (support === 'none') {
    return { state: appsHidden === null ? 'not-enforced' : 'not-available', detail: `This operating system gives apps no way to block screenshots or screen sharing.${consequence}` };
  }
  if (support === 'partial') {
    return { state: 'not-enforced', detail: `macOS keeps Cordon out of older capture tools, but apps that use ScreenCaptureKit (most current recorders and meeting apps) can still capture it.${consequence}` };
  }
  return null;
}

function stateOf(id: ProtectionId, { platform, build, policy, installed, deviceChecks = [] }: PostureInput): { state: ProtectionState; detail: string } {
  const deviceCheck = DEVICE_CHECK_IDS.find((check) => DEVICE_CHECK_PROTECTIONS[check] === id);
  if (deviceCheck !== undefined) return deviceCheckState(deviceChecks.find((status) => status.check === deviceCheck));

  // An empty detail: the state says it all, and the panel should not say it twice.
  const notBuilt = { state: 'not-in-this-build', detail: '' } as const;
  const enforced = (detail: string) => ({ state: 'enforced', detail }) as const;

  // Platform and policy facts hold whether or not the code is installed: report them first.
  if (id === 'screen-capture-blocked') {
    const unenforced = captureShortfall(platform, policy);
    if (unenforced !== null) return unenforced;
  }
  if (id === 'downloads-blocked' || id === 'printing-blocked') {
    const allowing = policy === null ? [] : appsAllowing(policy, id === 'downloads-blocked' ? 'downloads' : 'printing');
    if (allowing.length > 0) return { state: 'disabled-by-policy', detail: `IT allows it for: ${allowing.join(', ')}.` };
  }
  if (id === 'devtools-blocked' && build === 'development') {
    return { state: 'not-enforced', detail: 'Development build: developer tools stay available.' };
  }
  if (id === 'https-only' && policy?.environment === 'demo') {
    return { state: 'not-enforced', detail: 'Demo policy: plain http to this computer (127.0.0.1) is allowed.' };
  }
  if (!installed.has(id)) return notBuilt;
  if (id === 'signed-policy' && policy !== null) return enforced(`Policy ${policy.policyId}, serial ${policy.serial}, valid until ${policy.expiresAt}.`);
  if (id === 'mfa-sign-in' && policy !== null) {
    // Each amr method alone is enough, so each is named on its own; acr values have no words but the IdP's.
    const proof = [...policy.identity.mfa.amrMethods.map((m) => signInMethodsInWords([m])), ...policy.identity.mfa.acrValues.map((v) => `level ${v} at the identity provider`)];
    return enforced(`Required at sign-in: ${listInWords(proof, 'or')}.`);
  }
  if (id === 'clipboard-contained' && policy !== null) return enforced(`Clipboard mode: ${policy.clipboard.mode}.`);
  if (id === 'idle-lock' && policy !== null) {
    return enforced(`Locks after ${policy.session.idleLockMinutes} min without input; signs out after ${policy.session.logoffMinutes} min.`);
  }
  if (id === 'screen-capture-blocked') return enforced("The operating system keeps Cordon's windows out of screenshots, recordings and screen sharing.");
  return enforced('');
}

export function assessPosture(input: PostureInput): ProtectionStatus[] {
  return PROTECTION_IDS.map((id) => ({ id, label: LABELS[id], ...stateOf(id, input) }));
}
