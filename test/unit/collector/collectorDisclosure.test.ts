// What a client without a device key, a token or the metrics token learns from a real
// collector, on each storage, as decided in collector/README.md ("What an unauthenticated
// client learns"): whether a device id it already knows is enrolled (devices need that
// answer to re-enroll), nothing about practice activity, and a device's chain head only
// from an exact copy of that device's own enrollment while its code is still valid.
import { generateKeyPairSync } from 'node:crypto';
import { expect, it } from 'vitest';
import { SYNC_PATHS } from '../../../common/audit/syncProtocol';
import { describeOnEachStorage, useTestCollector } from './collectorHarness';
import { postJson, send, TestDevice } from './collectorTestDevice';

const HOUR = 60 * 60_000;

describeOnEachStorage('what an unauthenticated client learns', (storage) => {
  let now = Date.now();
  const server = useTestCollector(storage, { clock: () => now, enrollmentCodeTtlMs: 24 * HOUR });

  it('device ids: unknown and enrolled-but-forged are told apart, and neither answer says more', async () => {
    const device = new TestDevice(server.url, 'Dr Smith front desk');
    await device.enrollWithCode(server.collector);
    expect((await device.sendBatch(device.record(4))).status).toBe(200);
    const forger = generateKeyPairSync('ed25519').privateKey;
    const forged = await device.status({ key: forger });
    const stranger = await new TestDevice(server.url).status();
    expect(forged).toMatchObject({ status: 401, json: { error: 'bad-signature' } });
    expect(stranger).toMatchObject({ status: 401, json: { error: 'unknown-device' } });
    for (const reply of [forged, stranger]) {
      expect(Object.keys(reply.json).sort()).toEqual(['error', 'message']);
      expect(reply.text).not.toMatch(/Smith|acknowledged|"4"|seq/i);
    }
  });

  it('practice activity: /metrics is off without its token, /health says only ok', async () => {
    expect(await send(`${server.url}/metrics`)).toMatchObject({ status: 404, json: { error: 'not-found' } });
    const health = await send(`${server.url}/health`);
    expect(health.json).toEqual({ status: 'ok' });
  });

  it("a copy of a device's enrollment tells its chain head only while its code is valid; another code tells nothing", async () => {
    const device = new TestDevice(server.url);
    const body = JSON.stringify(device.enrollmentRequest({ kind: 'enrollment-code', code: await server.collector.issueEnrollmentCode() }));
    expect((await postJson(server.url + SYNC_PATHS.enroll, body)).status).toBe(201);
    expect((await device.sendBatch(device.record(2))).status).toBe(200);
    expect(await postJson(server.url + SYNC_PATHS.enroll, body)).toMatchObject({ status: 200, json: { acknowledgedSeq: 2 } });
    const otherCode = JSON.stringify(device.enrollmentRequest({ kind: 'enrollment-code', code: 'ABCD-EFGH-JKLM-NPQR' }));
    expect(await postJson(server.url + SYNC_PATHS.enroll, otherCode)).toMatchObject({ status: 403, json: { error: 'code-refused' } });
    now += 25 * HOUR;
    const late = await postJson(server.url + SYNC_PATHS.enroll, body);
    expect(late).toMatchObject({ status: 403, json: { error: 'code-refused' } });
    expect(late.text).not.toContain('acknowledged');
  });
});
