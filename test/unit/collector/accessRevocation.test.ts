// Revoking access on the collector, on SQLite and PostgreSQL, under the test's clock: the
// records (kept as history), the standing they give a device and a VA, the signed answer of
// POST /v1/access-status, the notice in a revoked device's batch acknowledgement (its events
// still stored), and enrollment refused for a revoked device or VA until IT reinstates.
import { createPublicKey, randomBytes, verify } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessStanding, standingOf } from '../../../collector/access/accessStanding';
import { accessPanel, reinstate, revoke, setUserAccessEnd } from '../../../collector/access/revocations';
import { DEFAULT_RETENTION_PERIODS, type StorageConfig } from '../../../collector/collectorConfig';
import { startCollector, type RunningCollector } from '../../../collector/collectorServer';
import { CollectorStore } from '../../../collector/collectorStore';
import { loadOrCreateCollectorKey, type CollectorKey } from '../../../collector/console/accessLog';
import { ACCESS_STATUS_PATH, accessStatementMessage, accessStatusAnswerSchema, ackWithAccessSchema, type AccessStatusAnswer } from '../../../common/audit/accessProtocol';
import { describeOnEachStorage, startTestIssuer, type TestIssuer } from './collectorHarness';
import { postJson, TestDevice } from './collectorTestDevice';

const HOUR = 3_600_000;
const T0 = Date.parse('2026-03-02T15:00:00.000Z');
const iso = (ms: number) => new Date(ms).toISOString();

describe('access standing from open revocations', () => {
  it('is active with no end, active until a VA end date, then ended from it; a revocation in force wins, the earliest first', () => {
    expect(standingOf([], T0)).toEqual({ state: 'active', endsAt: null });
    const end = { effectiveAt: T0 + 48 * HOUR, reason: 'access-ended' as const };
    expect(standingOf([end], T0)).toEqual({ state: 'active', endsAt: iso(T0 + 48 * HOUR) });
    expect(standingOf([end], T0 + 48 * HOUR - 1)).toEqual({ state: 'active', endsAt: iso(T0 + 48 * HOUR) });
    expect(standingOf([end], T0 + 48 * HOUR)).toEqual({ state: 'revoked', since: iso(T0 + 48 * HOUR), reason: 'access-ended' });
    const now = { effectiveAt: T0 + HOUR, reason: 'revoked' as const };
    expect(standingOf([end, now], T0 + 2 * HOUR)).toEqual({ state: 'revoked', since: iso(T0 + HOUR), reason: 'revoked' });
    expect(standingOf([end, now], T0 + 72 * HOUR)).toEqual({ state: 'revoked', since: iso(T0 + HOUR), reason: 'revoked' });
    expect(standingOf([{ effectiveAt: T0 + 5 * HOUR, reason: 'access-ended' }, end], T0)).toEqual({ state: 'active', endsAt: iso(T0 + 5 * HOUR) });
  });
});

/** The collector's signature on an answer, checked with the public half of its key file only. */
function signedByCollector(answer: AccessStatusAnswer, key: CollectorKey): boolean {
  const publicKey = createPublicKey(key.publicKey.export({ format: 'pem', type: 'spki' }));
  return answer.signature.keyId === key.keyId && verify(null, Buffer.from(accessStatementMessage(answer.statement), 'utf8'), publicKey, Buffer.from(answer.signature.value, 'base64'));
}

