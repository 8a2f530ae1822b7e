// What the shell renderer is told about Cordon's state: the locked policy screen, the
// locked screen (e.g. the audit queue failed), the sign-in screen, the idle lock, an
// agreement to accept, or the workspace for the signed-in person. Never tokens.
import type { AppsHiddenReason } from '../../common/capture/captureProtection';
import type { Identity } from '../../common/auth/identity';
import type { GateOutcome } from '../../common/gates/gateOrder';
import type { ShellState } from '../../common/ipc/contract';
import type { PolicyResult } from '../../common/policy/signedPolicy';
import type { ProtectionStatus } from '../../common/posture/posture';
import type { IdleStatus } from '../session/idleLock';

/** Why Cordon is locked regardless of sign-in, if it is. */
export interface LockReason {
  code: string;
  message: string;
}

export function shellStateFor(policy: PolicyResult, posture: ProtectionStatus[], identity: Identity | null, lock: LockReason | null = null, activeAppId?: string): ShellState {
  if (!policy.ok) return { kind: 'policy-error', problem: policy.problem, posture };
  if (lock !== null) return { kind: 'locked', reason: lock, posture };
  const { practice, apps } = policy.policy;
  if (identity === null) return { kind: 'signed-out', practiceName: practice.name, posture };
  const first = apps[0]?.id ?? '';
  return {
    kind: 'workspace',
    practiceName: practice.name,
    identity: {
      name: identity.name,
      email: identity.email,
      roles: identity.roles,
      mfaMethods: identity.mfaMethods,
      signedInAt: new Date(identity.authTime * 1000).toISOString(),
    },
    apps: apps.map((app) => ({ id: app.id, name: app.name })),
    activeAppId: apps.some((app) => app.id === activeAppId) ? (activeAppId ?? first) : first,
    posture,
  };
}

/** What may stop a signed-in workspace from showing its apps right now. */
export interface WorkspaceGates {
  idle: IdleStatus;
  appsHidden: AppsHiddenReason | null;
  notice?: { id: number; text: string } | undefined;
  /** The first of the gates before practice data (agreements, training, device posture) still closed; open when absent. */
  gate?: GateOutcome;
}

/**
 * The workspace as the gates allow it: the idle lock replaces it, then an agreement to
 * accept; training or device posture keep its apps closed with their reason; a countdown
 * or a hiding reason annotates it.
 */
export function gatedShellState(state: ShellState, gates: WorkspaceGates): ShellState {
  // Every other state shows no apps already; an audit-failure lock stays what it is.
  if (state.kind !== 'workspace') return state;
  const { idle, appsHidden, notice, gate } = gates;
  if (idle.phase === 'locked') return { kind: 'idle-locked', practiceName: state.practiceName, userName: state.identity.name, reason: idle.reason, posture: state.posture };
  const idleWarning = idle.phase === 'warning' ? { lockAt: idle.lockAt } : undefined;
  if (gate?.gate === 'agreement') {
    const { id, title, version, content } = gate.document;
    return { kind: 'agreement', practiceName: state.practiceName, userName: state.identity.name, document: { id, title, version, content }, why: gate.why, remaining: gate.remaining, idleWarning, posture: state.posture };
  }
  const closedBy = gate?.gate === 'access' || gate?.gate === 'training' || gate?.gate === 'device-posture' ? gate.reason : null;
  return { ...state, appsHidden: appsHidden ?? closedBy ?? undefined, idleWarning, notice };
}
