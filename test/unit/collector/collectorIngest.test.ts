// Ingest over real HTTP with real device keys and chains, on each storage: delivery,
// idempotent retries, resume after restart, and every tamper case refused AND stored as
// an alert, with nothing of the refused batch stored.
import { expect, it } from 'vitest';
import { checkpointMessage, GENESIS_LINK_HEX, REQUEST_CLOCK_SKEW_MS, SYNC_PATHS, type ChainedEvent } from '../../../common/audit/syncProtocol';
import { describeOnEachStorage, useTestCollector } from './collectorHarness';
import { auditBody, link, send, TestDevice } from './collectorTestDevice';

describeOnEachStorage('collector ingest', (storage) => {
  const server = useTestCollector(storage);

  async function enrolledDevice(events = 0): Promise<TestDevice> {
    const device = new TestDevice(server.url);
    await device.enrollWithCode(server.collector);
    if (events > 0) {
      const reply = await device.sendBatch(device.record(events));
      if (reply.status !== 200) throw new Error(reply.text);
    }
    return device;
  }

  const storedSeqs = async (device: TestDevice) => (await server.collector.deviceEvents(device.deviceId)).map((e) => e.seq);
  const alertsOf = (device: TestDevice) => server.collector.alerts(device.deviceId);

  it('stores a chain delivered in batches, byte for byte, and acknowledges each batch head', async () => {
    const device = await enrolledDevice();
    for (const size of [1, 250, 1000]) {
      const events = device.record(size);
      const reply = await device.sendBatch(events);
      expect(reply).toMatchObject({ status: 200, json: { acknowledgedSeq: device.head.seq, acknowledgedLink: device.head.link } });
    }
    const stored = await server.collector.deviceEvents(device.deviceId);
    expect(stored.map(({ seq, body, link: l }) => ({ seq, body, link: l }))).toEqual(device.chain);
    expect(await server.collector.deviceStatus(device.deviceId)).toEqual({ deviceId: device.deviceId, acknowledgedSeq: 1251, acknowledgedLink: device.head.link });
    expect(await alertsOf(device)).toEqual([]);
  });

  it('a retried batch is acknowledged again and stored once; an overlapping batch adds only its tail', async () => {
    const device = await enrolledDevice(5);
    const retry = await device.sendBatch(device.events(1, 5));
    expect(retry).toMatchObject({ status: 200, json: { acknowledgedSeq: 5 } });
    device.record(3);
    const overlapping = await device.sendBatch(device.events(4, 8));
    expect(overlapping).toMatchObject({ status: 200, json: { acknowledgedSeq: 8, acknowledgedLink: device.head.link } });
    expect(await storedSeqs(device)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(await alertsOf(device)).toEqual([]);
  });

  it('the same batch sent concurrently is stored once and every copy is acknowledged', async () => {
    const device = await enrolledDevice(2);
    const events = device.record(50);
    const replies = await Promise.all(Array.from({ length: 8 }, () => device.sendBatch(events)));
    expect(replies.map((r) => r.status)).toEqual(Array(8).fill(200));
    expect(new Set(replies.map((r) => r.json.acknowledgedSeq))).toEqual(new Set([52]));
    expect(await storedSeqs(device)).toEqual(Array.from({ length: 52 }, (_, i) => i + 1));
  });

  it('a device resumes from GET /v1/devices/self after the collector restarts', async () => {
    const device = await enrolledDevice(7);
    await server.restart();
    const status = await device.status();
    expect(status).toMatchObject({ status: 200, json: { deviceId: device.deviceId, acknowledgedSeq: 7, acknowledgedLink: device.head.link } });
    const next = device.record(2);
    expect((await device.sendBatch(next)).json).toMatchObject({ acknowledgedSeq: 9 });
  });

  // Each tamper case: the refusal, the alert, and nothing of the batch stored.
  async function expectTamper(device: TestDevice, reply: Promise<Awaited<ReturnType<TestDevice['sendBatch']>>>, expected: { status: number; error: string; kind: string; seq: number | null; expectedSeq?: number }) {
    const before = await storedSeqs(device);
    const result = await reply;
    expect(result.status).toBe(expected.status);
    expect(result.json.error).toBe(expected.error);
    if (expected.expectedSeq !== undefined) expect(result.json.expectedSeq).toBe(expected.expectedSeq);
    const alerts = await alertsOf(device);
    expect(alerts.at(-1)).toMatchObject({ kind: expected.kind, deviceId: device.deviceId, seq: expected.seq });
    expect(Date.parse(alerts.at(-1)?.detectedAt ?? '')).toBeGreaterThan(Date.now() - 60_000);
    expect(await storedSeqs(device)).toEqual(before);
  }

  it('gap: a batch that skips events after the acknowledged head', async () => {
    const device = await enrolledDevice(3);
    device.record(5);
    await expectTamper(device, device.sendBatch(device.events(6, 8)), { status: 409, error: 'gap', kind: 'gap', seq: 4, expectedSeq: 4 });
  });

  it('deletion: events removed from the middle of a batch', async () => {
    const device = await enrolledDevice(3);
    device.record(5);
    const events = device.events(4, 8).filter((e) => e.seq !== 6);
    await expectTamper(device, device.sendBatch(events), { status: 409, error: 'gap', kind: 'deletion', seq: 6, expectedSeq: 4 });
  });

  it('reorder: events out of sequence in a batch', async () => {
    const device = await enrolledDevice(1);
    const [a, b, c] = device.record(3) as [ChainedEvent, ChainedEvent, ChainedEvent];
    await expectTamper(device, device.sendBatch([a, c, b]), { status: 409, error: 'gap', kind: 'reorder', seq: 4, expectedSeq: 2 });
    await expectTamper(device, device.sendBatch([a, b, b, c]), { status: 409, error: 'gap', kind: 'reorder', seq: 3, expectedSeq: 2 });
  });

  it('edit: an event changed after it was chained, new or already acknowledged', async () => {
    const device = await enrolledDevice(4);
    const fresh = device.record(2).map((e) => (e.seq === 6 ? { ...e, body: e.body.replace('blocked', 'success') } : e));
    await expectTamper(device, device.sendBatch(fresh), { status: 409, error: 'chain-mismatch', kind: 'edit', seq: 6, expectedSeq: 5 });
    const acknowledged = device.events(2, 4).map((e) => (e.seq === 3 ? { ...e, body: auditBody({ reason: 'edited' }) } : e));
    await expectTamper(device, device.sendBatch(acknowledged), { status: 409, error: 'chain-mismatch', kind: 'edit', seq: 3, expectedSeq: 5 });
  });

  it('fork: acknowledged history rewritten with consistent links (or a cloned key)', async () => {
    const device = await enrolledDevice(4);
    const rewritten: ChainedEvent[] = device.events(1, 2);
    for (let seq = 3; seq <= 6; seq += 1) {
      const body = auditBody({ reason: `clone-${seq}` });
      rewritten.push({ seq, body, link: link((rewritten.at(-1) as ChainedEvent).link, body) });
    }
    await expectTamper(device, device.sendBatch(rewritten.slice(2)), { status: 409, error: 'chain-mismatch', kind: 'fork', seq: 3, expectedSeq: 5 });
  });

  it('truncation: the chain restarts at 1 after events were acknowledged', async () => {
    const device = await enrolledDevice(6);
    const restarted: ChainedEvent[] = [];
    for (let seq = 1; seq <= 2; seq += 1) {
      const body = auditBody({ type: 'app.started', outcome: 'success' });
      restarted.push({ seq, body, link: link(restarted.at(-1)?.link ?? GENESIS_LINK_HEX, body) });
    }
    await expectTamper(device, device.sendBatch(restarted), { status: 409, error: 'chain-mismatch', kind: 'truncation', seq: 1, expectedSeq: 7 });
  });

  it('bad checkpoint: not the last event, or signed by another key', async () => {
    const device = await enrolledDevice(1);
    const events = device.record(3);
    const middle = events[1] as ChainedEvent;
    const last = events[2] as ChainedEvent;
    await expectTamper(device, device.sendBatch(events, { checkpoint: { seq: middle.seq, link: middle.link } }), { status: 422, error: 'bad-checkpoint', kind: 'bad-checkpoint', seq: 4 });
    const forger = new TestDevice(server.url);
    const forged = { seq: last.seq, link: last.link, signature: forger.signText(checkpointMessage(last.seq, last.link)) };
    await expectTamper(device, device.sendBatch(events, { checkpoint: forged }), { status: 422, error: 'bad-checkpoint', kind: 'bad-checkpoint', seq: 4 });
    expect((await device.sendBatch(events)).status).toBe(200);
  });

  it('replay: a request re-sent with its nonce is refused and alerted, even byte-identical', async () => {
    const device = await enrolledDevice(1);
    const body = device.batchBody(device.record(2));
    const headers = device.signedHeaders('POST', SYNC_PATHS.events, body);
    const post = () => send(server.url + SYNC_PATHS.events, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
    expect((await post()).status).toBe(200);
    await expectTamper(device, post(), { status: 409, error: 'replayed-request', kind: 'replay', seq: null });
    const statusHeaders = device.signedHeaders('GET', SYNC_PATHS.status, '');
    expect((await send(server.url + SYNC_PATHS.status, { headers: statusHeaders })).status).toBe(200);
    expect(await send(server.url + SYNC_PATHS.status, { headers: statusHeaders })).toMatchObject({ status: 409, json: { error: 'replayed-request' } });
  });

  it('stale request: a signed request from outside the clock-skew window', async () => {
    const device = await enrolledDevice(1);
    const old = new Date(Date.now() - REQUEST_CLOCK_SKEW_MS - 60_000).toISOString();
    await expectTamper(device, device.sendBatch(device.record(1), {}, { timestamp: old }), { status: 401, error: 'stale-request', kind: 'stale-request', seq: null });
    const future = String(Date.now() + REQUEST_CLOCK_SKEW_MS + 60_000);
    expect(await device.status({ timestamp: future })).toMatchObject({ status: 401, json: { error: 'stale-request' } });
    // Inside the window, either timestamp form is accepted.
    expect((await device.status({ timestamp: String(Date.now() - 60_000) })).status).toBe(200);
  });

  it('forged device: a never-enrolled device id, or an enrolled id signed with another key', async () => {
    const stranger = new TestDevice(server.url);
    stranger.record(2);
    const unknown = await stranger.sendBatch(stranger.chain);
    expect(unknown).toMatchObject({ status: 401, json: { error: 'unknown-device' } });
    expect((await server.collector.alerts(stranger.deviceId)).at(-1)).toMatchObject({ kind: 'unknown-device', deviceId: stranger.deviceId });

    const victim = await enrolledDevice(2);
    const forged = victim.record(1);
    await expectTamper(victim, victim.sendBatch(forged, {}, { key: stranger.privateKey }), { status: 401, error: 'bad-signature', kind: 'bad-signature', seq: null });
    // A valid signature by one device over a batch naming another.
    await expectTamper(victim, stranger.sendBatch(forged, { deviceId: victim.deviceId }, { deviceId: victim.deviceId }), { status: 401, error: 'bad-signature', kind: 'bad-signature', seq: null });
    const own = await enrolledDevice();
    const crossed = await own.sendBatch(own.record(1), { deviceId: victim.deviceId });
    expect(crossed).toMatchObject({ status: 401, json: { error: 'bad-signature' } });
    expect((await server.collector.alerts(own.deviceId)).at(-1)).toMatchObject({ kind: 'bad-signature' });
    // A body altered after signing.
    const body = own.batchBody(own.record(1));
    const headers = own.signedHeaders('POST', SYNC_PATHS.events, body);
    const altered = await send(server.url + SYNC_PATHS.events, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: body.replace('"seq":', '"seq": ') });
    expect(altered).toMatchObject({ status: 401, json: { error: 'bad-signature' } });
  });

  it('invalid event: correctly chained but not a canonical audit event; nothing of the batch is stored', async () => {
    const device = await enrolledDevice(2);
    device.record(4);
    device.record(1, () => '{"type":"request.blocked","outcome":"blocked","recordedAt":"2026-03-01T09:00:00Z","note":"free text"}');
    await expectTamper(device, device.sendBatch(device.events(3, 7)), { status: 400, error: 'invalid-body', kind: 'invalid-event', seq: 7 });
  });

  it('a signed request from an enrolled device that is not a valid batch is refused and alerted, naming paths only', async () => {
    const device = await enrolledDevice(1);
    const secret = 'Jane-Roe-DOB-1961';
    for (const body of [JSON.stringify({ deviceId: device.deviceId, events: [{ seq: 'two', body: secret }] }), `{"events": [${secret}`]) {
      expect(await device.postEvents(body)).toMatchObject({ status: 400, json: { error: 'invalid-body' } });
    }
    const alerts = await alertsOf(device);
    // The second folds into the first (same kind, device and source within the window).
    expect(alerts.map((a) => [a.kind, a.seq, a.occurrences])).toEqual([['invalid-event', null, 2]]);
    expect(alerts[0]?.detail).toMatch(/not a valid event batch \(.*events\.0\.seq/);
    expect(JSON.stringify(alerts)).not.toContain('Jane');
    expect(await storedSeqs(device)).toEqual([1]);
  });

  it('alerts name sequence numbers and reasons, never event content', async () => {
    const device = await enrolledDevice(2);
    const secret = 'Jane-Roe-DOB-1961';
    const events = device.record(2, () => auditBody({ reason: secret }));
    await device.sendBatch(events.map((e) => ({ ...e, body: e.body.replace(secret, 'X') })));
    const alerts = await alertsOf(device);
    expect(alerts.length).toBeGreaterThan(0);
    expect(JSON.stringify(alerts)).not.toMatch(/Jane|X"/);
  });

  it('device requests without valid device headers are refused without storing anything', async () => {
    const reply = await send(server.url + SYNC_PATHS.status);
    expect(reply).toMatchObject({ status: 401, json: { error: 'bad-signature' } });
    expect(String(reply.json.message)).toContain('cordon-device');
  });
});
