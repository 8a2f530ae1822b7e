// Times as the viewer reads them: in their own timezone, always with the UTC offset, so a
// supervisor in Chicago and an auditor in New York quoting the same event agree on it.
// 24-hour clock: an audit trail has no room for a misread a.m./p.m.

const timeOnly = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23', timeZoneName: 'shortOffset' });
const dayOnly = new Intl.DateTimeFormat(undefined, { weekday: 'short', year: 'numeric', month: 'short', day: 'numeric' });
const dateOnly = new Intl.DateTimeFormat(undefined, { weekday: 'short', year: 'numeric', month: 'short', day: 'numeric', timeZone: 'UTC' });
const dayAndTime = new Intl.DateTimeFormat(undefined, { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZoneName: 'shortOffset' });

/** "09:02:14 GMT-6" */
export const formatTime = (iso: string) => timeOnly.format(new Date(iso));
/** "Mon, Mar 1, 2027" */
export const formatDay = (iso: string) => dayOnly.format(new Date(iso));
/** "Mon, Mar 1, 2027" for a date given as its 00:00 UTC (a calendar date, not an instant: no timezone moves it). */
export const formatDate = (iso: string) => dateOnly.format(new Date(iso));
/** "Mar 1, 2027, 09:02 GMT-6" */
export const formatDayTime = (iso: string) => dayAndTime.format(new Date(iso));

/** "2027-03-01T09:02" for a datetime-local input, in the viewer's timezone. */
export function toLocalInput(iso: string | null): string {
  if (iso === null) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** A datetime-local value (the viewer's wall clock) as an ISO instant, or undefined when empty. */
export function fromLocalInput(value: string): string | undefined {
  if (value === '') return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

/** "2 h 5 min", "40 s": how long something lasted or was late. */
export function formatDuration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return rest === 0 ? `${hours} h` : `${hours} h ${rest} min`;
}

export const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
