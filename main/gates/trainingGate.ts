// The training gate for the signed-in VA: asks the collector at sign-in and every 15
// minutes (every minute while nothing is confirmed), keeps each believed answer in the
// encrypted device storage, and judges by the last confirmed status under main's clock
// (common/gates/trainingAssessment). Changes are audited: apps closed and why, reopened, a
// course the VA was told is due, an answer that was refused. Never a course's record itself.
import type { KeyObject } from 'node:crypto';
import type { AuditSink } from '../../common/audit/auditSink';
import type { Identity } from '../../common/auth/identity';
import type { TrainingInput } from '../../common/gates/gateOrder';
import { assessTraining, type ConfirmedTraining, type TrainingAssessment } from '../../common/gates/trainingAssessment';
import type { TrainingPolicy } from '../../common/policy/policySchema';
import { confirmedFrom, type TrainingAnswer } from './trainingStatus';
import type { TrainingStatusRecords } from './trainingStatusStore';

export const ASK_EVERY_MS = 15 * 60_000;
/** While nothing confirmed counts, the collector is asked again this often. */
export const ASK_AGAIN_MS = 60_000;

export interface TrainingGateOptions {
  /** The policy's training section; none configured without it. */
  policy: TrainingPolicy | undefined;
  /** The collector key the policy names; null when there is none to check answers with. */
  key: KeyObject | null;
  /** Null when the device's encrypted storage did not open: nothing is kept across restarts. */
  store: TrainingStatusRecords | null;
  /** Asks the collector about a VA; null when this device has no way to (no device key). */
  ask: ((subject: string) => Promise<TrainingAnswer>) | null;
  audit: AuditSink;
  identity: () => Identity | null;
  now: () => number;
  /** What the shell shows may have changed. */
  onChange: () => void;
  /** A short message for the VA. */
  notify: (text: string) => void;
}

interface VaTraining {
  subject: string;
  confirmed: ConfirmedTraining | null;
  /** The question on its way to the collector, if one is. */
  asking: Promise<void> | null;
  lastAskedAt: number | null;
  /** The closing reason last audited, or null while apps were not closed for training. */
  closedCode: string | null;
  /** Notices given this sign-in (`<course>:<kind>`), so each is said once. */
  told: Set<string>;
}

export class TrainingGate {
  private va: VaTraining | null = null;

  constructor(private readonly options: TrainingGateOptions) {}

  /** What the gate order needs now. */
  input(): TrainingInput {
    return this.assessment()?.input ?? { state: 'not-configured' };
  }

  /** Asks the collector now (at sign-in), or waits for the question already on its way; the answer is judged, kept and published. */
  refresh(): Promise<void> {
    const va = this.current();
    const { ask } = this.options;
    if (va === null || ask === null || this.options.key === null) return Promise.resolve();
    if (va.asking === null) {
      va.asking = this.askFor(va, ask).finally(() => {
        va.asking = null;
        this.check();
      });
      this.check();
    }
    return va.asking;
  }

  private async askFor(va: VaTraining, ask: (subject: string) => Promise<TrainingAnswer>): Promise<void> {
    va.lastAskedAt = this.options.now();
    let answer: TrainingAnswer;
    try {
      answer = await ask(va.subject);
    } catch (error) {
      answer = { kind: 'unavailable', message: error instanceof Error ? error.message : String(error) };
    }
    // The VA signed out (or another signed in) meanwhile: the answer is for no one here.
    if (this.va !== va) return;
    if (answer.kind === 'refused') this.options.audit.record({ type: 'training.status-refused', outcome: 'blocked', reason: answer.reason });
    if (answer.kind !== 'confirmed') return;
    va.confirmed = confirmedFrom(answer.statement);
    try {
      this.options.store?.save(va.subject, answer.statement, answer.signature, this.options.now());
    } catch {
      // Not kept across a restart; it still counts now, and the next answer is saved again.
    }
  }

  /** On main's tick: asks again when due, and audits and tells what changed with the clock. */
  tick(): void {
    const va = this.current();
    if (va === null || va.asking !== null) return this.check();
    const counts = this.assessment()?.input.state === 'clear';
    const wait = counts ? ASK_EVERY_MS : ASK_AGAIN_MS;
    if (va.lastAskedAt === null || this.options.now() - va.lastAskedAt >= wait) void this.refresh();
    else this.check();
  }

  private assessment(): TrainingAssessment | null {
    if (this.options.policy === undefined) return null;
    const va = this.current();
    if (va === null) return null;
    // Signed in but not asked yet (the sign-in's question is on its way): checking, not failed.
    const asking = va.asking !== null || (va.lastAskedAt === null && this.options.ask !== null && this.options.key !== null);
    return assessTraining(this.options.policy, { confirmed: va.confirmed, asking }, this.options.now());
  }

  /** The signed-in VA's record, read from the device's storage once per sign-in. */
  private current(): VaTraining | null {
    const identity = this.options.identity();
    if (identity === null || this.options.policy === undefined) {
      this.va = null;
      return null;
    }
    if (this.va?.subject !== identity.subject) {
      const { store, key } = this.options;
      this.va = { subject: identity.subject, confirmed: store === null || key === null ? null : store.latest(identity.subject, key), asking: null, lastAskedAt: null, closedCode: null, told: new Set() };
    }
    return this.va;
  }

  /** Audits a closing or a reopening once, and tells the VA of a course due once per sign-in. */
  private check(): void {
    const va = this.current();
    const result = this.assessment();
    if (va !== null && result !== null) {
      const { input, standings, notice } = result;
      const closedCode = input.state === 'closed' ? input.reason.code : input.state === 'unknown' ? 'training-unknown' : null;
      if (closedCode !== null && closedCode !== va.closedCode) {
        const course = input.state === 'closed' && closedCode === 'training-overdue' ? standings.find((s) => s.state === 'closed')?.course.id : undefined;
        this.options.audit.record({ type: 'training.closed', outcome: 'blocked', reason: course === undefined ? closedCode : `${closedCode}:${course}` });
      }
      if (input.state === 'clear' && va.closedCode !== null) this.options.audit.record({ type: 'training.cleared', outcome: 'success' });
      // `checking` leaves the last audited state as it was: only an outcome changes it.
      if (input.state !== 'checking') va.closedCode = closedCode;
      const told = notice === null ? null : `${notice.courseId}:${notice.kind}`;
      if (notice !== null && told !== null && !va.told.has(told)) {
        va.told.add(told);
        this.options.audit.record({ type: 'training.due', outcome: 'success', reason: told });
        this.options.notify(notice.text);
      }
    }
    this.options.onChange();
  }
}
