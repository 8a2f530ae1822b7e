// Syslog over TLS (RFC 5425) to Debian's rsyslog, started here with a TLS listener
// (imtcp + gtls) that writes each message it receives to a file this test reads: the
// alert arrives as an RFC 5424 message with its structured data, also when rsyslog
// starts only after the alert opened.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import type { AlertingConfig } from '../../../collector/collectorConfig';
import { describeOnEachStorage } from './collectorHarness';
import { freePort, missingBinary, useNotifyingCollector, useReceiverProcess } from './notifyHarness';

const RSYSLOGD = '/usr/sbin/rsyslogd';
const GTLS_DRIVER = '/usr/lib/x86_64-linux-gnu/rsyslog/lmnsd_gtls.so';
const missing = missingBinary(RSYSLOGD, ['-v'], 'rsyslog rsyslog-gnutls') ?? (existsSync(GTLS_DRIVER) ? null : `${GTLS_DRIVER} is missing: apt-get install rsyslog-gnutls (.ci/run installs it)`) ?? missingBinary('openssl', ['version'], 'openssl');
if (missing !== null) console.log(`SKIPPED notify-syslog (rsyslog over TLS): ${missing}`);

/** rsyslog in the foreground with only a TLS listener on 127.0.0.1:port and a file output. */
function rsyslogConfig(dir: string, port: number): string {
  return `global(workDirectory="${dir}" defaultNetstreamDriverCAFile="${dir}/cert.pem" defaultNetstreamDriverCertFile="${dir}/cert.pem" defaultNetstreamDriverKeyFile="${dir}/key.pem")
module(load="imtcp" streamDriver.name="gtls" streamDriver.mode="1" streamDriver.authMode="anon")
input(type="imtcp" port="${port}" address="127.0.0.1")
template(name="asReceived" type="string" string="%rawmsg%\\n")
action(type="omfile" file="${dir}/received.log" template="asReceived")
`;
}

describeOnEachStorage('notifications: syslog over TLS to rsyslog', (storage) => {
  if (missing !== null) {
    it.skip(`needs rsyslog with GnuTLS: ${missing}`, () => undefined);
    return;
  }
  const rsyslog = useReceiverProcess('rsyslogd');
  const { dir } = rsyslog;
  const channels: AlertingConfig['channels'] = {};
  let port = 0;
  beforeAll(async () => {
    port = await freePort();
    writeFileSync(path.join(dir, 'rsyslog.conf'), rsyslogConfig(dir, port));
    channels.syslog = { host: '127.0.0.1', port, ca: rsyslog.cert, appName: 'cordon-collector', minSeverity: 'high' };
  });
  const server = useNotifyingCollector(storage, channels);

  it('an alert raised while rsyslog is down arrives as RFC 5424 over TLS once it listens', async () => {
    const deviceId = await server.openAlert();
    await expect.poll(() => server.metric('cordon_collector_notifications_pending', 'syslog'), { timeout: 5_000 }).toBe(1);

    await rsyslog.start(RSYSLOGD, ['-n', '-f', path.join(dir, 'rsyslog.conf'), '-i', path.join(dir, 'rsyslogd.pid')], port);
    const log = path.join(dir, 'received.log');
    await expect.poll(() => (existsSync(log) ? readFileSync(log, 'utf8') : ''), { timeout: 10_000 }).toContain(deviceId);

    const [line] = readFileSync(log, 'utf8').trim().split('\n');
    // PRI 107 = facility 13 (log audit) * 8 + severity 3 (error) for a high alert.
    expect(line).toMatch(new RegExp(`^<107>1 \\S+Z \\S+ cordon-collector \\d+ alert \\[cordon@32473 alertId="\\d+" kind="watermark-tampering" severity="high" device="${deviceId}" subject="notify-va" detectedAt="\\S+"\\] Cordon high alert: watermark-tampering on device ${deviceId}: watermark tampering in app ehr for user:notify-va \\(removed\\)$`));
    await expect.poll(() => server.metric('cordon_collector_notifications_pending', 'syslog'), { timeout: 5_000 }).toBe(0);
    expect(await server.metric('cordon_collector_notifications_delivered_total', 'syslog')).toBe(1);
  });
});
