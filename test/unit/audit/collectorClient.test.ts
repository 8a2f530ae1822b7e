// The device's protocol client: request signatures that verify with node:crypto over
// syncProtocol's requestMessage (fresh nonce and timestamp each time), and the collector's
// answers sorted into ok / refused / unavailable. The transport here is a scripted test
// double; real HTTP is in auditSyncCollector.test.ts.
import { createHash, createPublicKey, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DEVICE_HEADERS, GENESIS_LINK_HEX, requestMessage } from '../../../common/audit/syncProtocol';
import { CollectorClient, retryAfterMs } from '../../../main/audit/collectorClient';
import { deviceIdOf } from '../../../main/audit/deviceKey';
import { TransportError, type SyncRequest, type SyncResponse, type SyncTransport } from '../../../main/audit/syncTransport';
import { testDeviceKey } from '../../support/auditSyncFixtures';
import { json } from '../../support/fakeCollector';

/** Test double: answers each request with the next scripted response (or throws it). */
class ScriptedTransport implements SyncTransport {
  readonly requests: SyncRequest[] = [];
  constructor(private readonly answers: (SyncResponse | Error)[]) {}
  async send(request: SyncRequest): Promise<SyncResponse> {
    this.requests.push(request);
    const answer = this.answers.shift();
    if (answer === undefined) throw new Error('no scripted answer left');
    if (answer instanceof Error) throw answer;
    return answer;
  }
}

function client(answers: (SyncResponse | Error)[], collectorUrl = 'https://collector.sunrise.example') {
  const key = testDeviceKey();
  const transport = new ScriptedTransport(answers);
  let now = Date.parse('2027-03-01T10:00:00.000Z');
  const c = new CollectorClient({ collectorUrl, transport, deviceKey: key, deviceId: deviceIdOf(key.publicKeyPem), now: () => new Date((now += 1000)) });
  return { client: c, transport, key };
}

function verifies(request: SyncRequest, publicKeyPem: string, path: string): boolean {
  const h = request.headers;
  const bodySha256 = createHash('sha256')
    .update(request.body ?? '')
    .digest('hex');
  const message = requestMessage({ method: request.method, path, timestamp: h[DEVICE_HEADERS.timestamp] ?? '', nonce: h[DEVICE_HEADERS.nonce] ?? '', bodySha256 });
  return verify(null, Buffer.from(message, 'utf8'), createPublicKey(publicKeyPem), Buffer.from(h[DEVICE_HEADERS.signature] ?? '', 'base64url'));
}

describe('device request signatures', () => {
  it('sign method, path, timestamp, nonce and the body hash with the device key, fresh each time', async () => {
    const ack = { acknowledgedSeq: 0, acknowledgedLink: GENESIS_LINK_HEX };
    const status = { deviceId: '0'.repeat(32), ...ack };
    const { client: c, transport, key } = client([json(200, ack), json(200, ack), json(200, status)]);
    await c.sendBatch('{"a":1}');
    await c.sendBatch('{"a":1}');
    await c.status();
    const [first, second, get] = transport.requests as [SyncRequest, SyncRequest, SyncRequest];
    expect(first.url).toBe('https://collector.sunrise.example/v1/events');
    expect(first.headers[DEVICE_HEADERS.device]).toBe(deviceIdOf(key.publicKeyPem));
    expect(first.headers['content-type']).toBe('application/json');
    expect(verifies(first, key.publicKeyPem, '/v1/events')).toBe(true);
    expect(verifies(second, key.publicKeyPem, '/v1/events')).toBe(true);
    expect(verifies(get, key.publicKeyPem, '/v1/devices/self')).toBe(true);
    expect(get.body).toBeUndefined();
    // Fresh nonce and timestamp per request, the timestamp in ISO 8601 from the device clock.
    expect(first.headers[DEVICE_HEADERS.nonce]).not.toBe(second.headers[DEVICE_HEADERS.nonce]);
    expect(first.headers[DEVICE_HEADERS.nonce]).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(first.headers[DEVICE_HEADERS.timestamp]).toMatch(/^2027-03-01T10:00:\d{2}\.000Z$/);
    expect(Date.parse(second.headers[DEVICE_HEADERS.timestamp] ?? '')).toBeGreaterThan(Date.parse(first.headers[DEVICE_HEADERS.timestamp] ?? ''));
    // A changed body, path or method no longer verifies.
    expect(verifies({ ...first, body: '{"a":2}' }, key.publicKeyPem, '/v1/events')).toBe(false);
    expect(verifies(first, key.publicKeyPem, '/v1/devices/self')).toBe(false);
    expect(verifies({ ...first, method: 'GET' }, key.publicKeyPem, '/v1/events')).toBe(false);
    expect(verifies(first, testDeviceKey().publicKeyPem, '/v1/events')).toBe(false);
  });

  it('sign the full path when the collector URL has a path prefix', async () => {
    const { client: c, transport, key } = client([json(200, { acknowledgedSeq: 0, acknowledgedLink: GENESIS_LINK_HEX })], 'https://audit.sunrise.example/collector/');
    await c.sendBatch('{}');
    const [request] = transport.requests as [SyncRequest];
    expect(request.url).toBe('https://audit.sunrise.example/collector/v1/events');
    expect(verifies(request, key.publicKeyPem, '/collector/v1/events')).toBe(true);
  });
});

