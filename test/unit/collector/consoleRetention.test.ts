// The console's retention panel on SQLite and PostgreSQL: compliance places and releases
// legal holds (with CSRF, who, when and why kept, each change in the access log), IT sees
// them and changes none, supervisors see nothing; a real disposal run over the collector's
// database shows as its signed records and its own account of what it did and kept under
// a hold; the collector's periods and next run show once the collector passes them.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { StorageConfig } from '../../../collector/collectorConfig';
import { loadOrCreateCollectorKey } from '../../../collector/console/accessLog';
import { retentionPanel, type RetentionSettings } from '../../../collector/console/retentionPanel';
import { openDatabase } from '../../../collector/database';
import { runDisposal } from '../../../collector/retention/disposal';
import { describeDisposalRun, type DisposalRunResult } from '../../../collector/retention/disposalResult';
import { CONSOLE_ROUTES, routePath, type LegalHoldRow, type RetentionPanel } from '../../../common/console/consoleApi';
import { ConsoleHttpUser } from '../../support/consoleHttpUser';
import { startConsoleStack, type ConsoleStack } from '../../support/consoleStack';
import { describeOnEachStorage } from './collectorHarness';
import { TestDevice } from './collectorTestDevice';
import { body } from './rulesStream';

const DAY = 86_400_000;
const ONE_DAY = { days: 1 };

