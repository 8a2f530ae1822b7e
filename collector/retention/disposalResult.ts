// What one disposal run did, as stored for the console (the schedule row's last result) and
// said on a terminal or in the collector's log: counts and sequence ranges, never content.
import { z } from 'zod';

const range = { from: z.number().int().positive(), to: z.number().int().positive(), count: z.number().int().nonnegative(), recordSeq: z.number().int().positive().nullable() };

export const DISPOSAL_PARTS = ['events', 'alerts', 'reviews', 'access-log'] as const;

export const disposalRunResultSchema = z
  .object({
    startedAt: z.iso.datetime(),
    finishedAt: z.iso.datetime(),
    by: z.string(),
    /** A dry run says what a run would dispose and changes nothing (its record numbers are null). */
    dryRun: z.boolean(),
    /** Why the run did nothing at all (another run holds the turn); null when it ran. */
    skipped: z.string().nullable(),
    events: z.array(z.object({ deviceId: z.string(), ...range }).strict()),
    accessLog: z.object(range).strict().nullable(),
    alerts: z.object({ count: z.number().int().positive(), recordSeq: z.number().int().positive().nullable() }).strict().nullable(),
    reviews: z.object({ removed: z.number().int().nonnegative(), cleared: z.number().int().nonnegative(), recordSeq: z.number().int().positive().nullable() }).strict().nullable(),
    /** What is past its period but kept because a legal hold covers it. */
    blocked: z.array(z.object({ what: z.enum(DISPOSAL_PARTS), deviceId: z.string().nullable(), holdIds: z.array(z.number().int().positive()), detail: z.string() }).strict()),
    /** How the deleted rows were removed from the database files; null when nothing was deleted. */
    erased: z.string().nullable(),
    /** What failed part-way; what was disposed before it stands (each disposal is one transaction). */
    error: z.string().nullable(),
  })
  .strict();
export type DisposalRunResult = z.infer<typeof disposalRunResultSchema>;
export type BlockedDisposal = DisposalRunResult['blocked'][number];

/** A run's result before it has done anything. */
export function newRunResult(by: string, now: number, dryRun: boolean): DisposalRunResult {
  const at = new Date(now).toISOString();
  return { startedAt: at, finishedAt: at, by, dryRun, skipped: null, events: [], accessLog: null, alerts: null, reviews: null, blocked: [], erased: null, error: null };
}

/** The stored result, or null when there is none or it is not one (the console then shows no last run). */
export function parseRunResult(text: string | null): DisposalRunResult | null {
  if (text === null) return null;
  try {
    const parsed = disposalRunResultSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

const plural = (count: number, one: string, many = `${one}s`) => `${count} ${count === 1 ? one : many}`;

/** One line per thing done or kept, for a terminal and the collector's log. */
export function describeDisposalRun(result: DisposalRunResult): string[] {
  if (result.skipped !== null) return [`disposal skipped: ${result.skipped}`];
  const verb = result.dryRun ? 'would dispose of' : 'disposed of';
  const record = (seq: number | null) => (seq === null ? '' : ` (disposal record ${seq})`);
  const lines = [
    ...result.events.map((e) => `${verb} ${plural(e.count, 'event')} ${e.from}..${e.to} of device ${e.deviceId}${record(e.recordSeq)}`),
    ...(result.accessLog === null ? [] : [`${verb} ${plural(result.accessLog.count, 'access log entry', 'access log entries')} ${result.accessLog.from}..${result.accessLog.to}${record(result.accessLog.recordSeq)}`]),
    ...(result.alerts === null ? [] : [`${verb} ${plural(result.alerts.count, 'handled alert')}${record(result.alerts.recordSeq)}`]),
    ...(result.reviews === null
      ? []
      : [`${verb} ${plural(result.reviews.removed + result.reviews.cleared, 'review')} past their period (${result.reviews.removed} with their session, whose events were disposed before; ${result.reviews.cleared} cleared from sessions still kept)${record(result.reviews.recordSeq)}`]),
    ...result.blocked.map((b) => `kept under legal hold ${b.holdIds.map((id) => `#${id}`).join(', ')}: ${b.detail}`),
  ];
  if (lines.length === 0) lines.push(result.dryRun ? 'nothing is past its retention period' : 'nothing was past its retention period');
  if (result.erased !== null) lines.push(result.erased);
  if (result.error !== null) lines.push(`disposal stopped: ${result.error}`);
  return lines;
}
