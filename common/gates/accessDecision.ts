// Whether this device and its VA may still reach the practice, pure under the caller's
// clock: from the latest access standings the collector signed (checked by main), ended or
// not, and the sentence the VA reads when it has. A VA's access end date is judged by the
// device's own clock too, so it takes effect on time even when the collector cannot be
// reached. Nothing known means nothing ended: sign-in at the practice's IdP is the
// gate for that (a revoked VA should also be disabled there).
import type { AccessEndReason, AccessStanding } from '../audit/accessProtocol';
import { dayInWords } from './trainingStanding';

/** The last standings main believed: the device's, and the signed-in VA's (null when none is known). */
export interface KnownAccess {
  device: AccessStanding | null;
  user: AccessStanding | null;
}

export type AccessVerdict =
  | { state: 'open'; /** The VA's access end date, if IT set one (epoch ms). */ endsAt: number | null }
  | { state: 'ended'; scope: 'device' | 'user'; reason: AccessEndReason; /** Epoch ms. */ since: number; message: string };

/** The sentence for an ended access: what happened, that nothing recorded was lost, whom to ask. */
export function accessEndedMessage(scope: 'device' | 'user', reason: AccessEndReason, since: number): string {
  const when = dayInWords(since);
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
