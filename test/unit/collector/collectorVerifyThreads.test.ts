// The collector's verification threads end to end, over real HTTP with real device keys: four
// devices sending at once are verified on a worker thread (as /metrics counts), every event
// is stored exactly once in chain order, and an edited batch sent among them is refused with
// its alert and nothing of it stored. The same on PostgreSQL with --verify-workers 1.
import { expect, it } from 'vitest';
import { firstChainBreak } from '../../../common/audit/hashChain';
import { GENESIS_LINK_HEX } from '../../../common/audit/syncProtocol';
import { sha256Link } from '../../../collector/chainDigest';
import { describeOnEachStorage, useTestCollector } from './collectorHarness';
import { auditBody, send, TestDevice } from './collectorTestDevice';

const METRICS = { authorization: 'Bearer metrics-secret-threads' };
const DEVICES = 4;
const BATCHES = 6;

describeOnEachStorage('collector verification threads', (storage) => {
  const server = useTestCollector(storage, { verifyWorkers: 1, metricsToken: 'metrics-secret-threads' });
  const metric = async (name: string) => Number(new RegExp(`^${name} (\\d+)$`, 'm').exec((await send(`${server.url}/metrics`, { headers: METRICS })).text)?.[1]);

  it('stores every batch of devices sending at once exactly once, checked on a thread, and refuses an edited one among them', async () => {
    const devices = await Promise.all(
      Array.from({ length: DEVICES }, async () => {
        const device = new TestDevice(server.url);
        await device.enrollWithCode(server.collector);
        return device;
      }),
    );
    const statuses = await Promise.all(
      devices.map(async (device) => {
        const seen: number[] = [];
        for (let i = 0; i < BATCHES; i += 1) seen.push((await device.sendBatch(device.record(200))).status);
        return seen;
      }),
    );
    expect(statuses.flat()).toEqual(Array(DEVICES * BATCHES).fill(200));
    expect(await metric('cordon_collector_batches_checked_on_threads_total')).toBeGreaterThan(0);

    // One device edits an event of its next batch while the others keep sending.
    const [tamperer, ...others] = devices as [TestDevice, ...TestDevice[]];
    const edited = tamperer.record(50).map((e, i) => (i === 20 ? { ...e, body: auditBody({ outcome: 'failure' }) } : e));
    const [refused, ...accepted] = await Promise.all([tamperer.sendBatch(edited), ...others.map((device) => device.sendBatch(device.record(200)))]);
    expect(refused).toMatchObject({ status: 409, json: { error: 'chain-mismatch' } });
    expect(accepted.map((reply) => reply.status)).toEqual(others.map(() => 200));
    expect((await server.collector.alerts(tamperer.deviceId)).at(-1)).toMatchObject({ kind: 'edit', seq: BATCHES * 200 + 21 });

    for (const device of devices) {
      const stored = await server.collector.deviceEvents(device.deviceId);
      const sent = device === tamperer ? device.chain.slice(0, BATCHES * 200) : device.chain;
      expect(stored.map(({ seq, body, link }) => ({ seq, body, link }))).toEqual(sent);
      expect(firstChainBreak(sha256Link, { seq: 0, link: GENESIS_LINK_HEX }, stored)).toBeNull();
    }
    expect(await metric('cordon_collector_verify_threads_stopped_total')).toBe(0);
  });
});
