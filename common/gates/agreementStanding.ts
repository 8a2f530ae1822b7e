// Whether a VA's last acceptance of an agreement still stands, under the caller's clock:
// the same version and text, and (for yearly documents) less than a year ago. Anything
// that cannot be believed (no record, an unreadable one, one dated in the future) leaves
// the document outstanding: the VA reads and accepts it again.
import type { AgreementPolicy } from '../policy/policySchema';

/** What the device keeps of a VA's latest acceptance of one document. */
export interface AgreementAcceptance {
  version: string;
  /** SHA-256 (hex) of the text as the VA saw it. */
  sha256: string;
  /** Epoch milliseconds. */
  acceptedAt: number;
}

/** A record that exists but cannot be read or trusted (damaged, from the future, storage failing). */
export const UNREADABLE = 'unreadable';
export type AcceptanceRecord = AgreementAcceptance | typeof UNREADABLE;

/** Why a document must be accepted (again). */
export const OUTSTANDING_WHY = ['never-accepted', 'new-version', 'text-changed', 'period-ended', 'unreadable'] as const;
export type OutstandingWhy = (typeof OUTSTANDING_WHY)[number];

export type AgreementStanding = { state: 'current'; renewBy: number | null } | { state: 'outstanding'; why: OutstandingWhy };

/** The clock may be a little behind the one that recorded the acceptance (a sync of the system clock). */
export const ACCEPTANCE_CLOCK_SKEW_MS = 5 * 60 * 1000;

/** The same date one year later, in UTC (29 February gives 1 March). */
export function oneYearAfter(time: number): number {
  const date = new Date(time);
  date.setUTCFullYear(date.getUTCFullYear() + 1);
  return date.getTime();
}

/** The document as the gate compares it: its version, its text's digest and the re-accept rule. */
export type ComparedDocument = Pick<AgreementPolicy, 'version' | 'reaccept'> & { sha256: string };

export function agreementStanding(document: ComparedDocument, record: AcceptanceRecord | undefined, now: number): AgreementStanding {
  if (record === undefined) return { state: 'outstanding', why: 'never-accepted' };
  if (record === UNREADABLE || !Number.isFinite(record.acceptedAt) || record.acceptedAt > now + ACCEPTANCE_CLOCK_SKEW_MS) return { state: 'outstanding', why: 'unreadable' };
  if (record.version !== document.version) return { state: 'outstanding', why: 'new-version' };
  if (record.sha256 !== document.sha256) return { state: 'outstanding', why: 'text-changed' };
  if (document.reaccept === 'new-version') return { state: 'current', renewBy: null };
  const renewBy = oneYearAfter(record.acceptedAt);
  return now < renewBy ? { state: 'current', renewBy } : { state: 'outstanding', why: 'period-ended' };
}
