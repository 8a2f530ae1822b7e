// The device checks IT may ask for in the policy's `devicePosture`, and what a check
// found. Every result is pass, fail or unknown: a check that could not run, or whose
// answer Cordon cannot read, is unknown, and unknown is never a pass.

/** Named as the policy names them (`devicePosture.diskEncryption`, …). */
export const DEVICE_CHECK_IDS = ['diskEncryption', 'screenLock', 'osVersion', 'firewall', 'antivirus'] as const;
export type DeviceCheckId = (typeof DEVICE_CHECK_IDS)[number];

export const CHECK_LEVELS = ['off', 'recommended', 'required'] as const;
export type CheckLevel = (typeof CHECK_LEVELS)[number];

export const CHECK_RESULTS = ['pass', 'fail', 'unknown'] as const;
export type CheckResult = (typeof CHECK_RESULTS)[number];

/** What one check found on this computer. */
export interface CheckFinding {
  result: CheckResult;
  /** What was seen, in a sentence for the VA and IT (a setting, a product name; never PHI). */
  observed: string;
}

/** A finding with the check it answers and when (epoch ms). */
export interface CheckOutcome extends CheckFinding {
  check: DeviceCheckId;
  checkedAt: number;
}

export const passed = (observed: string): CheckFinding => ({ result: 'pass', observed });
export const failed = (observed: string): CheckFinding => ({ result: 'fail', observed });
export const unknown = (observed: string): CheckFinding => ({ result: 'unknown', observed });
