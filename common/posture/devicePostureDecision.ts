// The policy-level decision on device posture: may hosted apps open, what the VA is told,
// and each check's line for the posture panel. Pure, under the caller's clock: a result
// older than its hour (a laptop that slept through its check) counts as not checked, and
// a required check counts only when it passes.
import type { AppsHiddenReason } from '../capture/captureProtection';
import type { DevicePosturePolicy } from '../policy/policySchema';
import { DEVICE_CHECK_IDS, type CheckLevel, type CheckOutcome, type CheckResult, type DeviceCheckId } from './deviceChecks';
import { DEVICE_CHECK_NAMES, deviceCheckFix } from './deviceCheckWording';

/** Checks run at sign-in and again when the last run is this old. */
export const DEVICE_CHECK_INTERVAL_MS = 60 * 60 * 1000;
/** A result is believed this long: the hour, plus time for the next run to finish. */
export const DEVICE_RESULT_MAX_AGE_MS = DEVICE_CHECK_INTERVAL_MS + 5 * 60 * 1000;

/** One check as the panel shows it. */
export interface DeviceCheckStatus {
  check: DeviceCheckId;
  level: CheckLevel;
  result: CheckResult;
  observed: string;
  /** How to make it pass; '' when it passes or is off. */
  fix: string;
}

export interface DevicePostureView {
  checks: DeviceCheckStatus[];
  /** Why hosted apps stay closed (a required check not passing), or null. */
  appsHidden: AppsHiddenReason | null;
  /** What IT recommends that this computer does not do yet, for a notice; null when nothing. */
  advice: string | null;
}

export interface DevicePostureInput {
  policy: DevicePosturePolicy;
  platform: string;
  outcomes: ReadonlyMap<DeviceCheckId, CheckOutcome>;
  now: number;
}

export const CHECKING: AppsHiddenReason = { code: 'device-check-pending', message: "Checking this computer's security settings before practice apps open…" };

/** The panel's line for a check, and whether a fresh result stands behind it. */
function statusOf(check: DeviceCheckId, { policy, platform, outcomes, now }: DevicePostureInput): { status: DeviceCheckStatus; answered: boolean } {
  const { level } = policy[check];
  if (level === 'off') return { status: { check, level, result: 'unknown', observed: '', fix: '' }, answered: false };
  const outcome = outcomes.get(check);
  const answered = outcome !== undefined && outcome.checkedAt <= now && now - outcome.checkedAt <= DEVICE_RESULT_MAX_AGE_MS;
  const { result, observed } = answered ? outcome : { result: 'unknown' as const, observed: 'Not checked yet.' };
  return { status: { check, level, result, observed, fix: result === 'pass' ? '' : deviceCheckFix(check, platform, policy) }, answered };
}

const named = (s: DeviceCheckStatus) => `${DEVICE_CHECK_NAMES[s.check]}: ${s.observed} ${s.fix}`;

export function decideDevicePosture(input: DevicePostureInput): DevicePostureView {
  const lines = DEVICE_CHECK_IDS.map((check) => statusOf(check, input));
  const notPassing = lines.filter(({ status }) => status.level !== 'off' && status.result !== 'pass');
  const blocking = notPassing.filter(({ status }) => status.level === 'required');
  const answered = blocking.filter((line) => line.answered).map((line) => line.status);
  // A required check that answered fail or unknown is named with its fix; one still
  // waiting for a fresh answer (at sign-in, after a sleep) keeps apps closed meanwhile.
  const appsHidden: AppsHiddenReason | null =
    answered.length > 0
      ? { code: `device-posture:${answered.map((s) => s.check).join(',')}`, message: `Practice apps stay closed until this computer meets the practice's security requirements. ${answered.map(named).join(' ')}` }
      : blocking.length > 0
        ? CHECKING
        : null;
  const recommended = notPassing.filter((line) => line.answered && line.status.level === 'recommended').map((line) => line.status);
  const advice = recommended.length === 0 ? null : `IT recommends changes to this computer's settings. ${recommended.map(named).join(' ')}`;
  return { checks: lines.map((line) => line.status), appsHidden, advice };
}
