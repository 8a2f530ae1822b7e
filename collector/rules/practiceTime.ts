// A moment as the practice's wall clock reads it (weekday, minute of the day, date) in
// an IANA time zone, and whether it falls in a working-hours schedule. Intl does the zone
// arithmetic, daylight saving included; one formatter per zone is kept.
import type { PracticeSchedule, Weekday, WeekSchedule } from './rulesSchema';

export interface LocalTime {
  weekday: Weekday;
  /** 0–1439. */
  minute: number;
  /** YYYY-MM-DD, the practice's date: the key of "a day" for day-long windows. */
  date: string;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let format = formatters.get(timeZone);
  if (format === undefined) {
    format = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', weekday: 'short', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' });
    formatters.set(timeZone, format);
  }
  return format;
}

export function localTime(at: number, timeZone: string): LocalTime {
  const parts = Object.fromEntries(formatter(timeZone).formatToParts(at).map((p) => [p.type, p.value]));
  return {
    weekday: String(parts.weekday).toLowerCase() as Weekday,
    minute: Number(parts.hour) * 60 + Number(parts.minute),
    date: `${parts.year}-${parts.month}-${parts.day}`,
  };
}

/** The practice's date as epoch milliseconds of that date at 00:00 UTC: a day-window key. */
export function dayKey(at: number, timeZone: string): number {
  return Date.parse(`${localTime(at, timeZone).date}T00:00:00Z`);
}

function within(week: WeekSchedule, at: LocalTime): boolean {
  return (week[at.weekday] ?? []).some(({ from, to }) => at.minute >= from && at.minute < to);
}

/** Whether `subject` works at `at`: their own schedule if the file gives one, else the practice's. */
export function inWorkingHours(practice: PracticeSchedule, subject: string, at: number): boolean {
  const own = practice.users[subject];
  const week = own?.workingHours ?? practice.workingHours;
  if (week === undefined) return true;
  return within(week, localTime(at, own?.timezone ?? practice.timezone));
}
