// What the shell renderer is told about Cordon's state. Until sign-in exists, a valid
// policy leads to the signed-out screen; a refused policy leads to the locked policy
// screen and nothing is hosted.
import type { ShellState } from '../../common/ipc/contract';
import type { PolicyResult } from '../../common/policy/signedPolicy';
import type { ProtectionStatus } from '../../common/posture/posture';

export function initialShellState(policy: PolicyResult, posture: ProtectionStatus[]): ShellState {
  if (!policy.ok) return { kind: 'policy-error', problem: policy.problem, posture };
  return { kind: 'signed-out', practiceName: policy.policy.practice.name, posture };
}
