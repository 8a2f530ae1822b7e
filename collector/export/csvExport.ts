// The CSV export: one row per event with its device, sequence number, chain link, the
// exact body the link covers, its fields in columns, and a row hash. RFC 4180 quoting;
// safe to open in a spreadsheet: a cell that would start with = + - @ (or a tab or
// carriage return, or the escape quote itself) gets a leading ' so it is never read as a
// formula (a reader strips exactly one to get the value back).
import { createHash } from 'node:crypto';
import { canonicalJson } from '../../common/policy/canonicalJson';
import type { ExportSelection } from './exportSelection';

export const CSV_COLUMNS = ['device_id', 'device_name', 'seq', 'link', 'session', 'subject', 'type', 'outcome', 'recorded_at', 'received_at', 'app', 'origin', 'reason', 'body', 'row_hash'] as const;
export type CsvRow = Record<(typeof CSV_COLUMNS)[number], string>;

const FORMULA_START = /^[=+\-@\t\r']/;

export function spreadsheetSafe(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

/** SHA-256 (hex) of the canonical JSON of the row's other columns, as text: any edit of a row shows. */
export function rowHash(row: Omit<CsvRow, 'row_hash'>): string {
  return createHash('sha256').update(canonicalJson(row), 'utf8').digest('hex');
}

export function csvRows(selection: ExportSelection): CsvRow[] {
  const names = new Map(selection.devices.map((d) => [d.deviceId, d.deviceName]));
  return selection.events.map((e) => {
    const row = {
      device_id: e.deviceId,
      device_name: names.get(e.deviceId) ?? '',
      seq: String(e.seq),
      link: e.link,
      session: e.event?.session ?? '',
      subject: e.event?.subject ?? '',
      type: e.event?.type ?? '',
      outcome: e.event?.outcome ?? '',
      recorded_at: e.event?.recordedAt ?? '',
      received_at: new Date(e.receivedAt).toISOString(),
      app: e.event?.appId ?? '',
      origin: e.event?.origin ?? '',
      reason: e.event?.reason ?? '',
      body: e.body,
    };
    return { ...row, row_hash: rowHash(row) };
  });
}

const cell = (value: string) => `"${spreadsheetSafe(value).replaceAll('"', '""')}"`;

/** A header and rows as CSV: every cell quoted and formula-safe, UTF-8 with a byte-order mark (spreadsheets otherwise guess the encoding), CRLF lines. */
export function csvText(header: readonly string[], rows: readonly (readonly string[])[]): string {
  return `\uFEFF${[header, ...rows].map((cells) => cells.map(cell).join(',')).join('\r\n')}\r\n`;
}

export function toCsv(rows: readonly CsvRow[]): string {
  return csvText(CSV_COLUMNS, rows.map((row) => CSV_COLUMNS.map((c) => row[c])));
}
