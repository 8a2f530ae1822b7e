// Signed webhooks against a real HTTP receiver on 127.0.0.1 that checks the signature
// (its own HMAC-SHA256 over timestamp "." body, written here, not imported): an alert
// arrives signed; an answer of 500 is retried; a receiver that is down gets the
// notification once it is back, and /metrics shows it waiting meanwhile.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { AlertingConfig } from '../../../collector/collectorConfig';
import { describeOnEachStorage } from './collectorHarness';
import { freePort, useNotifyingCollector } from './notifyHarness';
import { body, streamDevice } from './rulesStream';

const SECRET = 'webhook-test-secret-0123456789abcdef';

interface Received {
  verified: boolean;
  body: Record<string, unknown>;
}

function verify(secret: string, timestamp: string | undefined, signature: string | undefined, body: string): boolean {
  if (timestamp === undefined || signature === undefined || Math.abs(Date.now() / 1000 - Number(timestamp)) > 300) return false;
  const expected = Buffer.from(`v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`);
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/** Answers 500 to the first `failFirst` requests, then 204; records each request it accepted. */
function receiver(port: number, failFirst = 0): Promise<{ received: Received[]; server: Server }> {
  const received: Received[] = [];
  let failures = failFirst;
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (c: Buffer) => chunks.push(c));
    request.on('end', () => {
      if (failures > 0) {
        failures -= 1;
        response.writeHead(500).end();
        return;
      }
      const body = Buffer.concat(chunks).toString('utf8');
      received.push({ verified: verify(SECRET, request.headers['cordon-timestamp'] as string | undefined, request.headers['cordon-signature'] as string | undefined, body), body: JSON.parse(body) as Record<string, unknown> });
      response.writeHead(204).end();
    });
  });
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve({ received, server })));
}

const close = (server: Server | undefined) => new Promise<void>((resolve) => (server === undefined ? resolve() : server.close(() => resolve())));

describeOnEachStorage('notifications: signed webhook', (storage) => {
  const channels: AlertingConfig['channels'] = {};
  let port = 0;
  beforeAll(async () => {
    port = await freePort();
    channels.webhook = { url: `http://127.0.0.1:${port}/cordon-alerts`, secret: SECRET, minSeverity: 'high' };
  });
  const server = useNotifyingCollector(storage, channels);
  let live: Server | undefined;
  let received: Received[] = [];
  afterAll(() => close(live));

  it('a receiver that is down gets the notification when it returns; /metrics shows it waiting', async () => {
    const deviceId = await server.openAlert();
    await expect.poll(() => server.metric('cordon_collector_notification_failures_total', 'webhook'), { timeout: 5_000 }).toBeGreaterThanOrEqual(1);
    await expect.poll(() => server.metric('cordon_collector_notifications_pending', 'webhook'), { timeout: 5_000 }).toBe(1);

    ({ received, server: live } = await receiver(port, 1));
    await expect.poll(() => received.length, { timeout: 10_000 }).toBe(1);
    expect(received[0]).toMatchObject({ verified: true, body: { type: 'cordon.alert', kind: 'watermark-tampering', severity: 'high', deviceId, subject: 'notify-va' } });
    await expect.poll(() => server.metric('cordon_collector_notifications_pending', 'webhook'), { timeout: 5_000 }).toBe(0);
    expect(await server.metric('cordon_collector_notifications_delivered_total', 'webhook')).toBe(1);
    // Down, then a 500: at least two failed attempts before the delivery.
    expect(await server.metric('cordon_collector_notification_failures_total', 'webhook')).toBeGreaterThanOrEqual(2);
  });

  it('each alert that opens is sent once, signed; a repeat folded into it is not sent again', async () => {
    const before = await server.metric('cordon_collector_notifications_delivered_total', 'webhook');
    const { send } = await streamDevice(server.collector, server.url);
    const tampered = { type: 'watermark.tampered', outcome: 'blocked', at: new Date().toISOString(), appId: 'ehr', reason: 'restyled', subject: 'fold-va', session: 'FOLD-0001' } as const;
    await send([tampered]);
    await send([tampered]);
    await expect.poll(() => server.metric('cordon_collector_notifications_delivered_total', 'webhook'), { timeout: 5_000 }).toBe(before + 1);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await server.metric('cordon_collector_notifications_delivered_total', 'webhook')).toBe(before + 1);
    expect(received.at(-1)).toMatchObject({ verified: true, body: { subject: 'fold-va' } });
  });

  it('a chain alert the collector stores (events removed from a batch: critical) is notified too', async () => {
    const { device } = await streamDevice(server.collector, server.url);
    const events = device.record(3, () => body({ type: 'app.opened', at: new Date().toISOString(), appId: 'ehr' }));
    expect((await device.sendBatch([events[0], events[2]].filter((e) => e !== undefined))).status).toBe(409);
    await expect.poll(() => received.find((r) => r.body.deviceId === device.deviceId)?.body, { timeout: 5_000 }).toMatchObject({ kind: 'deletion', severity: 'critical', subject: null });
  });
});
