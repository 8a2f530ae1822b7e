// One export, whoever asks (the console's compliance role, or the collector's command
// line): the events the console's filters select, as CSV, as a FHIR R4 Bundle, or as a
// verifiable evidence package, and a one-line summary for the access log. Never logs the
// events themselves.
import type { Kysely } from 'kysely';
import type { ExportFormat } from '../../common/console/consoleApi';
import type { CollectorKey } from '../console/accessLog';
import { describeFilters, type SessionFilters } from '../console/consoleStore';
import type { CollectorDatabase } from '../database';
import { csvRows, toCsv } from './csvExport';
import { buildEvidencePackage, type EvidenceFiles } from './evidencePackage';
import { selectExportEvents } from './exportSelection';
import { fhirBundle, type ExportActor } from './fhirExport';

export interface ExportRequest {
  format: ExportFormat;
  filters: SessionFilters;
  actor: ExportActor;
  now: number;
}

export type ExportOutput = { kind: 'file'; contentType: string; content: Uint8Array } | { kind: 'folder'; files: EvidenceFiles };

export type ExportResult =
  | { ok: true; /** File name without extension, or the folder's name. */ name: string; extension: string; output: ExportOutput; summary: string }
  | { ok: false; message: string; summary: string };

export interface ExportDependencies {
  db: Kysely<CollectorDatabase>;
  /** Signs evidence manifests: the key that signs the access log. */
  key: CollectorKey;
  /** The practice IdP that names users; null when the collector was not told it. */
  issuer: string | null;
}

const stamp = (now: number) => new Date(now).toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');

export async function exportEvents(deps: ExportDependencies, request: ExportRequest): Promise<ExportResult> {
  const filters = describeFilters(request.filters) ?? 'all sessions';
  const selected = await selectExportEvents(deps.db, request.filters);
  if (!selected.ok) return { ok: false, message: selected.message, summary: `${request.format} of ${filters}: refused, too large` };
  const { selection } = selected;
  const summary = `${request.format} of ${filters} (${selection.events.length} events in ${selection.sessions} sessions)`;
  const utf8 = (text: string) => new Uint8Array(Buffer.from(text, 'utf8'));
  if (request.format === 'csv') {
    return { ok: true, name: `cordon-audit-${stamp(request.now)}`, extension: 'csv', output: { kind: 'file', contentType: 'text/csv; charset=utf-8', content: utf8(toCsv(csvRows(selection))) }, summary };
  }
  if (request.format === 'fhir-collection' || request.format === 'fhir-transaction') {
    const kind = request.format === 'fhir-collection' ? 'collection' : 'transaction';
    const bundle = fhirBundle(selection, kind, { actor: request.actor, issuer: deps.issuer, filters, now: request.now });
    if (!bundle.ok) return { ok: false, message: bundle.message, summary: `${summary}: refused, an event is not valid` };
    return { ok: true, name: `cordon-audit-${kind}-${stamp(request.now)}`, extension: 'json', output: { kind: 'file', contentType: 'application/fhir+json', content: utf8(`${JSON.stringify(bundle.bundle, null, 2)}\n`) }, summary };
  }
  const built = await buildEvidencePackage(deps.db, selection, { key: deps.key, createdBy: request.actor.display, now: request.now });
  return { ok: true, name: `cordon-evidence-${stamp(request.now)}`, extension: 'zip', output: { kind: 'folder', files: built.files }, summary: `${summary}, manifest SHA-256 ${built.manifestSha256}, signed by collector key ${deps.key.keyId}` };
}
