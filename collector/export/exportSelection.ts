// What an export holds: every stored event of every session the console's sessions list
// shows for the same filters (ConsoleStore.matchingSessions runs the list's own query, all
// pages), in chain order per device, with the devices it came from. Bounded: a selection
// past EXPORT_MAX_EVENTS is refused with its size, so the person narrows the period
// rather than the collector running out of memory.
import type { Kysely } from 'kysely';
import type { z } from 'zod';
import { auditEventBodySchema } from '../../common/audit/syncProtocol';
import { ConsoleStore, type SessionFilters } from '../console/consoleStore';
import type { CollectorDatabase } from '../database';

export const EXPORT_MAX_EVENTS = 100_000;
/** Session codes per query: far below both engines' bound-parameter limits. */
const CODES_PER_QUERY = 500;

export interface ExportEvent {
  deviceId: string;
  seq: number;
  /** The canonical JSON the chain link covers, exactly as stored. */
  body: string;
  link: string;
  receivedAt: number;
  /** The body as an audit event; null when the stored copy is not one (changed in the database). */
  event: z.output<typeof auditEventBodySchema> | null;
}

export interface ExportDevice {
  deviceId: string;
  deviceName: string;
  publicKeyPem: string;
  /** The Cordon version the device last started with. */
  software: string | null;
}

export interface ExportSelection {
  filters: SessionFilters;
  sessions: number;
  devices: ExportDevice[];
  /** By device id, then sequence number. */
  events: ExportEvent[];
}

export type SelectionResult = { ok: true; selection: ExportSelection } | { ok: false; message: string };

function parseBody(body: string): ExportEvent['event'] {
  try {
    const parsed = auditEventBodySchema.safeParse(JSON.parse(body));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  return Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));
}

export async function selectExportEvents(db: Kysely<CollectorDatabase>, filters: SessionFilters): Promise<SelectionResult> {
  const store = new ConsoleStore(db);
  const sessions = await store.matchingSessions(filters);
  const codesByDevice = new Map<string, string[]>();
  for (const s of sessions) codesByDevice.set(s.deviceId, [...(codesByDevice.get(s.deviceId) ?? []), s.code]);
  const parts = [...codesByDevice].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).flatMap(([deviceId, codes]) => chunks(codes, CODES_PER_QUERY).map((c) => ({ deviceId, codes: c })));

  let total = 0;
  for (const part of parts) {
    const row = await db.selectFrom('events').select((eb) => eb.fn.countAll<number>().as('n')).where('device_id', '=', part.deviceId).where('session_code', 'in', part.codes).executeTakeFirstOrThrow();
    total += Number(row.n);
  }
  if (total > EXPORT_MAX_EVENTS) {
    return { ok: false, message: `These filters select ${total} events in ${sessions.length} sessions; one export holds at most ${EXPORT_MAX_EVENTS}. Export a shorter period, or one user or device at a time.` };
  }

  const events: ExportEvent[] = [];
  for (const part of parts) {
    const rows = await db.selectFrom('events').select(['seq', 'body', 'link', 'received_at']).where('device_id', '=', part.deviceId).where('session_code', 'in', part.codes).orderBy('seq').execute();
    for (const r of rows) events.push({ deviceId: part.deviceId, seq: r.seq, body: r.body, link: r.link, receivedAt: r.received_at, event: parseBody(r.body) });
  }
  // Chunks of one device's codes each come back in order; merged, they must be too.
  events.sort((a, b) => (a.deviceId < b.deviceId ? -1 : a.deviceId > b.deviceId ? 1 : a.seq - b.seq));

  const ids = [...codesByDevice.keys()];
  const known = new Map((await store.devices()).map((d) => [d.deviceId, d.softwareVersion]));
  const keys = ids.length === 0 ? [] : await db.selectFrom('devices').select(['device_id', 'device_name', 'public_key_pem']).where('device_id', 'in', ids).orderBy('device_id').execute();
  const devices = keys.map((d) => ({ deviceId: d.device_id, deviceName: d.device_name, publicKeyPem: d.public_key_pem, software: known.get(d.device_id) ?? null }));
  return { ok: true, selection: { filters, sessions: sessions.length, devices, events } };
}
