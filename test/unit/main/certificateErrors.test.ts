import { EventEmitter } from 'node:events';
import { expect, it } from 'vitest';
import { refuseCertificateErrors } from '../../../main/shell/certificateErrors';
import { fakeEvent, RecordingAuditSink } from '../../support/electronFakes';

it('refuses every certificate error, never overrides Chromium, and audits the origin only', () => {
  const app = new EventEmitter();
  const audit = new RecordingAuditSink();
  refuseCertificateErrors(app as never, audit);
  const event = fakeEvent({});
  let trusted: boolean | undefined;
  app.emit('certificate-error', event, {}, 'https://ehr.example.com/chart/SYN-0001', 'net::ERR_CERT_AUTHORITY_INVALID', {}, (ok: boolean) => (trusted = ok));
  expect(trusted).toBe(false);
  expect(event.defaultPrevented).toBe(false);
  expect(audit.events).toEqual([{ type: 'request.blocked', outcome: 'blocked', origin: 'https://ehr.example.com', reason: 'certificate: net::ERR_CERT_AUTHORITY_INVALID' }]);
});
