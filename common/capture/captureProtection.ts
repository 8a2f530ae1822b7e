// Whether this OS can keep Cordon's windows out of screenshots, recordings and screen
// sharing, and what that means for showing hosted apps under the practice's policy.
// Main uses the decision to show or hide apps; the posture panel uses it to say so.
import type { Policy } from '../policy/policySchema';

export type CaptureProtection = Policy['screenCapture']['protection'];

/**
 * How far the OS honours Electron's setContentProtection (per Electron's docs):
 * - `full`: Windows excludes the window from capture (WDA_EXCLUDEFROMCAPTURE; before
 *   Windows 10 2004 it shows up black, which also protects it).
 * - `partial`: macOS honours NSWindowSharingNone for older capture methods, but apps
 *   that use ScreenCaptureKit (most current recorders and meeting apps) capture anyway.
 * - `none`: Linux has no such control.
 */
export type CaptureSupport = 'full' | 'partial' | 'none';

export function captureSupport(platform: string): CaptureSupport {
  if (platform === 'win32') return 'full';
  if (platform === 'darwin') return 'partial';
  return 'none';
}

/** Why hosted apps are hidden, in words for the VA, with a code for IT. */
export interface AppsHiddenReason {
  code: string;
  message: string;
}

export interface CaptureDecision {
  support: CaptureSupport;
  /** Ask the OS to keep every Cordon window out of captures (harmless where unsupported). */
  protectWindows: boolean;
  /** Null when hosted apps may be shown. */
  appsHidden: AppsHiddenReason | null;
}

const UNPROTECTED_WHY: Record<Exclude<CaptureSupport, 'full'>, string> = {
  none: "this computer's operating system cannot keep windows out of screenshots and screen sharing",
  partial: 'macOS lets current screen-recording and meeting apps capture any window',
};

/**
 * `required` means the OS must enforce the protection against every capture method
 * Electron documents; where it cannot, hosted apps stay hidden (fail closed).
 * `preferred` protects where possible and shows the apps anyway.
 */
export function decideCapture(platform: string, protection: CaptureProtection): CaptureDecision {
  const support = captureSupport(platform);
  const protectWindows = protection !== 'off';
  if (protection !== 'required' || support === 'full') return { support, protectWindows, appsHidden: null };
  return {
    support,
    protectWindows,
    appsHidden: {
      code: `capture-protection-${support === 'none' ? 'unavailable' : 'partial'}`,
      message: `Practice apps are hidden: your practice requires protection from screenshots and screen sharing, and ${UNPROTECTED_WHY[support]}. Tell IT.`,
    },
  };
}
