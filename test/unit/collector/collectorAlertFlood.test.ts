// An unauthenticated flood of forged requests against a real collector, on each storage:
// repeats of one alert from one source fold into one row with a count, each row names
// the source address, so a supervisor can tell an attack on a device from a device at
// fault, and what one source can store is bounded however fast it sends.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { request } from 'node:http';
import { expect, it } from 'vitest';
import { SYNC_PATHS } from '../../../common/audit/syncProtocol';
import { UNAUTHENTICATED_ROWS_PER_WINDOW } from '../../../collector/alerts';
import { describeOnEachStorage, startTestCollector, useTestCollector } from './collectorHarness';
import { TestDevice } from './collectorTestDevice';

/** POST over a fresh connection from `localAddress` (another client on this machine). */
function postFrom(url: string, localAddress: string, body: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', localAddress, agent: false, timeout: 10_000, headers: { 'content-type': 'application/json', ...headers } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('timeout', () => req.destroy(new Error('no answer within 10 s')));
    req.on('error', reject);
    req.end(body);
  });
}

const FLOOD = 40;

describeOnEachStorage('collector alert flooding', (storage) => {
  let now = Date.now();
  const server = useTestCollector(storage, { clock: () => now });

  it('forged requests from one address fold into one alert per kind and device with a count and the source address', async () => {
    const honest = new TestDevice(server.url, 'Reception laptop');
    await honest.enrollWithCode(server.collector);
    const forger = generateKeyPairSync('ed25519').privateKey;
    const body = honest.batchBody(honest.record(1));
    const forged = () => postFrom(server.url + SYNC_PATHS.events, '127.0.0.1', body, honest.signedHeaders('POST', SYNC_PATHS.events, body, { key: forger }));
    const unknown = () => postFrom(server.url + SYNC_PATHS.events, '127.0.0.1', body, honest.signedHeaders('POST', SYNC_PATHS.events, body, { deviceId: randomBytes(16).toString('hex') }));
    for (let i = 0; i < FLOOD; i += 1) {
      expect(await forged()).toBe(401);
      expect(await unknown()).toBe(401);
      now += 1000;
    }

    const alerts = await server.collector.alerts();
    expect(alerts.map((a) => [a.kind, a.deviceId === honest.deviceId, a.sourceAddress, a.occurrences])).toEqual([
      ['bad-signature', true, '127.0.0.1', FLOOD],
      ['unknown-device', false, '127.0.0.1', FLOOD],
    ]);

    // Another source is another row: the supervisor sees two addresses, not one device at fault.
    expect(await postFrom(server.url + SYNC_PATHS.events, '127.0.0.2', body, honest.signedHeaders('POST', SYNC_PATHS.events, body, { key: forger }))).toBe(401);
    const fromTwo = (await server.collector.alerts(honest.deviceId)).filter((a) => a.sourceAddress === '127.0.0.2');
    expect(fromTwo).toMatchObject([{ kind: 'bad-signature', occurrences: 1 }]);

    // After the folding window a repeat starts a new row (a new episode to look at).
    now += 11 * 60_000;
    expect(await forged()).toBe(401);
    const badSignatures = (await server.collector.alerts(honest.deviceId)).filter((a) => a.kind === 'bad-signature' && a.sourceAddress === '127.0.0.1');
    expect(badSignatures.map((a) => a.occurrences)).toEqual([FLOOD, 1]);
    expect(Date.parse(badSignatures[0]?.lastDetectedAt ?? '') - Date.parse(badSignatures[0]?.detectedAt ?? '')).toBe((FLOOD - 1) * 1000);
  });

  it('a sender rotating source addresses adds at most UNAUTHENTICATED_ROWS_PER_WINDOW rows of a kind per window; the rest are counted', async () => {
    const fresh = await startTestCollector(storage);
    try {
      const victim = new TestDevice(fresh.url);
      await victim.enrollWithCode(fresh.collector);
      const forger = generateKeyPairSync('ed25519').privateKey;
      const body = victim.batchBody(victim.record(1));
      const sources = UNAUTHENTICATED_ROWS_PER_WINDOW + 5;
      for (let i = 0; i < sources; i += 1) {
        expect(await postFrom(fresh.url + SYNC_PATHS.events, `127.0.1.${i + 1}`, body, victim.signedHeaders('POST', SYNC_PATHS.events, body, { key: forger }))).toBe(401);
      }
      const alerts = await fresh.collector.alerts(victim.deviceId);
      expect(alerts).toHaveLength(UNAUTHENTICATED_ROWS_PER_WINDOW);
      expect(alerts.reduce((sum, a) => sum + a.occurrences, 0)).toBe(sources);
      expect(alerts.at(-1)?.occurrences).toBe(6);
    } finally {
      await fresh.stop();
    }
  });

  it("behind a trusted load balancer the alert names the client's forwarded address; otherwise X-Forwarded-For is ignored", async () => {
    const behind = await startTestCollector(storage, { trustedProxies: ['127.0.0.1'] });
    try {
      for (const [url, expected] of [
        [behind.url, '203.0.113.7'],
        [server.url, '127.0.0.1'],
      ] as const) {
        const device = new TestDevice(url);
        const body = device.batchBody(device.record(1));
        const headers = { ...device.signedHeaders('POST', SYNC_PATHS.events, body), 'x-forwarded-for': '203.0.113.7' };
        expect(await postFrom(url + SYNC_PATHS.events, '127.0.0.1', body, headers)).toBe(401);
        const collector = url === behind.url ? behind.collector : server.collector;
        expect((await collector.alerts(device.deviceId)).map((a) => a.sourceAddress), url).toEqual([expected]);
      }
    } finally {
      await behind.stop();
    }
  });
});
