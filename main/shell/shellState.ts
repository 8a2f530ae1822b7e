// What the shell renderer is told about Cordon's state: the locked policy screen, the
// locked screen (e.g. the audit queue failed), the sign-in screen, or the workspace for
// the signed-in person. Never tokens.
import type { Identity } from '../../common/auth/identity';
import type { ShellState } from '../../common/ipc/contract';
import type { PolicyResult } from '../../common/policy/signedPolicy';
import type { ProtectionStatus } from '../../common/posture/posture';

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