describe("the collector's answers", () => {
  it('accepts a valid ack, and treats a 2xx that is not a collector answer as "try later"', async () => {
    const ack = { acknowledgedSeq: 3, acknowledgedLink: 'ab'.repeat(32) };
    const { client: c, transport } = client([json(200, ack), { status: 200, body: '<html>Welcome to the hotel wifi</html>', retryAfter: null }, json(200, { acknowledgedSeq: -1, acknowledgedLink: 'x' })]);
    // The answer names the nonce of the request it answers: what an access statement in it must echo.
    expect(await c.sendBatch('{}')).toEqual({ kind: 'ok', value: { ...ack, requestNonce: transport.requests[0]?.headers[DEVICE_HEADERS.nonce] } });
    expect(await c.sendBatch('{}')).toMatchObject({ kind: 'unavailable', message: expect.stringMatching(/not a collector answer/) });
    expect(await c.sendBatch('{}')).toMatchObject({ kind: 'unavailable' });
  });

  it("passes what the collector said about access on, unjudged: a malformed statement never costs the ack", async () => {
    const ack = { acknowledgedSeq: 3, acknowledgedLink: 'ab'.repeat(32) };
    const { client: c } = client([json(200, { ...ack, access: { statement: 'not one' } }), json(200, { ...ack, surprise: true })]);
    expect(await c.sendBatch('{}')).toMatchObject({ kind: 'ok', value: { ...ack, access: { statement: 'not one' } } });
    expect(await c.sendBatch('{}')).toMatchObject({ kind: 'unavailable' });
  });

  it('sorts refusals from transient failures, keeping expectedSeq and Retry-After', async () => {
    const { client: c } = client([
      json(409, { error: 'gap', message: 'events 5..9 never arrived', expectedSeq: 5 }),
      json(401, { error: 'unknown-device', message: 'not enrolled' }),
      { status: 403, body: '<html>Forbidden by proxy</html>', retryAfter: null },
      json(503, { error: 'internal' }, '7'),
      json(429, { error: 'rate-limited' }, '2'),
      new TransportError('connect ECONNREFUSED 127.0.0.1:9'),
    ]);
    expect(await c.sendBatch('{}')).toEqual({ kind: 'refused', status: 409, error: 'gap', message: 'events 5..9 never arrived', expectedSeq: 5 });
    expect(await c.sendBatch('{}')).toEqual({ kind: 'refused', status: 401, error: 'unknown-device', message: 'not enrolled' });
    expect(await c.sendBatch('{}')).toEqual({ kind: 'refused', status: 403, error: null, message: 'HTTP 403' });
    expect(await c.sendBatch('{}')).toEqual({ kind: 'unavailable', message: 'the collector answered HTTP 503', retryAfterMs: 7000 });
    expect(await c.sendBatch('{}')).toMatchObject({ kind: 'unavailable', retryAfterMs: 2000 });
    expect(await c.sendBatch('{}')).toMatchObject({ kind: 'unavailable', message: 'connect ECONNREFUSED 127.0.0.1:9' });
  });

  it('lets a programming error in a transport through instead of calling it an outage', async () => {
    const { client: c } = client([new RangeError('bug')]);
    await expect(c.sendBatch('{}')).rejects.toThrow(RangeError);
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    const now = Date.parse('2027-03-01T10:00:00Z');
    expect(retryAfterMs('120', now)).toBe(120_000);
    expect(retryAfterMs('Mon, 01 Mar 2027 10:00:30 GMT', now)).toBe(30_000);
    expect(retryAfterMs('soon', now)).toBe(0);
    expect(retryAfterMs(null, now)).toBe(0);
  });
});
