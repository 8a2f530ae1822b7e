// Runs the policy's device checks (at start, at each sign-in, and hourly from main's tick),
// keeps the latest results, records each change of a result in the audit trail, and
// answers what the workspace needs: whether hosted apps stay closed, and the panel's lines.
import type { AuditSink } from '../../common/audit/auditSink';
import type { AppsHiddenReason } from '../../common/capture/captureProtection';
import type { DevicePosturePolicy } from '../../common/policy/policySchema';
import { DEVICE_CHECK_IDS, unknown, type CheckOutcome, type DeviceCheckId } from '../../common/posture/deviceChecks';
import { decideDevicePosture, DEVICE_CHECK_INTERVAL_MS, type DevicePostureView } from '../../common/posture/devicePostureDecision';
import type { DeviceProbes } from './deviceProbes';

export interface DevicePostureOptions {
  policy: DevicePosturePolicy;
  platform: string;
  probes: DeviceProbes;
  audit: AuditSink;
  now: () => number;
  /** Called after each run (results, and so the shell's state, may have changed). */
  onChange: () => void;
  /** What IT recommends, when that changes (a short notice for the VA). */
  notify: (text: string) => void;
}

export class DevicePosture {
  private readonly outcomes = new Map<DeviceCheckId, CheckOutcome>();
  private running: Promise<void> | null = null;
  /** A run was asked for (a sign-in) while one was under way: results must postdate the ask. */
  private again = false;
  private lastRun: number | null = null;
  private advised: string | null = null;

  constructor(private readonly options: DevicePostureOptions) {}

  private get enabled(): DeviceCheckId[] {
    return DEVICE_CHECK_IDS.filter((check) => this.options.policy[check].level !== 'off');
  }

  /** The decision now: apps closed or not, and each check's line. */
  view(): DevicePostureView {
    const { policy, platform, now } = this.options;
    return decideDevicePosture({ policy, platform, outcomes: this.outcomes, now: now() });
  }

  appsHidden(): AppsHiddenReason | null {
    return this.view().appsHidden;
  }

  /** Runs every check the policy turns on; resolves when results at least as new as this call are in. */
  checkNow(): Promise<void> {
    if (this.running !== null) {
      this.again = true;
      return this.running;
    }
    this.running = this.runAll().finally(() => {
      this.running = null;
      if (this.again) {
        this.again = false;
        void this.checkNow();
      }
    });
    return this.running;
  }

  /** Called on main's tick: runs the checks when there are none yet or the last run is an hour old; the run it started, if any. */
  checkIfDue(): Promise<void> | null {
    if (this.enabled.length === 0 || this.running !== null) return null;
    if (this.lastRun !== null && this.options.now() - this.lastRun < DEVICE_CHECK_INTERVAL_MS) return null;
    return this.checkNow();
  }

  private async runAll(): Promise<void> {
    const { probes, policy, now, onChange } = this.options;
    this.lastRun = now();
    await Promise.all(
      this.enabled.map(async (check) => {
        // A probe should never throw; if one does (even before its promise), its check is unknown, never a pass.
        const finding = await Promise.resolve()
          .then(() => probes[check](policy))
          .catch(() => unknown('The check could not be run.'));
        this.record({ check, ...finding, checkedAt: now() });
      }),
    );
    this.adviseIfChanged();
    onChange();
  }

  /** Keeps the result, and audits it when it differs from the last one (or is the first). */
  private record(outcome: CheckOutcome): void {
    const before = this.outcomes.get(outcome.check);
    this.outcomes.set(outcome.check, outcome);
    if (before?.result === outcome.result) return;
    const level = this.options.policy[outcome.check].level;
    // Events carry the check, its result and level; never what was observed (product names, paths).
    this.options.audit.record({
      type: 'device.posture-changed',
      outcome: outcome.result === 'pass' ? 'success' : level === 'required' ? 'blocked' : 'failure',
      reason: `${outcome.check}:${outcome.result}:${level}`,
    });
  }

  private adviseIfChanged(): void {
    const { advice } = this.view();
    if (advice !== null && advice !== this.advised) this.options.notify(advice);
    this.advised = advice;
  }
}