describeOnEachStorage('console: retention panel', (storage) => {
  let stack: ConsoleStack;
  let storageConfig: StorageConfig;
  let removeStorage: () => Promise<void>;
  let cora: ConsoleHttpUser;
  let ada: ConsoleHttpUser;
  let sam: ConsoleHttpUser;
  let free: TestDevice;
  let held: TestDevice;
  const now = Date.now();

  beforeAll(async () => {
    const created = await storage.create();
    storageConfig = created.storage;
    removeStorage = created.remove;
    stack = await startConsoleStack({ storage: created.storage, seed: false });
    cora = await ConsoleHttpUser.signedIn(stack, 'cora');
    ada = await ConsoleHttpUser.signedIn(stack, 'ada');
    sam = await ConsoleHttpUser.signedIn(stack, 'sam');
    // Two devices with a session ten days ago and one event today: the old part is past a one-day period.
    free = new TestDevice(stack.collector.url, 'VA-LT-301 (free)');
    held = new TestDevice(stack.collector.url, 'VA-LT-302 (held)');
    try {
      for (const [i, device] of [free, held].entries()) {
        stack.clock.travelTo(now - 11 * DAY);
        await device.enrollWithCode(stack.collector);
        const session = { subject: `va-retained-${i}`, session: `RT${i}0-0001`, appId: 'ehr' };
        const old = now - 10 * DAY;
        const events = device.record(3, (j) => body({ type: ['sign-in.succeeded', 'app.opened', 'sign-out'][j] as string, at: new Date(old + j * 60_000).toISOString(), ...session }));
        stack.clock.travelTo(old + 5 * 60_000);
        expect((await device.sendBatch(events, {}, { timestamp: new Date(old + 5 * 60_000).toISOString() })).status).toBe(200);
        stack.clock.travelTo(null);
        expect((await device.sendBatch(device.record(1, () => body({ type: 'app.started', at: new Date(now).toISOString() })))).status).toBe(200);
      }
    } finally {
      stack.clock.travelTo(null);
    }
  }, 120_000);
  afterAll(async () => {
    await stack?.close();
    await removeStorage?.();
  });

  const panel = async (user = cora) => {
    const answer = await user.request('GET', CONSOLE_ROUTES.retention.path);
    expect(answer.status).toBe(200);
    return answer.json as unknown as RetentionPanel;
  };
  const place = (request: { kind: 'user' | 'device'; target: string; reason: string }, user = cora) => user.request('POST', CONSOLE_ROUTES.placeHold.path, { body: request });
  const release = (id: number, user = cora) => user.request('POST', routePath(CONSOLE_ROUTES.releaseHold.path, { id }), { body: {} });

  it('shows a collector without retention settings as such, with nothing held or disposed', async () => {
    expect(await panel()).toEqual({ settings: null, runningSince: null, lastRun: null, holds: [], disposals: [] });
  });

  it('lets compliance place and release holds, each with who, when and why, and in the access log', async () => {
    const onVa = await place({ kind: 'user', target: 'va-retained-0', reason: 'Records request R-2207' });
    expect(onVa.status).toBe(200);
    expect(onVa.json).toMatchObject({ kind: 'user', target: 'va-retained-0', reason: 'Records request R-2207', placedBy: 'Cora Compliance [demo-cmp-0001]', releasedAt: null });
    const onDevice = (await place({ kind: 'device', target: held.deviceId, reason: 'Laptop returned damaged: insurance claim' })).json as unknown as LegalHoldRow;
    expect((await panel()).holds.map((h) => [h.kind, h.target, h.reason])).toEqual([
      ['user', 'va-retained-0', 'Records request R-2207'],
      ['device', held.deviceId, 'Laptop returned damaged: insurance claim'],
    ]);

    const released = await release(Number(onVa.json.id));
    expect(released.json).toMatchObject({ id: onVa.json.id, releasedBy: 'Cora Compliance [demo-cmp-0001]' });
    expect(Date.parse(String(released.json.releasedAt))).toBeGreaterThanOrEqual(Date.parse(String(released.json.placedAt)));
    expect((await panel()).holds.map((h) => h.id)).toEqual([onDevice.id]);
    // Released is released: a second release is refused, in words.
    const again = await release(Number(onVa.json.id));
    expect([again.status, again.json.error]).toEqual([422, 'not-released']);
    expect(String(again.json.message)).toMatch(new RegExp(`legal hold ${String(onVa.json.id)} was already released by Cora Compliance`));

    const log = (await cora.request('GET', `${CONSOLE_ROUTES.accessLog.path}?limit=200`)).json.items as { action: string; outcome: string; target: string | null }[];
    expect(log).toContainEqual(expect.objectContaining({ action: 'place-legal-hold', outcome: 'success', target: `legal hold #${String(onVa.json.id)} on user va-retained-0` }));
    expect(log).toContainEqual(expect.objectContaining({ action: 'release-legal-hold', outcome: 'success', target: `legal hold #${String(onVa.json.id)} on user va-retained-0 released` }));
    expect(log).toContainEqual(expect.objectContaining({ action: 'release-legal-hold', outcome: 'refused', target: `not-released: legal hold #${String(onVa.json.id)}` }));
    // The reason may name a legal matter: the hold keeps it, the log does not.
    expect(log.filter((e) => e.target?.includes('R-2207') === true)).toEqual([]);
  });

  it('shows IT the holds and lets no one but compliance change them', async () => {
    const holds = (await panel()).holds;
    expect((await panel(ada)).holds).toEqual(holds);
    expect((await place({ kind: 'user', target: 'va-x', reason: 'by IT' }, ada)).status).toBe(403);
    expect((await release(holds[0]?.id ?? 0, ada)).status).toBe(403);
    expect((await sam.request('GET', CONSOLE_ROUTES.retention.path)).status).toBe(403);
    // A state change without the page's CSRF token is refused, even for compliance.
    expect((await cora.request('POST', CONSOLE_ROUTES.placeHold.path, { body: { kind: 'user', target: 'va-x', reason: 'no token' }, csrf: false })).status).toBe(403);
    expect((await panel()).holds).toEqual(holds);
  });

  it('shows a disposal run: its signed records, and in its own words what it did and kept under the hold', async () => {
    const db = await openDatabase(storageConfig);
    let result: DisposalRunResult;
    try {
      result = await runDisposal({ db, storage: storageConfig.kind, key: loadOrCreateCollectorKey(stack.keyFile) }, { events: ONE_DAY, alerts: ONE_DAY, reviews: ONE_DAY, accessLog: { years: 6 } }, { now: Date.now(), by: 'command line (it-admin)' });
    } finally {
      await db.destroy();
    }
    const shown = await panel();
    const hold = shown.holds[0] as LegalHoldRow;
    expect(shown.lastRun).toEqual({ startedAt: result.startedAt, finishedAt: result.finishedAt, by: 'command line (it-admin)', dryRun: false, failed: false, lines: describeDisposalRun(result) });
    // The free device's old events went; the held one's stayed, and the run says why.
    expect(result.events.map((e) => e.deviceId)).toEqual([free.deviceId]);
    expect(shown.lastRun?.lines.some((line) => line.includes(`kept under legal hold #${hold.id}`))).toBe(true);
    const [run] = result.events;
    expect(shown.disposals).toContainEqual({
      seq: run?.recordSeq,
      at: result.startedAt,
      by: 'command line (it-admin)',
      what: 'events',
      deviceId: free.deviceId,
      count: run?.count,
      detail: `events ${run?.from}..${run?.to}; the kept chain starts at ${(run?.to ?? 0) + 1}`,
      rule: { period: '1 day', cutoff: new Date(Date.parse(result.startedAt) - DAY).toISOString(), basis: 'received' },
    });
  });

  it("shows the collector's periods and its next run once the collector passes its settings", async () => {
    const settings: RetentionSettings = { events: { years: 6 }, alerts: { days: 90 }, reviews: { years: 6 }, accessLog: { years: 7 }, intervalMs: 12 * 3_600_000 };
    const db = await openDatabase(storageConfig);
    try {
      const at = Date.now();
      const lastStart = Date.parse((await panel()).lastRun?.startedAt ?? '');
      const yearsBack = (years: number) => new Date(new Date(at).setUTCFullYear(new Date(at).getUTCFullYear() - years)).toISOString();
      expect((await retentionPanel(db, settings, at)).settings).toEqual({
        periods: {
          events: { period: '6 years', cutoff: yearsBack(6) },
          alerts: { period: '90 days', cutoff: new Date(at - 90 * DAY).toISOString() },
          reviews: { period: '6 years', cutoff: yearsBack(6) },
          accessLog: { period: '7 years', cutoff: yearsBack(7) },
        },
        interval: '12 hours',
        // The last run (the command line's, above) started moments ago: the next is an interval after it.
        nextRunAt: new Date(lastStart + 12 * 3_600_000).toISOString(),
      });
    } finally {
      await db.destroy();
    }
  });
});
