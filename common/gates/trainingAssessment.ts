// The training gate for the signed-in VA, pure under the caller's clock: from the policy's
// courses and the last training status the collector confirmed (signed, checked by main),
// whether hosted apps may open, the sentence when they may not (which course, whom to
// ask), and the notice for a course due soon or in its grace period. A status older than
// the policy's offline allowance no longer counts: apps close until the collector answers.
import type { AppsHiddenReason } from '../capture/captureProtection';
import type { TrainingPolicy } from '../policy/policySchema';
import type { TrainingInput } from './gateOrder';
import { DAY_MS, dayInWords, trainingStandings, type CourseStanding, type TrainingCompletion } from './trainingStanding';

/** A status the collector signed for this VA and main verified. */
export interface ConfirmedTraining {
  /** When the collector answered, by its clock (epoch ms). */
  issuedAt: number;
  completions: readonly TrainingCompletion[];
}

/** What the device knows of the VA's training: the last confirmed status (if any), and whether it is asking now. */
export interface TrainingKnowledge {
  confirmed: ConfirmedTraining | null;
  asking: boolean;
}

/** A status counts for an hour as it is (the device asks again well before); past that only while the collector cannot be reached, for the policy's offline days. */
export const TRAINING_STATUS_FRESH_MS = 3_600_000;
/** The collector's clock may be this far ahead of the device's. */
export const TRAINING_CLOCK_SKEW_MS = 5 * 60_000;

/** What the VA is told (and the trail records) about a course due soon or in its grace period. */
export interface TrainingNotice {
  courseId: string;
  kind: 'due-soon' | 'overdue';
  text: string;
}

export interface TrainingAssessment {
  input: TrainingInput;
  /** Each course of the policy; empty when nothing could be judged. */
  standings: CourseStanding[];
  notice: TrainingNotice | null;
}

/** Until when a confirmed status counts. */
export function confirmedUntil(policy: Pick<TrainingPolicy, 'offlineDays'>, status: ConfirmedTraining): number {
  return status.issuedAt + TRAINING_STATUS_FRESH_MS + policy.offlineDays * DAY_MS;
}

function closedSentence(first: CourseStanding, others: number, contact: string): string {
  const what =
    first.dueAt === null ? `There is no record that you completed the training "${first.course.title}", so practice apps stay closed.` : `Your training "${first.course.title}" was due on ${dayInWords(first.dueAt)} and is overdue, so practice apps stay closed.`;
  const more = others === 0 ? '' : ` ${others === 1 ? 'One more course is' : `${others} more courses are`} overdue too.`;
  return `${what}${more} Ask ${contact} about it: apps open again once your completion is recorded.`;
}

function noticeFor(standing: CourseStanding, contact: string): TrainingNotice | null {
  const { course, dueAt, closesAt } = standing;
  if (dueAt === null || closesAt === null) return null;
  if (standing.state === 'due-soon') return { courseId: course.id, kind: 'due-soon', text: `Your training "${course.title}" is due on ${dayInWords(dueAt)}. Ask ${contact} if you need it.` };
  if (standing.state === 'overdue') return { courseId: course.id, kind: 'overdue', text: `Your training "${course.title}" was due on ${dayInWords(dueAt)}. Practice apps close on ${dayInWords(closesAt)} unless your completion is recorded; ask ${contact}.` };
  return null;
}

export function assessTraining(policy: TrainingPolicy | undefined, knowledge: TrainingKnowledge, now: number): TrainingAssessment {
  if (policy === undefined) return { input: { state: 'not-configured' }, standings: [], notice: null };
  const { confirmed, asking } = knowledge;
  // A status from the collector's future cannot be believed any more than a missing one.
  const believable = confirmed !== null && confirmed.issuedAt <= now + TRAINING_CLOCK_SKEW_MS;
  if (!believable) return { input: { state: asking ? 'checking' : 'unknown' }, standings: [], notice: null };
  if (now >= confirmedUntil(policy, confirmed)) {
    if (asking) return { input: { state: 'checking' }, standings: [], notice: null };
    const reason: AppsHiddenReason = {
      code: 'training-unconfirmed',
      message: `Cordon last confirmed your training with the practice on ${dayInWords(confirmed.issuedAt)} and cannot reach the practice's collector now, so practice apps stay closed. Check this computer's internet connection; if this stays, tell IT.`,
    };
    return { input: { state: 'closed', reason }, standings: [], notice: null };
  }
  const standings = trainingStandings(policy, confirmed.completions, now);
  const closed = standings.filter((s) => s.state === 'closed');
  const [first] = closed;
  if (first !== undefined) return { input: { state: 'closed', reason: { code: 'training-overdue', message: closedSentence(first, closed.length - 1, policy.contact) } }, standings, notice: null };
  // The most pressing course speaks: the earliest to close.
  const pressing = standings.filter((s) => s.state === 'overdue' || s.state === 'due-soon').sort((a, b) => (a.dueAt ?? 0) - (b.dueAt ?? 0))[0];
  return { input: { state: 'clear' }, standings, notice: pressing === undefined ? null : noticeFor(pressing, policy.contact) };
}
