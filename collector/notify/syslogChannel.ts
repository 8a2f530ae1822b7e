// Syslog to a SIEM: one RFC 5424 message per alert over TLS (RFC 5425: octet-counted
// frames), facility 13 (log audit), the alert's fields as structured data. The receiver's
// certificate is checked against the configured CA; a client certificate is offered when
// configured (mutual TLS).
import { hostname } from 'node:os';
import { isIP } from 'node:net';
import { connect } from 'node:tls';
import type { AlertSeverity } from '../alerts';
import type { Channel } from './notifier';
import { headline, notificationFields, type AlertNotification } from './notification';

export interface SyslogSettings {
  host: string;
  port: number;
  ca: string;
  cert?: string;
  key?: string;
  appName: string;
  minSeverity: AlertSeverity;
}

const FACILITY_LOG_AUDIT = 13;
const SYSLOG_SEVERITY: Record<AlertSeverity, number> = { critical: 2, high: 3, medium: 4, low: 5 };
/** RFC 5612's enterprise number for documentation: a practice's SIEM matches on the SD-ID. */
export const SYSLOG_SD_ID = 'cordon@32473';
const TIMEOUT_MS = 10_000;

/** RFC 5424 §6.3.3: inside a PARAM-VALUE, '"', '\' and ']' are escaped. */
const sdValue = (value: string) => value.replace(/["\\\]]/g, (c) => `\\${c}`);
/** HOSTNAME, APP-NAME: printable US-ASCII, '-' when empty. */
const header = (value: string, max: number) => value.replace(/[^!-~]/g, '').slice(0, max) || '-';

export function syslogMessage(n: AlertNotification, appName: string, now: Date): string {
  const pri = FACILITY_LOG_AUDIT * 8 + SYSLOG_SEVERITY[n.severity];
  const data = notificationFields(n)
    .filter(([name]) => name !== 'detail')
    .map(([name, value]) => `${name}="${sdValue(value)}"`)
    .join(' ');
  return `<${pri}>1 ${now.toISOString()} ${header(hostname(), 255)} ${header(appName, 48)} ${process.pid} alert [${SYSLOG_SD_ID} ${data}] ${headline(n)}: ${n.detail}`;
}

export function syslogChannel(settings: SyslogSettings): Channel {
  return {
    name: 'syslog',
    minSeverity: settings.minSeverity,
    deliver: (notification) =>
      new Promise<void>((resolve, reject) => {
        const message = Buffer.from(syslogMessage(notification, settings.appName, new Date()), 'utf8');
        const socket = connect({
          host: settings.host,
          port: settings.port,
          ca: settings.ca,
          ...(settings.cert === undefined || settings.key === undefined ? {} : { cert: settings.cert, key: settings.key }),
          // SNI takes names only (RFC 6066); an address is still checked against the certificate.
          ...(isIP(settings.host) === 0 ? { servername: settings.host } : {}),
          timeout: TIMEOUT_MS,
        });
        let failed: Error | null = null;
        let sent = false;
        socket.once('secureConnect', () => socket.end(Buffer.concat([Buffer.from(`${message.length} `, 'ascii'), message]), () => (sent = true)));
        socket.once('timeout', () => socket.destroy(new Error(`the syslog receiver did not answer within ${TIMEOUT_MS / 1000} s`)));
        socket.once('error', (error) => (failed = new Error(`syslog ${settings.host}:${settings.port}: ${error.message}`)));
        socket.once('close', () => (failed === null && sent ? resolve() : reject(failed ?? new Error(`syslog ${settings.host}:${settings.port}: the connection closed before the message was sent`))));
      }),
  };
}
