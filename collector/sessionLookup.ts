// From a session code read off a photo of the screen (the watermark) to the session:
// which device, which user (IdP subject), from when to when, and what happened. Events
// carry the code in their canonical body, so the lookup needs no extra index.
import { auditEventBodySchema } from '../common/audit/syncProtocol';
import { readSessionCode } from '../common/console/sessionCode';
import type { CollectorStore } from './collectorStore';

export interface SessionSummary {
  deviceId: string;
  deviceName: string;
  subjects: string[];
  firstRecordedAt: string;
  lastRecordedAt: string;
  events: number;
  /** How many events of each type, e.g. sign-in, blocks, locks. */
  types: Record<string, number>;
}

/** Groups the matching events by device; bodies that do not name the code exactly are ignored. */
export function summarizeSession(code: string, rows: readonly { deviceId: string; deviceName: string; body: string }[]): SessionSummary[] {
  const byDevice = new Map<string, SessionSummary>();
  for (const row of rows) {
    const parsed = auditEventBodySchema.safeParse(JSON.parse(row.body));
    if (!parsed.success || parsed.data.session !== code) continue;
    const event = parsed.data;
    const summary = byDevice.get(row.deviceId) ?? { deviceId: row.deviceId, deviceName: row.deviceName, subjects: [], firstRecordedAt: event.recordedAt, lastRecordedAt: event.recordedAt, events: 0, types: {} };
    if (event.subject !== undefined && !summary.subjects.includes(event.subject)) summary.subjects.push(event.subject);
    if (event.recordedAt < summary.firstRecordedAt) summary.firstRecordedAt = event.recordedAt;
    if (event.recordedAt > summary.lastRecordedAt) summary.lastRecordedAt = event.recordedAt;
    summary.events += 1;
    summary.types[event.type] = (summary.types[event.type] ?? 0) + 1;
    byDevice.set(row.deviceId, summary);
  }
  return [...byDevice.values()];
}

export async function findSession(store: CollectorStore, code: string): Promise<SessionSummary[]> {
  // Checked before it goes near a query: only the code's own alphabet.
  const reading = readSessionCode(code);
  if (!reading.ok) throw new RangeError(`'${code}' is not a session code: ${reading.problem}`);
  return summarizeSession(reading.code, await store.sessionEvents(reading.code));
}