describeOnEachStorage('access revocation', (storage) => {
  let dir: string;
  let storageConfig: StorageConfig;
  let removeStorage: () => Promise<void>;
  let collector: RunningCollector;
  let store: CollectorStore;
  let key: CollectorKey;
  let issuer: TestIssuer;
  let clock = T0;
  const now = () => clock;
  let device: TestDevice;
  let bystander: TestDevice;

  /** The device's request headers, dated by the test's clock (the collector checks the skew against it). */
  const signedBy = (who: TestDevice, method: string, route: string, body: string, nonce?: string) => who.signedHeaders(method, route, body, { timestamp: iso(clock), ...(nonce === undefined ? {} : { nonce }) });
  const askAccess = (who: TestDevice, body: unknown) => {
    const text = JSON.stringify(body);
    return postJson(collector.url + ACCESS_STATUS_PATH, text, signedBy(who, 'POST', ACCESS_STATUS_PATH, text));
  };
  const deliver = (who: TestDevice, count: number, nonce = randomBytes(16).toString('base64url')) => {
    const body = who.batchBody(who.record(count));
    return { nonce, reply: postJson(`${collector.url}/v1/events`, body, signedBy(who, 'POST', '/v1/events', body, nonce)) };
  };
  const challenge = () => randomBytes(24).toString('base64url');

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'cordon-access-'));
    const created = await storage.create();
    storageConfig = created.storage;
    removeStorage = created.remove;
    issuer = await startTestIssuer();
    const keyFile = path.join(dir, 'collector-key.pem');
    key = loadOrCreateCollectorKey(keyFile);
    collector = await startCollector({
      storage: storageConfig,
      port: 0,
      clock: now,
      rateLimit: { max: 1_000_000, windowMs: 60_000 },
      trustedIssuer: { issuer: issuer.issuer, audience: issuer.audience },
      retention: { ...DEFAULT_RETENTION_PERIODS, intervalMs: null, keyFile },
    });
    store = await CollectorStore.open(storageConfig);
    device = new TestDevice(collector.url, 'VA-LT-7');
    bystander = new TestDevice(collector.url, 'Front desk');
    for (const d of [device, bystander]) expect((await d.enroll({ kind: 'enrollment-code', code: await collector.issueEnrollmentCode() })).status).toBe(201);
  }, 60_000);
  afterAll(async () => {
    await store?.close();
    await collector?.close();
    await issuer?.close();
    await removeStorage?.();
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps revocations as history: revoke, refuse a second revoke, reinstate, an unknown device named', async () => {
    const db = store.database;
    expect(await revoke(db, 'device', 'f'.repeat(32), 'ada', clock)).toEqual({ ok: false, problem: 'unknown-device', message: `no enrolled device has the id ${'f'.repeat(32)}` });
    expect(await revoke(db, 'device', 'VA-LT-7', 'ada', clock)).toMatchObject({ ok: false, problem: 'invalid' });
    const revoked = await revoke(db, 'device', bystander.deviceId, 'ada', clock);
    expect(revoked).toMatchObject({ ok: true, change: { changed: [{ kind: 'device', target: bystander.deviceId, deviceName: 'Front desk', reason: 'revoked', effectiveAt: iso(clock), createdBy: 'ada', liftedAt: null }], note: null } });
    expect(await accessStanding(db, 'device', bystander.deviceId, clock)).toEqual({ state: 'revoked', since: iso(clock), reason: 'revoked' });
    expect(await revoke(db, 'device', bystander.deviceId, 'ada', clock + 1000)).toMatchObject({ ok: false, problem: 'unchanged', message: `device Front desk (${bystander.deviceId}) is already revoked, since ${iso(clock)}` });
    expect(await reinstate(db, 'device', bystander.deviceId, 'cli:it', clock + 2000)).toMatchObject({ ok: true, change: { changed: [{ liftedAt: iso(clock + 2000), liftedBy: 'cli:it' }] } });
    expect(await accessStanding(db, 'device', bystander.deviceId, clock + 2000)).toEqual({ state: 'active', endsAt: null });
    expect(await reinstate(db, 'device', bystander.deviceId, 'cli:it', clock + 3000)).toMatchObject({ ok: false, problem: 'unchanged', message: `device Front desk (${bystander.deviceId}) is not revoked` });
    const panel = await accessPanel(db, clock + 3000);
    expect(panel.revoked.filter((r) => r.target === bystander.deviceId)).toEqual([]);
    expect(panel.history.filter((r) => r.target === bystander.deviceId)).toEqual([expect.objectContaining({ createdBy: 'ada', liftedBy: 'cli:it', effectiveAt: iso(clock) })]);
  });

  it("ends a VA's access on the date IT set, replaces or clears the date, and reinstates only what is in force", async () => {
    const db = store.database;
    const subject = 'va-dana';
    expect(await setUserAccessEnd(db, subject, clock - 1, 'ada', clock)).toMatchObject({ ok: false, problem: 'invalid', message: expect.stringContaining('must be later than now') });
    const first = await setUserAccessEnd(db, subject, clock + 24 * HOUR, 'ada', clock);
    expect(first).toMatchObject({ ok: true, change: { changed: [{ reason: 'access-ended', effectiveAt: iso(clock + 24 * HOUR) }], note: expect.stringContaining('No session of va-dana has reached this collector') } });
    const moved = await setUserAccessEnd(db, subject, clock + 48 * HOUR, 'ada', clock + 1000);
    // The earlier date is lifted, not deleted; the new one is in force.
    expect(moved).toMatchObject({ ok: true, change: { changed: [{ effectiveAt: iso(clock + 24 * HOUR), liftedAt: iso(clock + 1000) }, { effectiveAt: iso(clock + 48 * HOUR), liftedAt: null }] } });
    expect(await accessStanding(db, 'user', subject, clock + 30 * HOUR)).toEqual({ state: 'active', endsAt: iso(clock + 48 * HOUR) });
    expect(await accessStanding(db, 'user', subject, clock + 48 * HOUR)).toEqual({ state: 'revoked', since: iso(clock + 48 * HOUR), reason: 'access-ended' });
    // Past the date: reinstating lifts it; nothing is ahead any more.
    expect(await reinstate(db, 'user', subject, 'ada', clock + 50 * HOUR)).toMatchObject({ ok: true, change: { changed: [{ reason: 'access-ended' }] } });
    expect(await accessStanding(db, 'user', subject, clock + 50 * HOUR)).toEqual({ state: 'active', endsAt: null });
    expect(await setUserAccessEnd(db, subject, null, 'ada', clock + 50 * HOUR)).toMatchObject({ ok: false, problem: 'unchanged', message: 'VA va-dana has no access end date to clear' });

    const other = 'va-emil';
    await setUserAccessEnd(db, other, clock + 24 * HOUR, 'ada', clock);
    expect(await revoke(db, 'user', other, 'ada', clock)).toMatchObject({ ok: true });
    expect(await accessStanding(db, 'user', other, clock)).toEqual({ state: 'revoked', since: iso(clock), reason: 'revoked' });
    // Reinstating lifts the revocation in force; the end date ahead stays.
    await reinstate(db, 'user', other, 'ada', clock + 1000);
    expect(await accessStanding(db, 'user', other, clock + 1000)).toEqual({ state: 'active', endsAt: iso(clock + 24 * HOUR) });
    expect(await setUserAccessEnd(db, other, null, 'ada', clock + 2000)).toMatchObject({ ok: true, change: { changed: [{ liftedAt: iso(clock + 2000) }] } });
    expect(await accessStanding(db, 'user', other, clock + 2000)).toEqual({ state: 'active', endsAt: null });

    // Extending a VA whose end date has passed (what the VA's sentence tells them to ask for) replaces the passed date.
    const late = 'va-faye';
    await setUserAccessEnd(db, late, clock + HOUR, 'ada', clock);
    expect(await accessStanding(db, 'user', late, clock + 2 * HOUR)).toMatchObject({ state: 'revoked', reason: 'access-ended' });
    expect(await setUserAccessEnd(db, late, clock + 30 * 24 * HOUR, 'ada', clock + 2 * HOUR)).toMatchObject({ ok: true, change: { changed: [{ effectiveAt: iso(clock + HOUR), liftedAt: iso(clock + 2 * HOUR) }, { effectiveAt: iso(clock + 30 * 24 * HOUR) }] } });
    expect(await accessStanding(db, 'user', late, clock + 2 * HOUR)).toEqual({ state: 'active', endsAt: iso(clock + 30 * 24 * HOUR) });
    // A revocation is not an end date: changing the date leaves it in force.
    await revoke(db, 'user', late, 'ada', clock + 3 * HOUR);
    await setUserAccessEnd(db, late, clock + 40 * 24 * HOUR, 'ada', clock + 4 * HOUR);
    expect(await accessStanding(db, 'user', late, clock + 4 * HOUR)).toMatchObject({ state: 'revoked', reason: 'revoked' });
  });

  it("answers POST /v1/access-status with the device's and the VA's standing, signed by the collector key and bound to the challenge", async () => {
    await setUserAccessEnd(store.database, 'va-anna', clock + 24 * HOUR, 'ada', clock);
    const asked = challenge();
    const reply = await askAccess(device, { subject: 'va-anna', challenge: asked });
    expect(reply.status, reply.text).toBe(200);
    const answer = accessStatusAnswerSchema.parse(reply.json);
    expect(answer.statement).toEqual({
      format: 'cordon-access-status/1',
      deviceId: device.deviceId,
      subject: 'va-anna',
      challenge: asked,
      issuedAt: iso(clock),
      device: { state: 'active', endsAt: null },
      user: { state: 'active', endsAt: iso(clock + 24 * HOUR) },
    });
    expect(signedByCollector(answer, key)).toBe(true);
    // Any change to what it says breaks the signature: the device refuses a tampered answer.
    expect(signedByCollector({ ...answer, statement: { ...answer.statement, subject: 'va-ben' } }, key)).toBe(false);
    expect(signedByCollector({ ...answer, statement: { ...answer.statement, challenge: challenge() } }, key)).toBe(false);

    const alone = accessStatusAnswerSchema.parse((await askAccess(device, { subject: null, challenge: asked })).json);
    expect(alone.statement).toMatchObject({ subject: null, user: null, device: { state: 'active', endsAt: null } });
    expect(signedByCollector(alone, key)).toBe(true);

    for (const bad of [{ subject: 'va-anna' }, { subject: 'va-anna', challenge: 'short' }, { subject: '', challenge: asked }, { subject: null, challenge: asked, extra: true }]) {
      const refused = await askAccess(device, bad);
      expect(`${JSON.stringify(bad)} ${refused.status} ${String(refused.json.error)}`).toBe(`${JSON.stringify(bad)} 400 invalid-body`);
    }
    const unsigned = await postJson(collector.url + ACCESS_STATUS_PATH, JSON.stringify({ subject: null, challenge: asked }));
    expect(unsigned.status).toBe(401);
  });

  it("stores a revoked device's batch and tells it, in the acknowledgement, that it is revoked (bound to the request's nonce)", async () => {
    const plain = deliver(device, 2);
    const before = await plain.reply;
    expect(before.status, before.text).toBe(200);
    // A device that may work hears only its acknowledgement.
    expect(Object.keys(before.json).sort()).toEqual(['acknowledgedLink', 'acknowledgedSeq']);

    const revokedAt = clock;
    expect(await revoke(store.database, 'device', device.deviceId, 'ada', revokedAt)).toMatchObject({ ok: true });
    clock += 60_000;
    const sent = deliver(device, 3);
    const reply = await sent.reply;
    expect(reply.status, reply.text).toBe(200);
    const ack = ackWithAccessSchema.parse(reply.json);
    expect(ack).toMatchObject({ acknowledgedSeq: device.head.seq, acknowledgedLink: device.head.link });
    expect(ack.access?.statement).toEqual({
      format: 'cordon-access-status/1',
      deviceId: device.deviceId,
      subject: null,
      challenge: sent.nonce,
      issuedAt: iso(clock),
      device: { state: 'revoked', since: iso(revokedAt), reason: 'revoked' },
      user: null,
    });
    expect(signedByCollector(ack.access as AccessStatusAnswer, key)).toBe(true);
    // Nothing it queued is lost: every event is stored and verifies as before.
    expect((await collector.deviceEvents(device.deviceId)).map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);

    // A nonce too short to serve as a challenge: the events are stored, the answer carries no statement.
    const short = deliver(device, 1, randomBytes(12).toString('base64url'));
    const shortReply = await short.reply;
    expect(shortReply.status).toBe(200);
    expect(Object.keys(shortReply.json).sort()).toEqual(['acknowledgedLink', 'acknowledgedSeq']);
    expect((await collector.deviceEvents(device.deviceId)).at(-1)?.seq).toBe(6);

    // It still asks and is answered: revoked, since when.
    const status = accessStatusAnswerSchema.parse((await askAccess(device, { subject: null, challenge: challenge() })).json);
    expect(status.statement.device).toEqual({ state: 'revoked', since: iso(revokedAt), reason: 'revoked' });
    expect(signedByCollector(status, key)).toBe(true);
  });

  it('refuses to enroll a revoked device again (code or token) until IT reinstates it, and a revoked or ended VA', async () => {
    // `device` was revoked by the test before.
    const code = await collector.issueEnrollmentCode();
    expect(await device.enroll({ kind: 'enrollment-code', code })).toMatchObject({
      status: 403,
      json: { error: 'device-revoked', message: "this device's access was revoked: IT must reinstate it on the collector before it can enroll again" },
    });
    expect(await device.enroll({ kind: 'access-token', token: await issuer.token({ sub: 'va-anna' }) })).toMatchObject({ status: 403, json: { error: 'device-revoked' } });
    // The refusal spent nothing: the same code still enrolls another device.
    expect((await new TestDevice(collector.url).enroll({ kind: 'enrollment-code', code })).status).toBe(201);
    await reinstate(store.database, 'device', device.deviceId, 'ada', clock);
    expect(await device.enroll({ kind: 'access-token', token: await issuer.token({ sub: 'va-anna' }) })).toMatchObject({ status: 200, json: { deviceId: device.deviceId } });

    await revoke(store.database, 'user', 'va-fern', 'ada', clock);
    const fresh = new TestDevice(collector.url);
    expect(await fresh.enroll({ kind: 'access-token', token: await issuer.token({ sub: 'va-fern' }) })).toMatchObject({ status: 403, json: { error: 'user-revoked', message: expect.stringContaining("this VA's access was revoked") } });
    expect((await collector.devices()).some((d) => d.deviceId === fresh.deviceId)).toBe(false);
    // va-anna's end date (set in the route test) passes: her token no longer enrolls a device, nor re-enrolls one.
    clock += 25 * HOUR;
    expect(await fresh.enroll({ kind: 'access-token', token: await issuer.token({ sub: 'va-anna' }) })).toMatchObject({ status: 403, json: { error: 'user-revoked', message: expect.stringContaining('ended on the date IT set') } });
    expect(await device.enroll({ kind: 'access-token', token: await issuer.token({ sub: 'va-anna' }) })).toMatchObject({ status: 403, json: { error: 'user-revoked' } });
    // Another VA's token still works.
    expect((await fresh.enroll({ kind: 'access-token', token: await issuer.token({ sub: 'va-gus' }) })).status).toBe(201);
  });
});
