// Seeded fuzzing of every endpoint over real HTTP, on each storage: thousands of random
// and mutated bodies and headers (some correctly signed, so they reach batch
// verification). Never a 5xx, always a JSON error, and afterwards the collector is healthy,
// the fuzzed device's stored chain still verifies, and a fresh device syncs normally.
import { expect, it } from 'vitest';
import { DEVICE_HEADERS, GENESIS_LINK_HEX, SYNC_PATHS } from '../../../common/audit/syncProtocol';
import { describeOnEachStorage, useTestCollector } from './collectorHarness';
import { link, postJson, send, TestDevice, type Reply } from './collectorTestDevice';

const SEED = Number(process.env.CORDON_FUZZ_SEED ?? 20260301);

/** mulberry32: small, seedable, good enough to pick mutations. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class Mutator {
  constructor(readonly next: () => number) {}
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)] as T;
  }
  text(max: number, alphabet = 'abcXYZ019-_ /.:{}[]",\\\u00e9\u4e2d\u0000\ud83d\ude00'): string {
    return Array.from({ length: this.int(max + 1) }, () => this.pick([...alphabet])).join('');
  }
  value(depth = 0): unknown {
    const leaves: (() => unknown)[] = [
      () => null,
      () => this.pick([true, false]),
      () => this.pick([0, -1, 1, 1.5, 2 ** 31, 2 ** 53 + 2, -(2 ** 63), 1e308, Number.MAX_SAFE_INTEGER]),
      () => this.text(40),
      () => 'x'.repeat(this.pick([4096, 5000, 70_000])),
      () => GENESIS_LINK_HEX,
    ];
    if (depth < 3) leaves.push(() => Array.from({ length: this.int(4) }, () => this.value(depth + 1)), () => Object.fromEntries(Array.from({ length: this.int(4) }, () => [this.text(8), this.value(depth + 1)])));
    return this.pick(leaves)();
  }
  /** Replaces, deletes or adds one field somewhere in a JSON document. */
  structural(document: unknown): unknown {
    const copy = structuredClone(document);
    let node: unknown = copy;
    for (let steps = this.int(4); steps > 0; steps -= 1) {
      if (typeof node !== 'object' || node === null) break;
      const keys = Object.keys(node);
      if (keys.length === 0) break;
      const child = (node as Record<string, unknown>)[this.pick(keys)];
      if (typeof child !== 'object' || child === null) break;
      node = child;
    }
    if (typeof node !== 'object' || node === null) return this.value();
    const target = node as Record<string, unknown>;
    const keys = Object.keys(target);
    const action = this.int(3);
    if (action === 0 && keys.length > 0) Reflect.deleteProperty(target, this.pick(keys));
    else if (action === 1 && keys.length > 0) target[this.pick(keys)] = this.value();
    else target[this.text(10) || 'extra'] = this.value();
    return copy;
  }
  /** Byte-level damage to a serialized document. */
  raw(text: string): string {
    switch (this.int(6)) {
      case 0:
        return text.slice(0, this.int(text.length));
      case 1: {
        const at = this.int(text.length);
        return text.slice(0, at) + this.text(3) + text.slice(at + 1);
      }
      case 2:
        return text + this.text(10);
      case 3:
        return '['.repeat(this.pick([10, 5000])) + ']'.repeat(this.int(3));
      case 4:
        return this.text(200);
      default:
        return '';
    }
  }
  mutate(document: unknown): string {
    return this.int(3) === 0 ? this.raw(JSON.stringify(document)) : JSON.stringify(this.structural(document));
  }
}

