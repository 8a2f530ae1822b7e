// The one owner of what the shell shows and why Cordon is locked. It keeps the state
// only main's wiring used to scatter (audit queue full, the app last shown, the
// signed-out notice, the latest notice) and reads the rest from the pieces that own it
// (policy, sign-in, idle lock, capture watch, the gates before practice data: access,
// agreements, training and device posture, audit queue). Whenever what
// the shell should show changes, it tells its listeners once (main pushes it to the shell page).
import type { AuditEventInput } from '../../common/audit/auditSink';
import type { QueuePressure } from '../../common/audit/queuePressure';
import type { Identity } from '../../common/auth/identity';
import type { AppsHiddenReason } from '../../common/capture/captureProtection';
import type { AcceptanceRecord } from '../../common/gates/agreementStanding';
import { firstOutstandingGate, type AccessInput, type AgreementDocument, type GateOutcome, type TrainingInput } from '../../common/gates/gateOrder';
import type { ShellState } from '../../common/ipc/contract';
import type { PolicyResult } from '../../common/policy/signedPolicy';
import type { ProtectionStatus } from '../../common/posture/posture';
import type { EnrollmentStep } from '../../common/ui/enrollmentStep';
import { DELIVERY_BEHIND_NOTICE, noticeForEvent, signedOutNoticeFor } from '../../common/ui/notices';
import type { IdleStatus } from '../session/idleLock';
import { ShellNotices } from '../shell/shellNotices';
import { gatedShellState, shellStateFor, type LockReason } from '../shell/shellState';

/** What the state reads from the pieces that own it, each asked when the state is computed. */
export interface WorkspaceStateSources {
  policy: PolicyResult;
  posture: () => ProtectionStatus[];
  identity: () => Identity | null;
  /** The idle lock's status; `signed-out` when there is no idle lock (no policy). */
  idle: () => IdleStatus;
  /** Why hosted apps may not show now (no capture protection, a capture tool running). */
  appsHidden: () => AppsHiddenReason | null;
  /** Why hosted apps stay closed for this computer's settings (a required device check not passing); none without device checks. */
  devicePosture?: () => AppsHiddenReason | null;
  /** The policy's agreements and this VA's acceptances of them; none to accept without it. */
  agreements?: (identity: Identity) => { agreements: AgreementDocument[]; acceptances: ReadonlyMap<string, AcceptanceRecord> };
  /** Why this computer's access ended (main/gates/accessWatch.ts), which locks Cordon for every VA; none without it. */
  accessLock?: () => LockReason | null;
  /** The signed-in VA's access (confirming it at sign-in, or ended); clear without it. */
  access?: () => AccessInput;
  /** Training status (issue 11 item 2); not configured without it. */
  training?: () => TrainingInput;
  /** The clock the gates are judged by. */
  now?: () => number;
  /** The audit queue's failure, if it failed. */
  auditFailure: () => { code: string; message: string } | null;
  /** The "connect this computer" step while it is not enrolled with the collector (none without a sync). */
  enrollment?: () => EnrollmentStep | null;
  notices?: ShellNotices;
}

export class WorkspaceState {
  private queueFull = false;
  /** The app last shown, so an unlock (or a capture tool closing) returns to it. */
  private activeAppId: string | undefined;
  /** Apps that signed the VA out (showed one of their signed-out pages), until they show a page of their own again. */
  private readonly signedOutApps = new Set<string>();
  /** Why the VA sees the sign-in screen (an automatic logoff, a refused start), until the next sign-in. */
  private signedOutNotice: string | undefined;
  private readonly notices: ShellNotices;
  private readonly listeners: ((state: ShellState) => void)[] = [];
  private readonly lockListeners: ((reason: LockReason) => void)[] = [];
  private readonly hideListeners: (() => void)[] = [];
  private published: string | null = null;
  private locked = false;
  private appsWereHidden = false;

  constructor(private readonly sources: WorkspaceStateSources) {
    this.notices = sources.notices ?? new ShellNotices();
  }

  /** Why Cordon is locked whoever is signed in, or null. Only fixing the cause ends it. */
  lockReason(): LockReason | null {
    const failure = this.sources.auditFailure();
    if (failure !== null) return { code: `audit-${failure.code}`, message: `Cordon cannot record its activity log safely, so it is locked. Tell IT: ${failure.message}` };
    const accessEnded = this.sources.accessLock?.() ?? null;
    if (accessEnded !== null) return accessEnded;
    if (this.queueFull) {
      const collector = this.sources.policy.ok ? this.sources.policy.policy.audit.collectorUrl : 'the configured address';
      return { code: 'audit-queue-full', message: `Too much of Cordon's activity log is waiting to reach the practice, so Cordon is locked until it is delivered. Tell IT: the collector at ${collector} is not accepting this computer's log.` };
    }
    return null;
  }

