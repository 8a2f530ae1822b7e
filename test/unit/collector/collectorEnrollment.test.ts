// Enrollment over real HTTP against a real collector, on each storage: one-time codes,
// access tokens from a real (test) OpenID issuer, proof of possession, idempotent retries.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { GENESIS_LINK_HEX, SYNC_PATHS } from '../../../common/audit/syncProtocol';
import { describeOnEachStorage, startTestCollector, startTestIssuer, type TestCollector, type TestIssuer } from './collectorHarness';
import { postJson, TestDevice } from './collectorTestDevice';
import { startCollector } from '../../../collector/collectorServer';

describeOnEachStorage('collector enrollment', (storage) => {
  let issuer: TestIssuer;
  let server: TestCollector;
  beforeAll(async () => {
    issuer = await startTestIssuer();
    server = await startTestCollector(storage, { trustedIssuer: { issuer: issuer.issuer, audience: issuer.audience } });
  });
  afterAll(async () => {
    await server?.stop();
    await issuer?.close();
  });

  it('a code enrolls one device once; the device starts with an empty chain', async () => {
    const code = await server.collector.issueEnrollmentCode();
    expect(code).toMatch(/^[A-Z0-9]{4}(-[A-Z0-9]{4}){3}$/);
    const device = new TestDevice(server.url);
    const reply = await device.enroll({ kind: 'enrollment-code', code });
    expect(reply.status).toBe(201);
    expect(reply.json).toEqual({ deviceId: device.deviceId, acknowledgedSeq: 0, acknowledgedLink: GENESIS_LINK_HEX });
    const [record] = (await server.collector.devices()).filter((d) => d.deviceId === device.deviceId);
    expect(record).toMatchObject({ enrollmentMethod: 'enrollment-code', enrolledBy: null, deviceName: device.name });

    const second = new TestDevice(server.url);
    const reuse = await second.enroll({ kind: 'enrollment-code', code });
    expect(reuse).toMatchObject({ status: 403, json: { error: 'code-refused' } });
    expect((await server.collector.devices()).some((d) => d.deviceId === second.deviceId)).toBe(false);
  });

  it('an expired or never issued code is refused', async () => {
    const code = await server.collector.issueEnrollmentCode({ ttlMs: 1 });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await new TestDevice(server.url).enroll({ kind: 'enrollment-code', code })).toMatchObject({ status: 403, json: { error: 'code-refused' } });
    expect(await new TestDevice(server.url).enroll({ kind: 'enrollment-code', code: 'ABCD-EFGH-JKLM-NPQR' })).toMatchObject({ status: 403, json: { error: 'code-refused' } });
  });

  it('concurrent enrollments with one code: exactly one device gets in', async () => {
    const code = await server.collector.issueEnrollmentCode();
    const devices = Array.from({ length: 6 }, () => new TestDevice(server.url));
    const replies = await Promise.all(devices.map((d) => d.enroll({ kind: 'enrollment-code', code })));
    expect(replies.map((r) => r.status).sort()).toEqual([201, 403, 403, 403, 403, 403]);
  });

  it('re-enrolling the same key is idempotent (even with its used code) and returns where the chain stands', async () => {
    const device = new TestDevice(server.url);
    const code = await server.collector.issueEnrollmentCode();
    expect((await device.enroll({ kind: 'enrollment-code', code })).status).toBe(201);
    const events = device.record(3);
    expect((await device.sendBatch(events)).status).toBe(200);
    const again = await device.enroll({ kind: 'enrollment-code', code });
    expect(again).toMatchObject({ status: 200, json: { deviceId: device.deviceId, acknowledgedSeq: 3, acknowledgedLink: device.head.link } });
    expect((await server.collector.devices()).filter((d) => d.deviceId === device.deviceId)).toHaveLength(1);
  });

  it("a VA's access token for the collector's audience enrolls the device and records only its subject", async () => {
    const device = new TestDevice(server.url);
    const reply = await device.enroll({ kind: 'access-token', token: await issuer.token({ sub: 'va-7f3a' }) });
    expect(reply.status).toBe(201);
    const record = (await server.collector.devices()).find((d) => d.deviceId === device.deviceId);
    expect(record).toMatchObject({ enrollmentMethod: 'access-token', enrolledBy: 'va-7f3a' });
    // A new key on the same machine is a new device.
    const rekeyed = new TestDevice(server.url, device.name);
    expect((await rekeyed.enroll({ kind: 'access-token', token: await issuer.token({ sub: 'va-7f3a' }) })).status).toBe(201);
    expect(rekeyed.deviceId).not.toBe(device.deviceId);
  });

  it('tokens for another audience or issuer, expired, or signed by another key are refused', async () => {
    const cases = [
      await issuer.token({ aud: 'urn:other:api' }),
      await issuer.token({ iss: 'http://127.0.0.1:1/' }),
      await issuer.token({ expiresIn: Math.floor(Date.now() / 1000) - 60 }),
      await issuer.token({ signWith: 'stranger' }),
      'eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.',
    ];
    for (const token of cases) {
      const device = new TestDevice(server.url);
      const reply = await device.enroll({ kind: 'access-token', token });
      expect(reply, token).toMatchObject({ status: 403, json: { error: 'token-refused' } });
      expect((await server.collector.devices()).some((d) => d.deviceId === device.deviceId)).toBe(false);
    }
  });

  it('the device must hold the key it registers, and the id must be derived from it', async () => {
    const device = new TestDevice(server.url);
    const other = new TestDevice(server.url);
    const code = await server.collector.issueEnrollmentCode();
    const wrongSignature = await device.enroll({ kind: 'enrollment-code', code }, { signature: other.signText('cordon-enroll/1') });
    expect(wrongSignature).toMatchObject({ status: 401, json: { error: 'bad-signature' } });
    const wrongId = await device.enroll({ kind: 'enrollment-code', code }, { deviceId: other.deviceId });
    expect(wrongId).toMatchObject({ status: 400, json: { error: 'device-id-mismatch' } });
    const rsa = (await import('node:crypto')).generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
    expect(await device.enroll({ kind: 'enrollment-code', code }, { publicKeyPem: rsa })).toMatchObject({ status: 400, json: { error: 'invalid-key' } });
    // None of those used the code up.
    expect((await device.enroll({ kind: 'enrollment-code', code })).status).toBe(201);
  });

  it('device names are stored as given (any script) but never with control characters', async () => {
    const named = new TestDevice(server.url, 'Réception 受付 📋');
    expect((await named.enroll({ kind: 'enrollment-code', code: await server.collector.issueEnrollmentCode() })).status).toBe(201);
    expect((await server.collector.devices()).find((d) => d.deviceId === named.deviceId)?.deviceName).toBe('Réception 受付 📋');
    for (const name of ['front\u0000desk', 'front\ndesk', 'bell\u0007']) {
      const reply = await new TestDevice(server.url, name).enroll({ kind: 'enrollment-code', code: await server.collector.issueEnrollmentCode() });
      // The protocol's schema refuses them, naming the field.
      expect(reply, JSON.stringify(name)).toMatchObject({ status: 400, json: { error: 'invalid-body', message: expect.stringContaining('deviceName') } });
    }
    const controlSubject = await new TestDevice(server.url).enroll({ kind: 'access-token', token: await issuer.token({ sub: 'va\u0000x' }) });
    expect(controlSubject).toMatchObject({ status: 403, json: { error: 'token-refused' } });
  });

  it('the key is exactly one PEM block, names carry no bidirectional overrides, subjects are at most 255 characters', async () => {
    const device = new TestDevice(server.url);
    const code = await server.collector.issueEnrollmentCode();
    const other = new TestDevice(server.url);
    for (const publicKeyPem of [`${device.publicKeyPem}\u0000`, `${device.publicKeyPem}${other.publicKeyPem}`, `${device.publicKeyPem}trailing`]) {
      const reply = await device.enroll({ kind: 'enrollment-code', code }, { publicKeyPem });
      expect(reply, JSON.stringify(publicKeyPem.slice(-12))).toMatchObject({ status: 400, json: { error: 'invalid-key' } });
    }
    for (const name of ['Front desk \u202Epotpal', 'Desk\u2066A\u2069', 'Desk\u200F', 'Desk\u2028B']) {
      const reply = await new TestDevice(server.url, name).enroll({ kind: 'enrollment-code', code });
      expect(reply, JSON.stringify(name)).toMatchObject({ status: 400, json: { error: 'invalid-name' } });
    }
    const longSubject = await new TestDevice(server.url).enroll({ kind: 'access-token', token: await issuer.token({ sub: 'v'.repeat(256) }) });
    expect(longSubject).toMatchObject({ status: 403, json: { error: 'token-refused' } });
    const longest = new TestDevice(server.url);
    expect((await longest.enroll({ kind: 'access-token', token: await issuer.token({ sub: 'v'.repeat(255) }) })).status).toBe(201);
    // None of the refused requests stored anything or used the code.
    expect((await device.enroll({ kind: 'enrollment-code', code })).status).toBe(201);
    expect((await server.collector.devices()).find((d) => d.deviceId === device.deviceId)?.publicKeyPem).toBe(device.publicKeyPem);
  });

  it('an enrolled key asking again must still carry its proof: its own used code or a valid token, not any code', async () => {
    const device = new TestDevice(server.url);
    const code = await server.collector.issueEnrollmentCode();
    expect((await device.enroll({ kind: 'enrollment-code', code })).status).toBe(201);
    expect((await device.enroll({ kind: 'enrollment-code', code })).status).toBe(200);
    const someoneElses = await server.collector.issueEnrollmentCode();
    expect((await new TestDevice(server.url).enroll({ kind: 'enrollment-code', code: someoneElses })).status).toBe(201);
    for (const wrong of ['ABCD-EFGH-JKLM-NPQR', someoneElses]) {
      expect(await device.enroll({ kind: 'enrollment-code', code: wrong }), wrong).toMatchObject({ status: 403, json: { error: 'code-refused' } });
    }
    expect(await device.enroll({ kind: 'access-token', token: await issuer.token({ signWith: 'stranger' }) })).toMatchObject({ status: 403, json: { error: 'token-refused' } });
    expect((await device.enroll({ kind: 'access-token', token: await issuer.token() })).status).toBe(200);
  });

  it('malformed enrollment bodies get a 400 naming the field', async () => {
    const device = new TestDevice(server.url);
    const body = { ...device.enrollmentRequest({ kind: 'enrollment-code', code: 'abcd' }) };
    const reply = await postJson(server.url + SYNC_PATHS.enroll, JSON.stringify(body));
    expect(reply).toMatchObject({ status: 400, json: { error: 'invalid-body' } });
    expect(reply.json.message).toMatch(/proof\.code/);
  });
});

