// The console's Access routes and the devices list on SQLite and PostgreSQL, against the real
// collector and the demo IdP: IT revokes and reinstates a device and a VA and sets a VA's end
// date (each change in the access log, refusals with clear words); the devices list shows a
// revoked device since when, and each device's latest posture result per check from the
// device.posture-changed events it delivered. The lookups a device's batch and the devices
// list make use their indexes on both engines.
import { CompiledQuery, sql, type Compilable, type Kysely } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { revocationInForceQuery } from '../../../collector/access/accessStanding';
import type { StorageConfig } from '../../../collector/collectorConfig';
import { latestPostureQuery } from '../../../collector/console/devicePosture';
import { openDatabase, type CollectorDatabase } from '../../../collector/database';
import { CONSOLE_ROUTES, routePath, type AccessPanel, type AccessRevocationRow } from '../../../common/console/consoleApi';
import { ConsoleHttpUser } from '../../support/consoleHttpUser';
import { startConsoleStack, type ConsoleStack } from '../../support/consoleStack';
import { describeOnEachStorage } from './collectorHarness';
import { TestDevice } from './collectorTestDevice';
import { body } from './rulesStream';

type DeviceRow = { deviceId: string; revokedSince: string | null; posture: unknown[] };

/** The plan an engine chooses for a query (PostgreSQL told to avoid a sequential scan, which it prefers on tiny tables). */
async function planOf(db: Kysely<CollectorDatabase>, kind: StorageConfig['kind'], query: Compilable): Promise<string> {
  const { sql: text, parameters } = query.compile();
  if (kind === 'sqlite') {
    const rows = await db.executeQuery<{ detail: string }>(CompiledQuery.raw(`explain query plan ${text}`, [...parameters]));
    return rows.rows.map((r) => r.detail).join('\n');
  }
  return db.connection().execute(async (connection) => {
    await sql`set enable_seqscan = off`.execute(connection);
    try {
      const rows = await connection.executeQuery<{ 'QUERY PLAN': string }>(CompiledQuery.raw(`explain ${text}`, [...parameters]));
      return rows.rows.map((r) => r['QUERY PLAN']).join('\n');
    } finally {
      await sql`reset enable_seqscan`.execute(connection);
    }
  });
}

