// A certificate error blocks the page, always: Cordon never lets anyone click through,
// and the refusal is audited (origin only).
import type { App } from 'electron';
import { auditableOrigin, type AuditSink } from '../../common/audit/auditSink';

export function refuseCertificateErrors(app: Pick<App, 'on'>, audit: AuditSink): void {
  app.on('certificate-error', (_event, _contents, url, error, _certificate, callback) => {
    audit.record({ type: 'request.blocked', outcome: 'blocked', origin: auditableOrigin(url), reason: `certificate: ${error}` });
    // Not calling event.preventDefault() keeps Chromium's rejection; say so explicitly too.
    callback(false);
  });
}
