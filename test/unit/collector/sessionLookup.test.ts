// A session code read off a photo of the screen leads to the session: device, user
// subject, time span and what happened, on each storage, over events really ingested.
import { expect, it } from 'vitest';
import { describeOnEachStorage, useTestCollector } from './collectorHarness';
import { auditBody, TestDevice } from './collectorTestDevice';

describeOnEachStorage('session lookup by watermark code', (storage) => {
  const server = useTestCollector(storage);

  it('finds the device, subject, span and events of a session, and nothing of another', async () => {
    const laptop = new TestDevice(server.url, 'VA laptop 7');
    await laptop.enrollWithCode(server.collector);
    const session = { subject: 'sub-valerie', session: '7K2M-QX4P' };
    laptop.record(1, () => auditBody({ type: 'app.started', outcome: 'success', appId: undefined, origin: undefined, reason: undefined }));
    laptop.record(3, () => auditBody({ ...session, type: 'clipboard.blocked', reason: 'copy' }));
    laptop.record(1, () => auditBody({ subject: 'sub-sam', session: '9ZZZ-0001', type: 'print.blocked', reason: 'window-print' }));
    laptop.record(1, () => auditBody({ ...session, type: 'session.locked', outcome: 'success', origin: undefined, reason: 'idle' }));
    expect((await laptop.sendBatch(laptop.chain)).status).toBe(200);

    const [found, ...others] = await server.collector.findSession('7k2m-qx4p');
    expect(others).toEqual([]);
    expect(found).toMatchObject({ deviceId: laptop.deviceId, deviceName: 'VA laptop 7', subjects: ['sub-valerie'], events: 4, types: { 'clipboard.blocked': 3, 'session.locked': 1 } });
    expect((found?.firstRecordedAt ?? '') < (found?.lastRecordedAt ?? '')).toBe(true);
    expect(await server.collector.findSession('AAAA-BBBB')).toEqual([]);
  });

  it('refuses what is not a session code, before it reaches a query', async () => {
    await expect(server.collector.findSession('%"')).rejects.toThrow(/not a session code/);
    await expect(server.collector.findSession('ILOU-0000')).rejects.toThrow(/not a session code/);
  });
});
