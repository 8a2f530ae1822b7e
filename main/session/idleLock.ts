// The idle lock and automatic logoff (HIPAA 164.312(a)(2)(iii)), carried out: feeds the
// pure machine (common/session/idleMachine) and does what it decides. Locking detaches
// the hosted apps; only a fresh login by the same person unlocks; after the policy's
// time the session is signed out and wiped. Every lock, unlock and logoff is audited.
import { AuthError, authErrorMessage } from '../../common/auth/authErrors';
import type { Identity } from '../../common/auth/identity';
import type { AuditSink } from '../../common/audit/auditSink';
import type { ActionResult } from '../../common/ipc/contract';
import { idleMs, idleStep, initialIdleState, lockAt, type ActivitySource, type IdleConfig, type IdleEffect, type IdleEvent, type IdleState, type Instant, type LockReason } from '../../common/session/idleMachine';

/** What the idle lock needs of sign-in; SignInService provides it. */
export interface IdleAuth {
  readonly identity: Identity | null;
  /** A fresh login (max_age=0, prompt=login) that must be the same person; audits its own refusals. */
  reauthenticate(): Promise<Identity>;
}

export interface IdleLockOptions {
  config: IdleConfig;
  auth: IdleAuth;
  audit: AuditSink;
  /** Detaches every hosted view (and anything else showing practice data). */
  hideAll: () => void;
  /** Automatic logoff: revokes the tokens, ends the IdP session, wipes every hosted session. */
  signOut: () => Promise<void>;
  /** Moves keyboard focus to the shell for the warning; returns how to give it back. */
  focusShell?: () => () => void;
  /** The monotonic and wall clocks the machine reads (see idleMachine). */
  now?: () => Instant;
}

export type IdleStatus = { phase: 'signed-out' } | { phase: 'active' } | { phase: 'warning'; lockAt: number } | { phase: 'locked'; reason: LockReason };

const systemClock = (): Instant => ({ mono: performance.now(), wall: Date.now() });

export class IdleLock {
  /** The signed-in person's idle state, from their first moment signed in; null while nobody is. */
  private session: { subject: string; state: IdleState } | null = null;
  private giveFocusBack: (() => void) | null = null;
  private unlocking: Promise<ActionResult> | null = null;
  private readonly now: () => Instant;

  constructor(private readonly options: IdleLockOptions) {
    this.now = options.now ?? systemClock;
  }

  tick(): void {
    this.send((at) => ({ type: 'tick', at }));
  }

  activity(source: ActivitySource): void {
    this.send((at) => ({ type: 'activity', source, at }));
  }

  /**
   * The OS saw input `ms` ago (powerMonitor.getSystemIdleTime). It is activity only if
   * more recent than Cordon's own, so it can never make the VA look idler; the machine
   * counts it only when the policy says so.
   */
  systemInputAgo(ms: number): void {
    this.send((at, state) => (ms < idleMs(state, at) ? { type: 'activity', source: 'system', at: { mono: at.mono - ms, wall: at.wall - ms } } : null));
  }

  osEvent(type: 'os-lock' | 'suspend' | 'user-switch'): void {
    this.send((at) => ({ type, at }));
  }

  status(): IdleStatus {
    const session = this.current();
    if (session === null) return { phase: 'signed-out' };
    const { state } = session;
    // Logged off but not yet signed out (the wipe is under way): still locked.
    if (state.phase === 'locked' || state.phase === 'logged-off') return { phase: 'locked', reason: state.lockReason ?? 'idle' };
    if (state.phase === 'warning') return { phase: 'warning', lockAt: lockAt(state, this.now(), this.options.config) };
    return { phase: 'active' };
  }

  /** Re-authentication to end the lock; one attempt at a time. */
  unlock(): Promise<ActionResult> {
    this.unlocking ??= this.reauthenticate().finally(() => {
      this.unlocking = null;
    });
    return this.unlocking;
  }

  private async reauthenticate(): Promise<ActionResult> {
    const session = this.current();
    if (session === null || session.state.phase !== 'locked') return { ok: false, message: 'Cordon is not locked.' };
    let identity: Identity;
    try {
      identity = await this.options.auth.reauthenticate();
    } catch (error) {
      // SignInService has audited the refusal (reauth.failed with its code).
      return { ok: false, message: error instanceof AuthError ? error.message : 'Unlocking failed. Try again, or sign out.' };
    }
    if (this.session !== session || session.state.phase !== 'locked') {
      // Logged off while the VA was at the IdP: the login just adopted must not outlive it.
      await this.options.signOut();
      return { ok: false, message: 'Cordon signed you out while you were away. Sign in again.' };
    }
    if (identity.subject !== session.subject) {
      // SignInService refuses another person itself; should one ever get through, that
      // person now holds the session, so it is ended rather than unlocked.
      this.options.audit.record({ type: 'reauth.failed', outcome: 'failure', reason: 'wrong-user' });
      await this.logoff('wrong-user');
      return { ok: false, message: authErrorMessage('wrong-user') };
    }
    this.send((at) => ({ type: 'unlocked', at }));
    return { ok: true };
  }

  /** The session follows sign-in: it starts at the first look after sign-in and ends with sign-out. */
  private current(): { subject: string; state: IdleState } | null {
    const identity = this.options.auth.identity;
    if (identity === null) {
      this.session = null;
      this.giveFocusBack = null;
    } else {
      this.session ??= { subject: identity.subject, state: initialIdleState(this.now()) };
    }
    return this.session;
  }

  private send(event: (at: Instant, state: IdleState) => IdleEvent | null): void {
    const session = this.current();
    if (session === null) return;
    const next = event(this.now(), session.state);
    if (next === null) return;
    const { state, effects } = idleStep(session.state, next, this.options.config);
    session.state = state;
    this.apply(effects, state.lockReason ?? 'idle');
  }

  private apply(effects: IdleEffect[], reason: LockReason): void {
    const locking = effects.some((effect) => effect.type === 'lock');
    for (const effect of effects) {
      switch (effect.type) {
        case 'show-warning':
          this.giveFocusBack ??= this.options.focusShell?.() ?? null;
          break;
        case 'hide-warning': {
          const giveBack = this.giveFocusBack;
          this.giveFocusBack = null;
          // The VA answered: back to the app they were in. A lock hides that app instead.
          if (!locking) giveBack?.();
          break;
        }
        case 'lock':
          this.options.hideAll();
          this.options.audit.record({ type: 'session.locked', outcome: 'success', reason: effect.reason });
          break;
        case 'unlock':
          this.options.audit.record({ type: 'session.unlocked', outcome: 'success' });
          break;
        case 'logoff':
          void this.logoff(reason);
          break;
      }
    }
  }

  /** Runs while locked, so the apps are already detached. */
  private async logoff(reason: string): Promise<void> {
    try {
      await this.options.signOut();
      this.options.audit.record({ type: 'session.logoff', outcome: 'success', reason });
    } catch {
      // The views stay detached and the state stays locked; the failure is on record.
      this.options.audit.record({ type: 'session.logoff', outcome: 'failure', reason });
    }
  }
}
