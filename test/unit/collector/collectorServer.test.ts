// The server around the protocol, on each storage: health, Prometheus metrics, the body
// limit, rate limiting, unknown routes and content types — all as JSON 4xx, never a 5xx.
import { expect, it } from 'vitest';
import { MAX_BODY_BYTES, SYNC_PATHS } from '../../../common/audit/syncProtocol';
import { describeOnEachStorage, startTestCollector, useTestCollector } from './collectorHarness';
import { postJson, send, TestDevice } from './collectorTestDevice';

const METRICS = { authorization: 'Bearer metrics-secret-1' };

describeOnEachStorage('collector server', (storage) => {
  const server = useTestCollector(storage, { metricsToken: 'metrics-secret-1' });

  it('GET /health answers ok while storage answers', async () => {
    expect(await send(`${server.url}/health`)).toMatchObject({ status: 200, json: { status: 'ok' } });
  });

  it('GET /metrics counts ingested events, refusals by reason, alerts stored by kind and devices', async () => {
    const device = new TestDevice(server.url);
    await device.enrollWithCode(server.collector);
    await device.sendBatch(device.record(12));
    device.record(3);
    await device.sendBatch(device.events(14, 15));
    const metrics = await send(`${server.url}/metrics`, { headers: METRICS });
    expect(metrics.status).toBe(200);
    expect(metrics.text).toContain('# TYPE cordon_collector_events_ingested_total counter');
    expect(metrics.text).toMatch(/^cordon_collector_events_ingested_total 12$/m);
    expect(metrics.text).toMatch(/^cordon_collector_batches_refused_total\{reason="gap"\} 1$/m);
    expect(metrics.text).toMatch(/^cordon_collector_alerts_stored_total\{kind="gap"\} 1$/m);
    expect(metrics.text).toMatch(/^cordon_collector_enrollments_total\{method="enrollment-code"\} 1$/m);
    expect(metrics.text).toMatch(/^cordon_collector_devices 1$/m);
  });

  it(`a body over MAX_BODY_BYTES (${MAX_BODY_BYTES}) is a 413 with a JSON error on every POST endpoint`, async () => {
    const big = JSON.stringify({ padding: 'x'.repeat(MAX_BODY_BYTES) });
    for (const target of [SYNC_PATHS.enroll, SYNC_PATHS.events]) {
      const reply = await postJson(server.url + target, big);
      expect(reply).toMatchObject({ status: 413, json: { error: 'invalid-body' } });
      expect(String(reply.json.message)).toContain(String(MAX_BODY_BYTES));
    }
  });

  it('unknown routes, wrong methods and non-JSON content types are JSON 4xx answers', async () => {
    expect(await send(`${server.url}/v2/anything`)).toMatchObject({ status: 404, json: { error: 'not-found' } });
    expect(await send(server.url + SYNC_PATHS.events)).toMatchObject({ status: 404, json: { error: 'not-found' } });
    const form = await send(server.url + SYNC_PATHS.enroll, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'a=1' });
    expect(form).toMatchObject({ status: 415, json: { error: 'invalid-body' } });
    expect(await postJson(server.url + SYNC_PATHS.enroll, '')).toMatchObject({ status: 400, json: { error: 'invalid-body' } });
  });
});

describeOnEachStorage('collector rate limit', (storage) => {
  it('past the limit a client gets 429 with a JSON error and Retry-After, and the collector stays up', async () => {
    const server = await startTestCollector(storage, { rateLimit: { max: 5, windowMs: 60_000 } });
    try {
      const statuses: number[] = [];
      let last: Response | null = null;
      for (let i = 0; i < 8; i += 1) {
        last = await fetch(server.url + SYNC_PATHS.enroll, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
        statuses.push(last.status);
        if (i < 7) await last.text();
      }
      expect(statuses).toEqual([400, 400, 400, 400, 400, 429, 429, 429]);
      expect(last?.headers.get('retry-after')).toMatch(/^\d+$/);
      expect(await last?.json()).toMatchObject({ error: 'rate-limited' });
    } finally {
      await server.stop();
    }
  });

  it('GET /metrics on a separate listen address answers without a token, and only there', async () => {
    const separate = await startTestCollector(storage, { metricsListen: { host: '127.0.0.1', port: 0 } });
    try {
      const metricsUrl = separate.collector.metricsUrl ?? '';
      expect(metricsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
      await new TestDevice(separate.url).enrollWithCode(separate.collector);
      const scrape = await send(metricsUrl);
      expect(scrape.status).toBe(200);
      expect(scrape.text).toMatch(/^cordon_collector_enrollments_total\{method="enrollment-code"\} 1$/m);
      expect((await send(metricsUrl.replace('/metrics', '/health'))).status).toBe(404);
      expect((await send(`${separate.url}/metrics`)).status).toBe(404);
    } finally {
      await separate.stop();
    }
  });

  it('GET /metrics is off without a configured token, and then answers only that bearer token', async () => {
    const open = await startTestCollector(storage);
    try {
      expect(await send(`${open.url}/metrics`)).toMatchObject({ status: 404, json: { error: 'not-found' } });
    } finally {
      await open.stop();
    }
    const guarded = await startTestCollector(storage, { metricsToken: 'metrics-secret-1' });
    try {
      expect((await send(`${guarded.url}/metrics`)).status).toBe(401);
      expect((await send(`${guarded.url}/metrics`, { headers: { authorization: 'Bearer wrong-secret-1' } })).status).toBe(401);
      const allowed = await send(`${guarded.url}/metrics`, { headers: { authorization: 'Bearer metrics-secret-1' } });
      expect(allowed.status).toBe(200);
      expect(allowed.text).toContain('cordon_collector_events_ingested_total');
    } finally {
      await guarded.stop();
    }
  });
});
