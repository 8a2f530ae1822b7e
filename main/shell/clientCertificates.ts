// TLS client certificates. Without a 'select-client-certificate' handler that calls
// event.preventDefault(), Electron sends the first matching certificate from the OS
// store to any server that asks: hosted apps, the IdP, the collector, or a page's third
// party. Cordon sends one only where the policy names the server's origin and the
// issuer's common name; otherwise it calls back with no certificate, which Electron
// turns into ContinueWithCertificate(nullptr) (shell/browser/api/electron_api_app.cc,
// v45). Both outcomes are audited by origin. The event's `url` is in fact the server's
// host:port in Electron 45 (cert_request_info->host_and_port), so both forms are read.
import type { App, Certificate } from 'electron';
import type { AuditSink } from '../../common/audit/auditSink';
import { parseUrl } from '../../common/net/origin';
import type { Policy } from '../../common/policy/policySchema';

type Rules = Policy['clientCertificates']['allow'];

/** The https origin of what Electron passes as `url`: a URL, or host:port. */
export function requestingOrigin(url: string): string | null {
  const parsed = parseUrl(url);
  if (parsed !== null && parsed.protocol === 'https:') return parsed.origin;
  const hostPort = parseUrl(`https://${url}`);
  return hostPort !== null && hostPort.pathname === '/' && hostPort.search === '' && hostPort.username === '' ? hostPort.origin : null;
}

/** The certificate the policy allows for this origin, or null (send none). */
export function chooseClientCertificate(rules: Rules, origin: string | null, offered: readonly Pick<Certificate, 'issuer'>[]): number | null {
  if (origin === null) return null;
  const issuers = rules.filter((rule) => rule.origin === origin).map((rule) => rule.issuerCommonName);
  if (issuers.length === 0) return null;
  const index = offered.findIndex((certificate) => issuers.includes(certificate.issuer.commonName));
  return index === -1 ? null : index;
}

export function handleClientCertificates(app: Pick<App, 'on'>, rules: () => Rules, audit: AuditSink): void {
  app.on('select-client-certificate', (event, _contents, url, certificates, callback) => {
    // Without this Electron picks the first certificate itself.
    event.preventDefault();
    const origin = requestingOrigin(url);
    const index = chooseClientCertificate(rules(), origin, certificates);
    const chosen = index === null ? undefined : certificates[index];
    audit.record(
      chosen === undefined
        ? { type: 'client-certificate.refused', outcome: 'blocked', origin: origin ?? 'invalid-url', reason: certificates.length === 0 ? 'none-offered' : 'not-allowed-by-policy' }
        : { type: 'client-certificate.sent', outcome: 'success', origin: origin ?? 'invalid-url', reason: 'allowed-by-policy' },
    );
    callback(chosen);
  });
}
