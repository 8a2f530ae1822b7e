// What stands between a signed-in VA and the practice's apps, in a fixed order: whether
// access still stands, the agreements to accept, then training, then this computer's required checks. The first
// gate still closed is the one the VA sees; apps open only when none is. Pure, under the
// caller's clock, and closed whenever something is not known: an unreadable acceptance,
// posture not yet decided, training status that could not be confirmed.
import type { AppsHiddenReason } from '../capture/captureProtection';
import type { AgreementPolicy } from '../policy/policySchema';
import { agreementStanding, type AcceptanceRecord, type OutstandingWhy } from './agreementStanding';

/** An agreement's text as main has it: ready to show, being fetched, or not to be had (with the sentence why). */
export type AgreementContent = { state: 'ready'; text: string } | { state: 'loading' } | { state: 'unavailable'; problem: string };

/** An agreement of the policy with its text's SHA-256 (computed for inline text, the policy's for a URL). */
export type AgreementDocument = Pick<AgreementPolicy, 'id' | 'title' | 'version' | 'reaccept'> & { sha256: string; content: AgreementContent };

/**
 * Training (common/gates/trainingAssessment.ts decides it): `not-configured` unless the policy
 * requires courses; `checking` while the first answer of the collector is awaited and
 * `unknown` when none could be had keep apps closed, like an overdue course (`closed`).
 */
export type TrainingInput = { state: 'not-configured' } | { state: 'clear' } | { state: 'closed'; reason: AppsHiddenReason } | { state: 'checking' } | { state: 'unknown' };

/** The device posture decision: `unknown` when there is none to go by. */
export type PostureInput = { state: 'clear' } | { state: 'closed'; reason: AppsHiddenReason } | { state: 'unknown' };

/**
 * The VA's access (common/gates/accessDecision.ts decides it): `checking` until the sign-in's
 * question to the collector is answered or fails, `closed` while it cannot be confirmed,
 * `ended` while the VA is being signed out.
 */
export type AccessInput = { state: 'clear' } | { state: 'checking' } | { state: 'closed' | 'ended'; reason: AppsHiddenReason };

export interface GateInput {
  signedIn: boolean;
  /** Clear when absent (no collector key to check answers with). */
  access?: AccessInput;
  /** The policy's agreements, in the policy's order. */
  agreements: readonly AgreementDocument[];
  /** This VA's latest acceptance per document id; a missing id was never accepted here. */
  acceptances: ReadonlyMap<string, AcceptanceRecord>;
  training?: TrainingInput;
  posture: PostureInput;
  now: number;
}

export type GateOutcome =
  | { gate: 'sign-in' }
  | { gate: 'access'; reason: AppsHiddenReason }
  | { gate: 'agreement'; document: AgreementDocument; why: OutstandingWhy; /** Outstanding documents after this one. */ remaining: number }
  | { gate: 'training'; reason: AppsHiddenReason }
  | { gate: 'device-posture'; reason: AppsHiddenReason }
  | { gate: 'open' };

export const TRAINING_UNKNOWN: AppsHiddenReason = {
  code: 'training-unknown',
  message: 'Cordon could not confirm your training with the practice, so practice apps stay closed. Cordon keeps trying; if this stays, tell IT.',
};

export const TRAINING_CHECKING: AppsHiddenReason = {
  code: 'training-checking',
  message: 'Cordon is checking your training with the practice; practice apps open when it has.',
};

export const ACCESS_CHECKING: AppsHiddenReason = {
  code: 'access-checking',
  message: 'Cordon is confirming your access with the practice; practice apps open when it has.',
};

export const POSTURE_UNKNOWN: AppsHiddenReason = {
  code: 'device-posture-unknown',
  message: "Cordon has not been able to check this computer's security settings, so practice apps stay closed. If this stays, tell IT.",
};

export function firstOutstandingGate(input: GateInput): GateOutcome {
  if (!input.signedIn) return { gate: 'sign-in' };
  if (input.access?.state === 'ended' || input.access?.state === 'closed') return { gate: 'access', reason: input.access.reason };
  if (input.access?.state === 'checking') return { gate: 'access', reason: ACCESS_CHECKING };
  const outstanding = input.agreements.flatMap((document) => {
    const standing = agreementStanding(document, input.acceptances.get(document.id), input.now);
    return standing.state === 'outstanding' ? [{ document, why: standing.why }] : [];
  });
  const [first] = outstanding;
  if (first !== undefined) return { gate: 'agreement', ...first, remaining: outstanding.length - 1 };
  const training = input.training ?? { state: 'not-configured' };
  if (training.state === 'closed') return { gate: 'training', reason: training.reason };
  if (training.state === 'unknown') return { gate: 'training', reason: TRAINING_UNKNOWN };
  if (training.state === 'checking') return { gate: 'training', reason: TRAINING_CHECKING };
  if (input.posture.state === 'closed') return { gate: 'device-posture', reason: input.posture.reason };
  if (input.posture.state === 'unknown') return { gate: 'device-posture', reason: POSTURE_UNKNOWN };
  return { gate: 'open' };
}