describeOnEachStorage('collector enrollment without a trusted issuer', (storage) => {
  it('access tokens are refused with a pointer to enrollment codes; an unreachable issuer is a 503', async () => {
    const server = await startTestCollector(storage);
    const unreachable = await startTestCollector(storage, { trustedIssuer: { issuer: 'http://127.0.0.1:9', audience: 'urn:cordon:collector' } });
    try {
      const reply = await new TestDevice(server.url).enroll({ kind: 'access-token', token: 'eyJhbGciOiJFUzI1NiJ9.e30.c2ln' });
      expect(reply).toMatchObject({ status: 403, json: { error: 'token-enrollment-disabled' } });
      const down = await new TestDevice(unreachable.url).enroll({ kind: 'access-token', token: 'eyJhbGciOiJFUzI1NiJ9.e30.c2ln' });
      expect(down).toMatchObject({ status: 503, json: { error: 'issuer-unavailable' } });
    } finally {
      await unreachable.stop();
      await server.stop();
    }
  });
});

describeOnEachStorage('collector enrollment races', (storage) => {
  it('20 identical concurrent enrollments (same key, same code) across two collectors on one storage: one 201, nineteen 200', async () => {
    const { storage: shared, remove } = await storage.create();
    const rateLimit = { max: 1_000_000, windowMs: 60_000 };
    const first = await startCollector({ port: 0, storage: shared, rateLimit });
    const second = await startCollector({ port: 0, storage: shared, rateLimit });
    try {
      const device = new TestDevice(first.url);
      const body = JSON.stringify(device.enrollmentRequest({ kind: 'enrollment-code', code: await first.issueEnrollmentCode() }));
      const replies = await Promise.all(Array.from({ length: 20 }, (_, i) => postJson((i % 2 === 0 ? first.url : second.url) + SYNC_PATHS.enroll, body)));
      expect(replies.map((r) => r.status).sort()).toEqual([200, ...Array<number>(18).fill(200), 201].sort());
      for (const reply of replies) expect(reply.json).toEqual({ deviceId: device.deviceId, acknowledgedSeq: 0, acknowledgedLink: GENESIS_LINK_HEX });
      expect((await first.devices()).filter((d) => d.deviceId === device.deviceId)).toHaveLength(1);
    } finally {
      await second.close();
      await first.close();
      await remove();
    }
  });
});
