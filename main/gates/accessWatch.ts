// The one owner of whether this device and its VA may still reach the practice. It asks
// the collector at start, at each sign-in and every policy interval (access.checkEveryMinutes;
// every 15 s while the VA's access is not confirmed), hears a revoked device in its batches'
// answers, keeps each believed answer in the encrypted device storage, and judges under
// main's clock (common/gates/accessDecision). An ending is acted on once per sign-in
// (onEnded: deliver the queue, sign out, wipe) and audited, as is a VA's access left
// unconfirmed; a computer reinstated by IT unlocks and that is audited too.
import type { KeyObject } from 'node:crypto';
import type { AccessStatement } from '../../common/audit/accessProtocol';
import type { AuditSink } from '../../common/audit/auditSink';
import type { Identity } from '../../common/auth/identity';
import { decideAccess, vaAccessInput, type AccessOutcome, type AccessVerdict } from '../../common/gates/accessDecision';
import type { AccessInput } from '../../common/gates/gateOrder';
import type { LockReason } from '../shell/shellState';
import { judgeAccessAnswer, type AccessAnswer } from './accessStatus';
import type { AccessStatusRecords, ConfirmedStanding } from './accessStatusStore';

export type EndedAccess = Extract<AccessVerdict, { state: 'ended' }>;

/** While the VA's access is not confirmed, the collector is asked again this often. */
export const ASK_AGAIN_MS = 15_000;

export interface AccessWatchOptions {
  /** The collector key the policy names; without it no answer can be believed, and nothing is checked. */
  key: KeyObject | null;
  /** Null when the device's encrypted storage did not open: nothing is kept across restarts. */
  store: AccessStatusRecords | null;
  /** Asks the collector about this device and a VA (null: the device alone); null when this device has no way to. */
  ask: ((subject: string | null) => Promise<AccessAnswer>) | null;
  /** This device's id, which a batch answer's statement must name. */
  deviceId: string | null;
  checkEveryMs: number;
  /** The policy's offline days: how long a confirmation counts while the collector cannot be reached. */
  offlineDays: number;
  audit: AuditSink;
  identity: () => Identity | null;
  now: () => number;
  /** What the shell shows may have changed. */
  onChange: () => void;
  /** Access ended for this computer or the signed-in VA: deliver what is queued, sign out, wipe, say why. Once per ending. */
  onEnded: (ended: EndedAccess) => void;
}

interface VaAccess {
  subject: string;
  confirmed: ConfirmedStanding | null;
  /** Whether a question asked since this sign-in came back (believed, refused or unanswered). */
  answered: boolean;
  lastOutcome: AccessOutcome | null;
  /** The collector's error when it last declined the question (for the audit trail). */
  declinedWith: string | null;
  /** The closing code last audited (access.unconfirmed), so each closing is audited once. */
  closedCode: string | null;
}

/** The newer of two confirmed standings: an answer overtaken on its way never replaces a later one. */
function newer(current: ConfirmedStanding | null, next: ConfirmedStanding): ConfirmedStanding {
  return current !== null && current.issuedAt > next.issuedAt ? current : next;
}

export class AccessWatch {
  private device: ConfirmedStanding | null;
  private va: VaAccess | null = null;
  private asking: { subject: string | null; done: Promise<void> } | null = null;
  private lastAskedAt: number | null = null;
  /** The ending last acted on (`device` or `user:<subject>`), so each is acted on once. */
  private actedOn: string | null;

  constructor(private readonly options: AccessWatchOptions) {
    const { key, store } = options;
    this.device = key === null || store === null ? null : store.latest(null, key);
    // A computer revoked before this start stays locked; there is nothing more to act on.
    this.actedOn = this.verdict().state === 'ended' ? 'device' : null;
  }

  private get enabled(): boolean {
    return this.options.key !== null && this.options.ask !== null;
  }

  /** Why Cordon is locked for every VA: this computer's access ended. Only IT reinstating it ends that. */
  lockReason(): LockReason | null {
    const verdict = this.verdict();
    return verdict.state === 'ended' && verdict.scope === 'device' ? { code: 'access-revoked', message: verdict.message } : null;
  }

  /** What the gate order needs now for the signed-in VA. */
  input(): AccessInput {
    const va = this.current();
    if (va === null || !this.enabled) return { state: 'clear' };
    return vaAccessInput({ verdict: this.verdict(), answered: va.answered, lastOutcome: va.lastOutcome, confirmedAt: va.confirmed?.issuedAt ?? null }, this.options.offlineDays, this.options.now());
  }

  /** A sign-in: the VA's record is read afresh, their apps wait for this sign-in's answer, and an ending of theirs is acted on again. */
  signedIn(): Promise<void> {
    this.va = null;
    // Also a computer's ending: a sign-in that completed after it locked is signed out again.
    this.actedOn = null;
    return this.refresh();
  }

