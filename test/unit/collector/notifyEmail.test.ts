// Email through a real SMTP receiver on 127.0.0.1: Debian's aiosmtpd, started here with a
// certificate, which refuses any mail before STARTTLS and stores what it accepts in a
// Maildir this test reads. An alert raised while the receiver is down arrives once it is up.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import type { AlertingConfig } from '../../../collector/collectorConfig';
import { describeOnEachStorage } from './collectorHarness';
import { freePort, missingBinary, useNotifyingCollector, useReceiverProcess } from './notifyHarness';

// Debian's interpreter, where python3-aiosmtpd installs (not a pyenv or venv python on PATH).
const PYTHON = '/usr/bin/python3';
const missing = missingBinary(PYTHON, ['-c', 'import aiosmtpd'], 'python3-aiosmtpd') ?? missingBinary('openssl', ['version'], 'openssl');
if (missing !== null) console.log(`SKIPPED notify-email (SMTP with STARTTLS): ${missing}`);

describeOnEachStorage('notifications: email over SMTP with STARTTLS', (storage) => {
  if (missing !== null) {
    it.skip(`needs aiosmtpd: ${missing}`, () => undefined);
    return;
  }
  const smtpd = useReceiverProcess('aiosmtpd');
  const { dir } = smtpd;
  const channels: AlertingConfig['channels'] = {};
  let port = 0;
  beforeAll(async () => {
    port = await freePort();
    channels.email = { host: '127.0.0.1', port, from: 'cordon@practice.example', to: ['compliance@practice.example'], ca: smtpd.cert, minSeverity: 'high' };
  });
  const server = useNotifyingCollector(storage, channels);

  it('an alert raised while the SMTP receiver is down is mailed over STARTTLS once it is up', async () => {
    const deviceId = await server.openAlert();
    await expect.poll(() => server.metric('cordon_collector_notification_failures_total', 'email'), { timeout: 5_000 }).toBeGreaterThanOrEqual(1);
    expect(await server.metric('cordon_collector_notifications_pending', 'email')).toBe(1);

    // --tlscert without --no-requiretls: no MAIL FROM is accepted before STARTTLS.
    await smtpd.start(PYTHON, ['-m', 'aiosmtpd', '-n', '-l', `127.0.0.1:${port}`, '--tlscert', path.join(dir, 'cert.pem'), '--tlskey', path.join(dir, 'key.pem'), '-c', 'aiosmtpd.handlers.Mailbox', path.join(dir, 'maildir')], port);
    const inbox = path.join(dir, 'maildir', 'new');
    await expect.poll(() => (existsSync(inbox) ? readdirSync(inbox).length : 0), { timeout: 10_000 }).toBe(1);

    // Long header lines arrive folded (RFC 5322): unfold before reading them.
    const mail = readFileSync(path.join(inbox, readdirSync(inbox)[0] as string), 'utf8').replace(/\r?\n[ \t]+/g, ' ');
    expect(mail).toMatch(/^From: cordon@practice\.example$/m);
    expect(mail).toMatch(/^To: compliance@practice\.example$/m);
    expect(mail).toContain(`Subject: Cordon high alert: watermark-tampering on device ${deviceId}`);
    expect(mail).toContain('kind: watermark-tampering');
    expect(mail).toContain('subject: notify-va');
    await expect.poll(() => server.metric('cordon_collector_notifications_pending', 'email'), { timeout: 5_000 }).toBe(0);
    expect(await server.metric('cordon_collector_notifications_delivered_total', 'email')).toBe(1);
  });
});
