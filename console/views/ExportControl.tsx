// Export for compliance officers: every event of the sessions the current filter shows
// (all pages) or of one session, as CSV, FHIR R4, or an evidence package an outside
// auditor verifies offline. A plain download link: the browser saves the file, and the
// collector records the export in the access log.
import { useId, useState } from 'react';
import { CONSOLE_ROUTES, EXPORT_FORMATS, mayCall, type ExportFormat, type RouteQuery } from '../../common/console/consoleApi';
import { downloadUrl } from '../api/consoleClient';

const FORMAT_LABELS: Record<ExportFormat, string> = {
  csv: 'CSV (spreadsheet)',
  'fhir-collection': 'FHIR R4 Bundle (collection)',
  'fhir-transaction': 'FHIR R4 Bundle (transaction, to load into a FHIR server)',
  evidence: 'Evidence package for an auditor (ZIP, verifiable offline)',
};

export function ExportControl({ roles, filter, what }: { roles: readonly string[]; filter: Omit<RouteQuery<'exportEvents'>, 'format'>; what: string }) {
  const [format, setFormat] = useState<ExportFormat>('csv');
  const id = useId();
  if (!mayCall(CONSOLE_ROUTES.exportEvents, roles)) return null;
  return (
    <section className="export" aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>Export</h2>
      <p className="muted">Exports every event of {what}. The export is recorded in the access log.</p>
      <label htmlFor={`${id}-format`}>Format</label>{' '}
      <select id={`${id}-format`} value={format} onChange={(event) => setFormat(event.target.value as ExportFormat)}>
        {EXPORT_FORMATS.map((f) => (
          <option key={f} value={f}>
            {FORMAT_LABELS[f]}
          </option>
        ))}
      </select>{' '}
      <a className="button" href={downloadUrl('exportEvents', { query: { ...filter, format } })} download>
        Download export
      </a>
    </section>
  );
}