  /** Asks the collector now (at start), or waits for the question already on its way for the same VA. */
  refresh(): Promise<void> {
    const { ask } = this.options;
    if (!this.enabled || ask === null) return Promise.resolve();
    const subject = this.current()?.subject ?? null;
    if (this.asking?.subject === subject) return this.asking.done;
    const asking = { subject, done: this.askFor(subject, ask) };
    this.asking = asking;
    void asking.done.finally(() => {
      if (this.asking === asking) this.asking = null;
    });
    this.check();
    return asking.done;
  }

  /** On main's tick: asks again when due, and acts on what the clock changed (an end date passing). */
  tick(): void {
    const wait = this.input().state === 'clear' ? this.options.checkEveryMs : Math.min(ASK_AGAIN_MS, this.options.checkEveryMs);
    if (this.enabled && this.asking === null && (this.lastAskedAt === null || this.options.now() - this.lastAskedAt >= wait)) void this.refresh();
    else this.check();
  }

  /** What a batch's answer said about this device, with the nonce of that batch's request. */
  fromBatchAnswer(access: unknown, requestNonce: string): void {
    const { key, deviceId } = this.options;
    if (key === null || deviceId === null) return;
    const judged = judgeAccessAnswer(access, key, { subject: null, deviceId, challenge: requestNonce, now: this.options.now() });
    if (judged.kind === 'refused') this.options.audit.record({ type: 'access.status-refused', outcome: 'blocked', reason: judged.reason });
    else this.believe(judged.statement, judged.signature);
    this.check();
  }

  private async askFor(subject: string | null, ask: (subject: string | null) => Promise<AccessAnswer>): Promise<void> {
    this.lastAskedAt = this.options.now();
    let answer: AccessAnswer;
    try {
      answer = await ask(subject);
    } catch (error) {
      answer = { kind: 'unavailable', message: error instanceof Error ? error.message : String(error) };
    }
    if (answer.kind === 'refused') this.options.audit.record({ type: 'access.status-refused', outcome: 'blocked', reason: answer.reason });
    if (answer.kind === 'confirmed') this.believe(answer.statement, answer.signature);
    if (this.va !== null && this.va.subject === subject) {
      this.va.answered = true;
      this.va.lastOutcome = answer.kind === 'unavailable' ? 'unreachable' : answer.kind;
      if (answer.kind === 'declined') this.va.declinedWith = answer.error ?? `http-${answer.status}`;
    }
    this.check();
  }

  private believe(statement: AccessStatement, signature: string): void {
    const issuedAt = Date.parse(statement.issuedAt);
    this.device = newer(this.device, { standing: statement.device, issuedAt });
    if (statement.user !== null && this.va?.subject === statement.subject) this.va.confirmed = newer(this.va.confirmed, { standing: statement.user, issuedAt });
    try {
      this.options.store?.save(statement, signature, this.options.now());
    } catch {
      // Not kept across a restart; it still counts now, and the next answer is saved again.
    }
  }

  private verdict(): AccessVerdict {
    return decideAccess({ device: this.device?.standing ?? null, user: this.va?.confirmed?.standing ?? null }, this.options.now());
  }

  /** The signed-in VA's record, read from the device's storage once per sign-in. */
  private current(): VaAccess | null {
    const identity = this.options.identity();
    if (identity === null) {
      this.va = null;
      return null;
    }
    if (this.va?.subject !== identity.subject) {
      const { store, key } = this.options;
      this.va = { subject: identity.subject, confirmed: store === null || key === null ? null : store.latest(identity.subject, key), answered: false, lastOutcome: null, declinedWith: null, closedCode: null };
    }
    return this.va;
  }

  /** Acts on an ending once, audits a reinstated computer and an unconfirmed VA, and lets a signed-out VA's ending be acted on again at their next sign-in. */
  private check(): void {
    const va = this.current();
    const verdict = this.verdict();
    const input = this.input();
    // A VA's ending kept from an earlier sign-in waits for this sign-in's answer (the input says `checking` meanwhile).
    if (verdict.state === 'ended' && (verdict.scope === 'device' || input.state === 'ended')) {
      const ending = verdict.scope === 'device' ? 'device' : `user:${va?.subject ?? ''}`;
      if (ending !== this.actedOn) {
        this.actedOn = ending;
        this.options.audit.record({ type: 'access.revoked', outcome: 'blocked', reason: `${verdict.scope}:${verdict.reason}` });
        this.options.onEnded(verdict);
      }
    } else if (this.actedOn === 'device' && verdict.state !== 'ended') {
      this.actedOn = null;
      this.options.audit.record({ type: 'access.reinstated', outcome: 'success', reason: 'device' });
    } else if (this.actedOn !== null && va === null) {
      this.actedOn = null;
    }
    if (va !== null) {
      const closedCode = input.state === 'closed' ? input.reason.code : null;
      if (closedCode !== null && closedCode !== va.closedCode) {
        const why = closedCode === 'access-unknown' ? 'offline' : va.lastOutcome === 'declined' ? `declined:${va.declinedWith ?? ''}` : 'refused';
        this.options.audit.record({ type: 'access.unconfirmed', outcome: 'blocked', reason: why });
      }
      if (input.state !== 'checking') va.closedCode = closedCode;
    }
    this.options.onChange();
  }
}