  /** What the shell should show now. */
  current(): ShellState {
    const { policy, posture, identity, idle, appsHidden } = this.sources;
    const who = identity();
    const gated = this.markSignedOut(gatedShellState(shellStateFor(policy, posture(), who, this.lockReason(), this.activeAppId), { idle: idle(), appsHidden: appsHidden(), notice: this.notices.current(), gate: this.gateFor(who) }));
    const enrollment = this.sources.enrollment?.() ?? null;
    const withStep = enrollment !== null && (gated.kind === 'signed-out' || gated.kind === 'workspace') ? { ...gated, enrollment } : gated;
    return withStep.kind === 'signed-out' && this.signedOutNotice !== undefined ? { ...withStep, notice: this.signedOutNotice } : withStep;
  }

  private markSignedOut(state: ShellState): ShellState {
    if (state.kind !== 'workspace' || this.signedOutApps.size === 0) return state;
    return { ...state, apps: state.apps.map((app) => (this.signedOutApps.has(app.id) ? { ...app, signedOut: true as const } : app)) };
  }

  /** The first gate before practice data still closed for this VA (access, agreements, then training, then device posture). */
  private gateFor(who: Identity | null): GateOutcome {
    const { access, agreements, training, devicePosture, now = Date.now } = this.sources;
    const posture = devicePosture?.() ?? null;
    return firstOutstandingGate({
      signedIn: who !== null,
      access: access?.(),
      ...(who === null || agreements === undefined ? { agreements: [], acceptances: new Map() } : agreements(who)),
      training: training?.(),
      posture: posture === null ? { state: 'clear' } : { state: 'closed', reason: posture },
      now: now(),
    });
  }

  /** The audit queue's delivery pressure: past the soft limit the VA is told; past the hard limit Cordon locks rather than drop events. */
  queuePressure(pressure: QueuePressure): void {
    this.queueFull = pressure === 'hard';
    if (pressure === 'soft') this.notices.push(DELIVERY_BEHIND_NOTICE);
    this.publish();
  }

  appShown(appId: string): void {
    this.activeAppId = appId;
    this.publish();
  }

  /** An app signed the VA out (one of its signed-out pages showed), or showed a page of its own again. */
  appSignedOut(appId: string, signedOut: boolean): void {
    if (signedOut) this.signedOutApps.add(appId);
    else this.signedOutApps.delete(appId);
    this.publish();
  }

  /** A message for the sign-in screen until the next sign-in (e.g. why the last start was refused). */
  noticeUntilSignIn(text: string): void {
    this.signedOutNotice = text;
    this.publish();
  }

  /** A short message for the VA (something blocked or kept inside), shown for a few seconds. */
  notify(text: string): void {
    this.notices.push(text);
    this.publish();
  }

  /** Every audit event: some tell the VA something, sign-in and logoff change the sign-in screen's notice. */
  observe(event: AuditEventInput): void {
    const text = noticeForEvent(event);
    if (text !== null) this.notices.push(text);
    if (event.type === 'sign-in.succeeded') this.signedOutNotice = undefined;
    const { policy } = this.sources;
    if (policy.ok) this.signedOutNotice = signedOutNoticeFor(event, policy.policy.session.logoffMinutes) ?? this.signedOutNotice;
    this.publish();
  }

  /** Called with the new state each time it changes. */
  onChange(listener: (state: ShellState) => void): void {
    this.listeners.push(listener);
  }

  /** Called when a lock (audit failure, queue full) begins: the caller hides everything. */
  onLock(listener: (reason: LockReason) => void): void {
    this.lockListeners.push(listener);
  }

  /** Called when the workspace starts withholding its apps (e.g. a required device check fails): the caller hides them. */
  onAppsHidden(listener: () => void): void {
    this.hideListeners.push(listener);
  }

  /**
   * Tells the listeners if what the shell should show differs from what they last got.
   * Called after every change this class sees, and on main's one-second tick for what
   * changes on its own (the idle countdown starting, a notice expiring, posture).
   */
  publish(): void {
    const lock = this.lockReason();
    if (lock !== null && !this.locked) for (const listener of this.lockListeners) listener(lock);
    this.locked = lock !== null;
    const state = this.current();
    // Whatever withholds the apps (an agreement to accept included), a view already showing must go, not only the tabs.
    const appsHidden = state.kind === 'agreement' || (state.kind === 'workspace' && state.appsHidden !== undefined);
    if (appsHidden && !this.appsWereHidden) for (const listener of this.hideListeners) listener();
    this.appsWereHidden = appsHidden;
    const text = JSON.stringify(state);
    if (text === this.published) return;
    this.published = text;
    for (const listener of this.listeners) listener(state);
  }
}