describeOnEachStorage('collector fuzz', (storage) => {
  const server = useTestCollector(storage);

  it(`survives thousands of random and mutated requests on every endpoint (seed ${SEED})`, { timeout: 240_000 }, async () => {
    const m = new Mutator(random(SEED));
    const device = new TestDevice(server.url);
    await device.enrollWithCode(server.collector);
    device.record(3);
    expect((await device.sendBatch(device.chain)).status).toBe(200);
    const validBatch = JSON.parse(device.batchBody(device.record(5)));
    const validEnrollment = device.enrollmentRequest({ kind: 'enrollment-code', code: 'ABCD-EFGH-JKLM-NPQR' });
    const contentTypes = ['application/json', 'application/json; charset=utf-8', 'text/plain', 'application/x-www-form-urlencoded', 'application/octet-stream'];

    const requests: (() => Promise<Reply>)[] = [];
    for (let i = 0; i < 800; i += 1) requests.push(() => postJson(server.url + SYNC_PATHS.enroll, m.mutate(validEnrollment)));
    for (let i = 0; i < 1200; i += 1) requests.push(() => device.postEvents(m.mutate(validBatch)));
    for (let i = 0; i < 400; i += 1) {
      requests.push(() => {
        const body = m.mutate(validBatch);
        const headers = device.signedHeaders('POST', SYNC_PATHS.events, body);
        const name = m.pick(Object.values(DEVICE_HEADERS));
        headers[name] = m.pick([m.text(30, 'abcdef0123456789-_:.TZ'), '', String(Date.now()), headers[name]?.slice(1) ?? '']);
        return postJson(server.url + SYNC_PATHS.events, body, headers);
      });
    }
    for (let i = 0; i < 300; i += 1) requests.push(() => send(server.url + SYNC_PATHS.status, { headers: { [m.pick(Object.values(DEVICE_HEADERS))]: m.text(64, 'abcdef0123456789') } }));
    for (let i = 0; i < 300; i += 1) {
      requests.push(() => {
        const method = m.pick(['GET', 'POST', 'PUT', 'DELETE', 'PATCH']);
        const target = m.pick([SYNC_PATHS.enroll, SYNC_PATHS.events, SYNC_PATHS.status, '/health', '/metrics', `/${m.text(20, 'abc/%.')}`, `${SYNC_PATHS.events}?${m.text(10)}`]);
        const body = method === 'GET' ? undefined : m.raw(JSON.stringify(validBatch));
        return send(server.url + target, { method, headers: { 'content-type': m.pick(contentTypes) }, ...(body === undefined ? {} : { body }) });
      });
    }

    const failures: string[] = [];
    const statuses = new Map<number, number>();
    for (let start = 0; start < requests.length; start += 8) {
      const replies = await Promise.all(requests.slice(start, start + 8).map((request) => request()));
      replies.forEach((reply, offset) => {
        statuses.set(reply.status, (statuses.get(reply.status) ?? 0) + 1);
        const jsonError = reply.status < 400 || (typeof reply.json.error === 'string' && typeof reply.json.message === 'string');
        if (reply.status >= 500 || !jsonError) failures.push(`request ${start + offset}: HTTP ${reply.status} ${reply.text.slice(0, 200)}`);
      });
    }
    console.log(`collector fuzz [${storage.name}] seed ${SEED}: ${requests.length} requests, statuses ${JSON.stringify(Object.fromEntries(statuses))}`);
    expect(failures, `seed ${SEED}`).toEqual([]);
    expect(requests.length).toBeGreaterThanOrEqual(3000);

    expect((await send(`${server.url}/health`)).status).toBe(200);
    // Whatever was accepted still forms one valid chain from genesis.
    let previous = GENESIS_LINK_HEX;
    const stored = await server.collector.deviceEvents(device.deviceId);
    stored.forEach((event, index) => {
      expect(event.seq).toBe(index + 1);
      previous = link(previous, event.body);
      expect(event.link).toBe(previous);
    });
    const fresh = new TestDevice(server.url);
    await fresh.enrollWithCode(server.collector);
    expect(await fresh.sendBatch(fresh.record(10))).toMatchObject({ status: 200, json: { acknowledgedSeq: 10 } });
  });
});
