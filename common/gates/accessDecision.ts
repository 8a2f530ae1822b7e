// Whether this device and its VA may still reach the practice, pure under the caller's
// clock: from the latest access standings the collector signed (checked by main), ended or
// not, and the sentence the VA reads when it has. A VA's access end date is judged by the
// device's own clock too, so it takes effect on time even when the collector cannot be
// reached. A signed-in VA's apps open only on a confirmation: this sign-in's answer, or,
// while the collector cannot be reached, one from the policy's offline days; a collector
// that refuses the question (a device not enrolled, a clock too far off) confirms nothing.
import type { AccessEndReason, AccessStanding } from '../audit/accessProtocol';
import { REQUEST_CLOCK_SKEW_MS } from '../audit/syncProtocol';
import type { AppsHiddenReason } from '../capture/captureProtection';
import type { AccessInput } from './gateOrder';
import { DAY_MS, MONTHS } from './trainingStanding';

/** The last standings main believed: the device's, and the signed-in VA's (null when none is known). */
export interface KnownAccess {
  device: AccessStanding | null;
  user: AccessStanding | null;
}

export type AccessVerdict =
  | { state: 'open'; /** The VA's access end date, if IT set one (epoch ms). */ endsAt: number | null }
  | { state: 'ended'; scope: 'device' | 'user'; reason: AccessEndReason; /** Epoch ms. */ since: number; message: string };

/** A day in words by the device's own calendar (an end date of 30 June is read as 30 June wherever the VA is). */
function localDayInWords(ms: number): string {
  const date = new Date(ms);
  return `${date.getDate()} ${MONTHS[date.getMonth()] ?? ''} ${date.getFullYear()}`;
}

/** The sentence for an ended access: what happened, that nothing recorded was lost, whom to ask. */
export function accessEndedMessage(scope: 'device' | 'user', reason: AccessEndReason, since: number): string {
  const when = localDayInWords(since);
  if (scope === 'device') {
    return `The practice's IT ended this computer's access to the practice on ${when}. Cordon delivered what it had recorded here, signed you out and cleared the practice's apps from this computer. If you think this is a mistake, ask the practice's IT; they can reinstate this computer.`;
  }
  if (reason === 'access-ended') {
    return `Your access to the practice's systems ended on ${when}, the end date the practice set. Cordon delivered what it had recorded, signed you out and cleared the practice's apps. If your work for the practice continues, ask its IT to extend your access.`;
  }
  return `The practice ended your access to its systems on ${when}. Cordon delivered what it had recorded, signed you out and cleared the practice's apps. If you think this is a mistake, ask the practice's IT.`;
}

function ended(scope: 'device' | 'user', reason: AccessEndReason, since: number): AccessVerdict {
  return { state: 'ended', scope, reason, since, message: accessEndedMessage(scope, reason, since) };
}

/** The device's standing first: a revoked computer is closed to every VA. */
export function decideAccess(known: KnownAccess, now: number): AccessVerdict {
  const { device, user } = known;
  if (device?.state === 'revoked') return ended('device', device.reason, Date.parse(device.since));
  if (device?.state === 'active' && device.endsAt !== null && Date.parse(device.endsAt) <= now) return ended('device', 'access-ended', Date.parse(device.endsAt));
  if (user?.state === 'revoked') return ended('user', user.reason, Date.parse(user.since));
  const endsAt = user?.state === 'active' && user.endsAt !== null ? Date.parse(user.endsAt) : null;
  if (endsAt !== null && endsAt <= now) return ended('user', 'access-ended', endsAt);
  return { state: 'open', endsAt };
}

/** How the last question about the signed-in VA ended: believed, refused by the collector, not believed, or no reply. */
export type AccessOutcome = 'confirmed' | 'declined' | 'refused' | 'unreachable';

/** What the device knows of the signed-in VA's access. */
export interface VaAccessKnowledge {
  verdict: AccessVerdict;
  /** Whether a question asked at this sign-in has come back. */
  answered: boolean;
  /** The latest question's outcome; null before any came back. */
  lastOutcome: AccessOutcome | null;
  /** The collector's time on the latest believed statement about this VA, if any (epoch ms). */
  confirmedAt: number | null;
}

export const ACCESS_UNCONFIRMED: AppsHiddenReason = {
  code: 'access-unconfirmed',
  message: "Cordon could not confirm your access with the practice, so practice apps stay closed. If this computer's date or time is wrong, correct it; Cordon keeps trying. If this stays, tell IT.",
};

function accessUnknown(confirmedAt: number | null): AppsHiddenReason {
  const since = confirmedAt === null ? 'on this computer yet' : `since ${localDayInWords(confirmedAt)}`;
  return { code: 'access-unknown', message: `Cordon has not been able to confirm your access with the practice ${since}, so practice apps stay closed until it can reach the practice. If this stays, tell IT.` };
}

/** Whether a confirmation still counts while the collector cannot be reached: for the policy's offline days, and never from a clock behind it by more than the protocol's skew. */
export function withinOfflineDays(confirmedAt: number | null, offlineDays: number, now: number): boolean {
  return confirmedAt !== null && now >= confirmedAt - REQUEST_CLOCK_SKEW_MS && now - confirmedAt <= offlineDays * DAY_MS;
}

/**
 * The signed-in VA's access gate. A computer's ending shows at once (it is locked); a VA's
 * ending kept from an earlier sign-in waits for this sign-in's answer, which may say IT
 * reinstated them.
 */
export function vaAccessInput(known: VaAccessKnowledge, offlineDays: number, now: number): AccessInput {
  const { verdict } = known;
  if (verdict.state === 'ended' && (verdict.scope === 'device' || known.answered)) {
    return { state: 'ended', reason: { code: verdict.scope === 'device' ? 'access-revoked' : `access-${verdict.reason}`, message: verdict.message } };
  }
  if (!known.answered) return { state: 'checking' };
  if (known.lastOutcome === 'declined' || known.lastOutcome === 'refused') return { state: 'closed', reason: ACCESS_UNCONFIRMED };
  if (known.lastOutcome === 'unreachable' && !withinOfflineDays(known.confirmedAt, offlineDays, now)) return { state: 'closed', reason: accessUnknown(known.confirmedAt) };
  return { state: 'clear' };
}
