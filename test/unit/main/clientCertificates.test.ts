// Client certificates: none unless the policy names the origin and the issuer.
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { handleClientCertificates, requestingOrigin } from '../../../main/shell/clientCertificates';
import { fakeEvent, RecordingAuditSink } from '../../support/electronFakes';

const cert = (issuer: string) => ({ issuer: { commonName: issuer }, issuerName: issuer, data: `PEM of ${issuer}` });
const RULES = [{ origin: 'https://ehr.example.com', issuerCommonName: 'Practice Device CA' }];

function ask(rules: typeof RULES, url: string, offered: ReturnType<typeof cert>[]) {
  const app = new EventEmitter();
  const audit = new RecordingAuditSink();
  handleClientCertificates(app as never, () => rules, audit);
  const event = fakeEvent({});
  const answers: unknown[] = [];
  app.emit('select-client-certificate', event, null, url, offered, (...args: unknown[]) => answers.push(args));
  return { event, answers, audit };
}

describe('select-client-certificate', () => {
  it('sends nothing by default, stops Electron picking the first certificate, and audits the origin', () => {
    const { event, answers, audit } = ask([], 'ehr.example.com:443', [cert('Personal CA'), cert('Practice Device CA')]);
    expect(event.defaultPrevented).toBe(true);
    expect(answers).toEqual([[undefined]]);
    expect(audit.events).toEqual([{ type: 'client-certificate.refused', outcome: 'blocked', origin: 'https://ehr.example.com', reason: 'not-allowed-by-policy' }]);
  });

  it('sends the certificate from the issuer the policy names, only to that origin', () => {
    const allowed = ask(RULES, 'ehr.example.com:443', [cert('Personal CA'), cert('Practice Device CA')]);
    expect(allowed.answers).toEqual([[cert('Practice Device CA')]]);
    expect(allowed.audit.events).toEqual([{ type: 'client-certificate.sent', outcome: 'success', origin: 'https://ehr.example.com', reason: 'allowed-by-policy' }]);
    const elsewhere = ask(RULES, 'ads.example.net:443', [cert('Practice Device CA')]);
    expect(elsewhere.answers).toEqual([[undefined]]);
    const otherPort = ask(RULES, 'ehr.example.com:8443', [cert('Practice Device CA')]);
    expect(otherPort.answers).toEqual([[undefined]]);
  });

  it('reads a URL or host:port, never keeps a path', () => {
    expect(requestingOrigin('https://ehr.example.com/chart/SYN-1?x=1')).toBe('https://ehr.example.com');
    expect(requestingOrigin('ehr.example.com:443')).toBe('https://ehr.example.com');
    expect(requestingOrigin('ehr.example.com:8443')).toBe('https://ehr.example.com:8443');
    expect(requestingOrigin('not a host')).toBeNull();
  });
});
