// The access review's period as people choose it: whole days on the viewer's calendar
// (as every time in the console is the viewer's), first and last day included, with the
// usual presets. The collector is asked for exact instants: local midnight of the first
// day up to local midnight after the last.

/** Inclusive calendar dates, YYYY-MM-DD. */
export interface ReviewDays {
  from: string;
  to: string;
}

export const REVIEW_PRESETS = { 'last-month': 'Last month', 'last-quarter': 'Last quarter', 'this-month': 'This month so far' } as const;
export type ReviewPreset = keyof typeof REVIEW_PRESETS;

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

const pad = (n: number) => String(n).padStart(2, '0');
const dateText = (date: Date) => `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;

/** Local midnight of a YYYY-MM-DD date, or null when it is not a real date. */
function localMidnight(text: string): Date | null {
  const match = DATE.exec(text);
  if (match === null) return null;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(year, month - 1, day);
  return date.getFullYear() === year && date.getMonth() === month - 1 && date.getDate() === day ? date : null;
}

export function presetDays(preset: ReviewPreset, today: Date): ReviewDays {
  const year = today.getFullYear();
  const month = today.getMonth();
  if (preset === 'this-month') return { from: dateText(new Date(year, month, 1)), to: dateText(today) };
  if (preset === 'last-month') return { from: dateText(new Date(year, month - 1, 1)), to: dateText(new Date(year, month, 0)) };
  const quarterStart = month - (month % 3);
  return { from: dateText(new Date(year, quarterStart - 3, 1)), to: dateText(new Date(year, quarterStart, 0)) };
}

/** The days the address names, or null when they are missing, not dates, or the wrong way round. */
export function readDays(search: URLSearchParams): ReviewDays | null {
  const from = search.get('from') ?? '';
  const to = search.get('to') ?? '';
  const first = localMidnight(from);
  const last = localMidnight(to);
  return first !== null && last !== null && first <= last ? { from, to } : null;
}

/** [first day's midnight, the midnight after the last day), as the collector's query takes them. */
export function periodOf(days: ReviewDays): { from: string; to: string } {
  const first = localMidnight(days.from) as Date;
  const last = localMidnight(days.to) as Date;
  return { from: first.toISOString(), to: new Date(last.getFullYear(), last.getMonth(), last.getDate() + 1).toISOString() };
}
