// Where a VA stands on one course the policy requires, under the caller's clock: current,
// due soon (the VA is told), overdue within the grace period (told when apps will close),
// or closed (past the grace period, or no completion on record when the course is due at
// once). The device's training gate and the console's compliance page both ask here, so
// they cannot disagree. Days are UTC days; a completion's dates are calendar dates.
import type { TrainingCourse, TrainingPolicy } from '../policy/policySchema';

/** One completion as the compliance officer's CSV recorded it. */
export interface TrainingCompletion {
  course: string;
  /** YYYY-MM-DD. */
  completedOn: string;
  /** YYYY-MM-DD, when the certificate carries its own expiry; null otherwise. */
  expiresOn: string | null;
}

export const COURSE_STATES = ['current', 'due-soon', 'overdue', 'closed'] as const;
export type CourseState = (typeof COURSE_STATES)[number];

export interface CourseStanding {
  course: TrainingCourse;
  state: CourseState;
  /** The completion the standing rests on; null when none is on record. */
  completedOn: string | null;
  /** When the course falls (or fell) due; null when it never does, or was due at once for want of a record. */
  dueAt: number | null;
  /** When hosted apps close for it (dueAt plus the grace period); null when dueAt is. */
  closesAt: number | null;
}

export const DAY_MS = 86_400_000;

/** UTC midnight at the start of a YYYY-MM-DD date. */
export function dayStart(date: string): number {
  return Date.parse(`${date}T00:00:00Z`);
}

/** The same day `months` later in UTC; a day the month lacks runs into the next (31 January + 1 month is 3 March). */
export function monthsAfter(time: number, months: number): number {
  const date = new Date(time);
  date.setUTCMonth(date.getUTCMonth() + months);
  return date.getTime();
}

/** When a completion stops counting: its renewal period or its own expiry, whichever comes first; null for good. */
export function completionDueAt(course: Pick<TrainingCourse, 'everyMonths'>, completion: Pick<TrainingCompletion, 'completedOn' | 'expiresOn'>): number | null {
  const ends = [
    ...(course.everyMonths === undefined ? [] : [monthsAfter(dayStart(completion.completedOn), course.everyMonths)]),
    ...(completion.expiresOn === null ? [] : [dayStart(completion.expiresOn)]),
  ];
  return ends.length === 0 ? null : Math.min(...ends);
}

/** The latest completion of each course (by completion date, then expiry), keyed by course id. */
export function latestCompletions(completions: readonly TrainingCompletion[]): Map<string, TrainingCompletion> {
  const latest = new Map<string, TrainingCompletion>();
  for (const completion of completions) {
    const kept = latest.get(completion.course);
    const later = kept === undefined || completion.completedOn > kept.completedOn || (completion.completedOn === kept.completedOn && (completion.expiresOn ?? '9999') > (kept.expiresOn ?? '9999'));
    if (later) latest.set(completion.course, completion);
  }
  return latest;
}

export function courseStanding(course: TrainingCourse, completion: TrainingCompletion | undefined, settings: Pick<TrainingPolicy, 'dueSoonDays' | 'graceDays'>, now: number): CourseStanding {
  const completedOn = completion?.completedOn ?? null;
  const dueAt = completion === undefined ? (course.dueBy === undefined ? null : dayStart(course.dueBy)) : completionDueAt(course, completion);
  // No record and no date to have one by: due at once, with no grace to count from.
  if (completion === undefined && dueAt === null) return { course, state: 'closed', completedOn, dueAt: null, closesAt: null };
  if (dueAt === null) return { course, state: 'current', completedOn, dueAt: null, closesAt: null };
  const closesAt = dueAt + settings.graceDays * DAY_MS;
  const state: CourseState = now < dueAt - settings.dueSoonDays * DAY_MS ? 'current' : now < dueAt ? 'due-soon' : now < closesAt ? 'overdue' : 'closed';
  return { course, state, completedOn, dueAt, closesAt };
}

/** Every course of the policy, in the policy's order, against these completions. */
export function trainingStandings(policy: Pick<TrainingPolicy, 'courses' | 'dueSoonDays' | 'graceDays'>, completions: readonly TrainingCompletion[], now: number): CourseStanding[] {
  const latest = latestCompletions(completions);
  return policy.courses.map((course) => courseStanding(course, latest.get(course.id), policy, now));
}

/** Month names as every sentence for the VA writes dates. */
export const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** "3 March 2027" (the UTC day), as sentences for the VA say a date. */
export function dayInWords(time: number): string {
  const date = new Date(time);
  return `${date.getUTCDate()} ${MONTHS[date.getUTCMonth()] ?? ''} ${date.getUTCFullYear()}`;
}
