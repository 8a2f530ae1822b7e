// Legal holds on SQLite and PostgreSQL: placed with who, when and why, validated, released
// once with who and when, and listed while active.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { CollectorStore } from '../../../collector/collectorStore';
import { activeHolds, placeHold, releaseHold } from '../../../collector/retention/legalHolds';
import { describeOnEachStorage } from './collectorHarness';

const DEVICE = 'ab'.repeat(16);
const T0 = Date.parse('2027-01-04T10:00:00.000Z');

describeOnEachStorage('legal holds', (storage) => {
  let store: CollectorStore;
  let remove: () => Promise<void>;
  beforeAll(async () => {
    const created = await storage.create();
    remove = created.remove;
    store = await CollectorStore.open(created.storage);
    await store.enrollDevice({ deviceId: DEVICE, publicKeyPem: 'unused', deviceName: 'Front desk', enrollmentMethod: 'enrollment-code', enrolledBy: null, enrolledAt: T0 }, '0'.repeat(64), null);
  });
  afterAll(async () => {
    await store?.close();
    await remove?.();
  });

  it('places holds on a VA and on an enrolled device, with who, when and why, and lists the active ones', async () => {
    const user = await placeHold(store.database, { kind: 'user', target: 'va-0042', reason: 'Litigation hold, matter 2027-031', by: 'Cora Compliance [demo-cmp-0001]' }, T0);
    const device = await placeHold(store.database, { kind: 'device', target: DEVICE, reason: 'Breach investigation', by: 'command line (it)' }, T0 + 1000);
    expect(user).toEqual({ ok: true, hold: { id: expect.any(Number), kind: 'user', target: 'va-0042', reason: 'Litigation hold, matter 2027-031', placedBy: 'Cora Compliance [demo-cmp-0001]', placedAt: '2027-01-04T10:00:00.000Z', releasedBy: null, releasedAt: null } });
    expect(device).toMatchObject({ ok: true, hold: { kind: 'device', target: DEVICE, placedAt: '2027-01-04T10:00:01.000Z' } });
    expect((await activeHolds(store.database)).map((h) => h.target)).toEqual(['va-0042', DEVICE]);
  });

  it('refuses a hold with a clear message: unknown device, not a device id, empty reason, control characters, unknown kind', async () => {
    const cases: [Parameters<typeof placeHold>[1], RegExp][] = [
      [{ kind: 'device', target: 'cd'.repeat(16), reason: 'x', by: 'it' }, /no enrolled device has the id cdcd/],
      [{ kind: 'device', target: 'front desk', reason: 'x', by: 'it' }, /target: a device hold names a device id/],
      [{ kind: 'user', target: 'va-1', reason: '   ', by: 'it' }, /reason: the reason must not be empty/],
      [{ kind: 'user', target: 'va-1\u001b[31m', reason: 'x', by: 'it' }, /target: the target must not contain control characters/],
      [{ kind: 'everyone' as 'user', target: 'va-1', reason: 'x', by: 'it' }, /kind/],
    ];
    for (const [request, message] of cases) {
      const result = await placeHold(store.database, request, T0);
      expect(result.ok, JSON.stringify(request)).toBe(false);
      if (!result.ok) expect(result.message).toMatch(message);
    }
    expect(await activeHolds(store.database)).toHaveLength(2);
  });

  it('releases a hold once, recording who and when; a second release or an unknown id is refused', async () => {
    const [first] = await activeHolds(store.database);
    const released = await releaseHold(store.database, first?.id as number, 'Cora Compliance [demo-cmp-0001]', T0 + 60_000);
    expect(released).toMatchObject({ ok: true, hold: { id: first?.id, releasedBy: 'Cora Compliance [demo-cmp-0001]', releasedAt: '2027-01-04T10:01:00.000Z' } });
    expect(await releaseHold(store.database, first?.id as number, 'someone else', T0 + 120_000)).toEqual({ ok: false, message: `legal hold ${first?.id} was already released by Cora Compliance [demo-cmp-0001] at 2027-01-04T10:01:00.000Z` });
    expect(await releaseHold(store.database, 9999, 'it', T0)).toEqual({ ok: false, message: 'there is no legal hold 9999' });
    expect(await releaseHold(store.database, -1, 'it', T0)).toMatchObject({ ok: false, message: expect.stringContaining('holdId') });
    expect((await activeHolds(store.database)).map((h) => h.target)).toEqual([DEVICE]);
  });
});