describeOnEachStorage('console: access', (storage) => {
  let stack: ConsoleStack;
  let storageConfig: StorageConfig;
  let removeStorage: () => Promise<void>;
  let db: Kysely<CollectorDatabase>;
  let ada: ConsoleHttpUser;
  let laptop: TestDevice;
  let desk: TestDevice;

  beforeAll(async () => {
    const created = await storage.create();
    storageConfig = created.storage;
    removeStorage = created.remove;
    stack = await startConsoleStack({ storage: created.storage, seed: false });
    db = await openDatabase(storageConfig);
    ada = await ConsoleHttpUser.signedIn(stack, 'ada');
    laptop = new TestDevice(stack.collector.url, 'VA-LT-7');
    desk = new TestDevice(stack.collector.url, 'Front desk');
    for (const device of [laptop, desk]) await device.enrollWithCode(stack.collector);
    const at = (minute: number) => new Date(Date.parse('2026-11-30T14:00:00.000Z') + minute * 60_000).toISOString();
    const posture = (reason: string, minute: number) => body({ type: 'device.posture-changed', reason, at: at(minute), outcome: reason.includes(':pass:') ? 'success' : 'failure' });
    const reasons: [string, number][] = [
      ['diskEncryption:fail:required', 0],
      ['firewall:pass:recommended', 0],
      ['screenLock:pass:required', 0],
      ['diskEncryption:pass:required', 30],
      ['firewall:unknown:recommended', 90],
      // A reason that does not read: the newest screenLock event counts for nothing.
      ['screenLock:maybe:required', 95],
    ];
    const events = laptop.record(reasons.length + 2, (i) => {
      const reason = reasons[i];
      return reason === undefined ? body({ type: 'app.started', reason: 'build 1.4.0', at: at(100 + i) }) : posture(...reason);
    });
    expect((await laptop.sendBatch(events)).status).toBe(200);
  }, 120_000);
  afterAll(async () => {
    await db?.destroy();
    await stack?.close();
    await removeStorage?.();
  });

  const accessPanel = async () => {
    const answer = await ada.request('GET', CONSOLE_ROUTES.access.path);
    expect(answer.status, answer.text).toBe(200);
    return answer.json as unknown as AccessPanel;
  };
  const devices = async () => {
    const answer = await ada.request('GET', CONSOLE_ROUTES.devices.path);
    expect(answer.status, answer.text).toBe(200);
    return new Map((answer.json.items as DeviceRow[]).map((d) => [d.deviceId, d]));
  };
  const log = async () => {
    const cora = await ConsoleHttpUser.signedIn(stack, 'cora');
    return (await cora.request('GET', `${CONSOLE_ROUTES.accessLog.path}?limit=200`)).json.items as { actor: string; action: string; outcome: string; target: string }[];
  };

  it('lets IT revoke a device, shows it revoked since then, refuses a second revoke, and reinstates it; all in the access log', async () => {
    const revoked = await ada.request('POST', routePath(CONSOLE_ROUTES.revokeDevice.path, { deviceId: desk.deviceId }), { body: {} });
    expect(revoked.status, revoked.text).toBe(200);
    const [row] = revoked.json.changed as AccessRevocationRow[];
    expect(row).toMatchObject({ kind: 'device', target: desk.deviceId, deviceName: 'Front desk', reason: 'revoked', createdBy: 'demo-adm-0001', liftedAt: null });
    expect((await devices()).get(desk.deviceId)?.revokedSince).toBe(row?.effectiveAt);
    expect((await devices()).get(laptop.deviceId)?.revokedSince).toBeNull();
    expect((await accessPanel()).revoked).toEqual([row]);

    const again = await ada.request('POST', routePath(CONSOLE_ROUTES.revokeDevice.path, { deviceId: desk.deviceId }), { body: {} });
    expect(again).toMatchObject({ status: 422, json: { error: 'not-changed', message: `device Front desk (${desk.deviceId}) is already revoked, since ${row?.effectiveAt ?? ''}` } });
    const unknown = await ada.request('POST', routePath(CONSOLE_ROUTES.revokeDevice.path, { deviceId: 'e'.repeat(32) }), { body: {} });
    expect(unknown).toMatchObject({ status: 404, json: { error: 'not-found', message: `no enrolled device has the id ${'e'.repeat(32)}` } });
    expect((await ada.request('POST', routePath(CONSOLE_ROUTES.revokeDevice.path, { deviceId: 'Front desk' }), { body: {} })).status).toBe(400);

    const reinstated = await ada.request('POST', routePath(CONSOLE_ROUTES.reinstateDevice.path, { deviceId: desk.deviceId }), { body: {} });
    expect(reinstated.status, reinstated.text).toBe(200);
    expect((await devices()).get(desk.deviceId)?.revokedSince).toBeNull();
    const panel = await accessPanel();
    expect(panel.revoked).toEqual([]);
    expect(panel.history).toEqual([expect.objectContaining({ id: row?.id, liftedBy: 'demo-adm-0001', effectiveAt: row?.effectiveAt })]);
    expect((await ada.request('POST', routePath(CONSOLE_ROUTES.reinstateDevice.path, { deviceId: desk.deviceId }), { body: {} })).status).toBe(422);

    const entries = await log();
    const actor = 'Ada Admin [demo-adm-0001]';
    expect(entries).toContainEqual(expect.objectContaining({ actor, action: 'revoke-device', outcome: 'success', target: `device ${desk.deviceId}` }));
    expect(entries).toContainEqual(expect.objectContaining({ actor, action: 'revoke-device', outcome: 'refused', target: `not-changed: device ${desk.deviceId}` }));
    expect(entries).toContainEqual(expect.objectContaining({ actor, action: 'revoke-device', outcome: 'refused', target: `not-found: device ${'e'.repeat(32)}` }));
    expect(entries).toContainEqual(expect.objectContaining({ actor, action: 'reinstate-device', outcome: 'success', target: `device ${desk.deviceId}` }));
  });

  it("lets IT revoke a VA, set and clear a VA's end date, and reinstate, refusing what cannot be", async () => {
    const revoked = await ada.request('POST', CONSOLE_ROUTES.revokeUser.path, { body: { subject: 'va-nora' } });
    expect(revoked.status, revoked.text).toBe(200);
    expect(revoked.json).toMatchObject({ changed: [{ kind: 'user', target: 'va-nora', deviceName: null, reason: 'revoked' }], note: expect.stringContaining('No session of va-nora has reached this collector') });
    const endsAt = new Date(Date.now() + 30 * 86_400_000).toISOString();
    const ends = await ada.request('POST', CONSOLE_ROUTES.setUserAccessEnd.path, { body: { subject: 'va-olga', endsAt } });
    expect(ends.status, ends.text).toBe(200);
    const panel = await accessPanel();
    expect(panel.revoked.map((r) => r.target)).toEqual(['va-nora']);
    expect(panel.scheduled).toEqual([expect.objectContaining({ target: 'va-olga', reason: 'access-ended', effectiveAt: endsAt })]);

    const past = await ada.request('POST', CONSOLE_ROUTES.setUserAccessEnd.path, { body: { subject: 'va-olga', endsAt: '2020-01-01T00:00:00Z' } });
    expect(past).toMatchObject({ status: 400, json: { error: 'invalid-request', message: expect.stringContaining("to end va-olga's access now, revoke it") } });
    expect((await ada.request('POST', CONSOLE_ROUTES.revokeUser.path, { body: { subject: 'va\u202enora' } })).status).toBe(400);
    expect((await ada.request('POST', CONSOLE_ROUTES.revokeUser.path, { body: { subject: '' } })).status).toBe(400);
    expect((await ada.request('POST', CONSOLE_ROUTES.setUserAccessEnd.path, { body: { subject: 'va-olga', endsAt: 'next friday' } })).status).toBe(400);

    expect((await ada.request('POST', CONSOLE_ROUTES.setUserAccessEnd.path, { body: { subject: 'va-olga', endsAt: null } })).status).toBe(200);
    expect((await ada.request('POST', CONSOLE_ROUTES.setUserAccessEnd.path, { body: { subject: 'va-olga', endsAt: null } })).json).toMatchObject({ error: 'not-changed', message: 'VA va-olga has no access end date to clear' });
    expect((await ada.request('POST', CONSOLE_ROUTES.reinstateUser.path, { body: { subject: 'va-nora' } })).status).toBe(200);
    expect((await ada.request('POST', CONSOLE_ROUTES.reinstateUser.path, { body: { subject: 'va-nora' } })).json).toMatchObject({ error: 'not-changed', message: 'VA va-nora is not revoked' });
    const after = await accessPanel();
    expect([after.revoked, after.scheduled]).toEqual([[], []]);
    expect(after.history.map((r) => r.target).sort()).toEqual([desk.deviceId, 'va-nora', 'va-olga']);

    const entries = await log();
    expect(entries).toContainEqual(expect.objectContaining({ action: 'set-user-access-end', outcome: 'success', target: `VA va-olga: access ends ${endsAt}` }));
    expect(entries).toContainEqual(expect.objectContaining({ action: 'set-user-access-end', outcome: 'success', target: 'VA va-olga: end date cleared' }));
    expect(entries).toContainEqual(expect.objectContaining({ action: 'reinstate-user', outcome: 'refused', target: 'not-changed: VA va-nora' }));
  });

  it("shows each device's latest posture result per check, from the events it delivered", async () => {
    const listed = await devices();
    expect(listed.get(laptop.deviceId)?.posture).toEqual([
      { check: 'diskEncryption', result: 'pass', level: 'required', at: '2026-11-30T14:30:00.000Z' },
      { check: 'firewall', result: 'unknown', level: 'recommended', at: '2026-11-30T15:30:00.000Z' },
    ]);
    expect(listed.get(desk.deviceId)?.posture).toEqual([]);
  });

  it("finds a device's revocation and its latest posture events through their indexes on this engine", async () => {
    const lookup = await planOf(db, storageConfig.kind, revocationInForceQuery(db, 'device', desk.deviceId, Date.now()));
    expect(lookup).toContain('access_revocations_open');
    const posture = await planOf(db, storageConfig.kind, latestPostureQuery(db));
    for (const index of ['events_posture_diskencryption', 'events_posture_screenlock', 'events_posture_osversion', 'events_posture_firewall', 'events_posture_antivirus']) expect(posture).toContain(index);
  });
});
