// The access watch under a clock the test moves, with statements signed by a real Ed25519
// key as the collector signs them (the route itself is tested with the real collector in
// revocationEndToEnd.test.ts): sign-in waits for the first answer, a revoked computer locks
// for everyone and is acted on once, a batch answer counts only with its own request's nonce
// and the collector's signature, a VA's end date takes effect by the device's clock, and a
// reinstated computer unlocks; what was believed is kept across a restart.
import { generateKeyPairSync, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ACCESS_STATUS_FORMAT, accessStatementMessage, type AccessStanding, type AccessStatement, type AccessStatusAnswer } from '../../../common/audit/accessProtocol';
import type { Identity } from '../../../common/auth/identity';
import type { AccessAnswer } from '../../../main/gates/accessStatus';
import type { AccessStatusRecords, ConfirmedStanding } from '../../../main/gates/accessStatusStore';
import { AccessWatch, ASK_AGAIN_MS, type EndedAccess } from '../../../main/gates/accessWatch';
import { RecordingAuditSink } from '../../support/electronFakes';

const collector = generateKeyPairSync('ed25519');
const DEVICE = 'a'.repeat(32);
const MINUTE = 60_000;
const va = (subject: string) => ({ subject, name: subject, email: `${subject}@example.com`, roles: ['va'], mfaMethods: ['pwd', 'otp'], authTime: 1_800_000_000 }) as Identity;
const active: AccessStanding = { state: 'active', endsAt: null };

function signedAnswer(parts: Partial<AccessStatement> & Pick<AccessStatement, 'challenge' | 'issuedAt'>, key = collector.privateKey): AccessStatusAnswer {
  const statement: AccessStatement = { format: ACCESS_STATUS_FORMAT, deviceId: DEVICE, subject: null, device: active, user: null, ...parts };
  return { statement, signature: { alg: 'Ed25519', keyId: '0123456789abcdef', value: sign(null, Buffer.from(accessStatementMessage(statement), 'utf8'), key).toString('base64') } };
}

/** In-memory stand-in for the encrypted table (AccessStatusStore is tested on a real queue file in accessStatusStore.test.ts). */
class MemoryRecords implements AccessStatusRecords {
  readonly rows = new Map<string, AccessStatement>();
  latest(subject: string | null): ConfirmedStanding | null {
    const row = this.rows.get(subject ?? 'device');
    const standing = row === undefined ? null : subject === null ? row.device : row.user;
    return row === undefined || standing === null ? null : { standing, issuedAt: Date.parse(row.issuedAt) };
  }
  save(statement: AccessStatement): void {
    this.rows.set('device', statement);
    if (statement.subject !== null) this.rows.set(statement.subject, statement);
  }
}

function world(options: { records?: MemoryRecords; start?: number } = {}) {
  const w = {
    now: options.start ?? Date.parse('2026-12-03T09:00:00Z'),
    identity: null as Identity | null,
    /** What the collector says next: the standings for the question's subject. */
    standing: { device: active, user: active as AccessStanding } as { device: AccessStanding; user: AccessStanding },
    asked: [] as (string | null)[],
    pending: [] as (() => void)[],
    holdAnswers: false,
    /** Instead of a statement: the collector refusing the question, or no reply at all. */
    reply: null as AccessAnswer | null,
    ended: [] as EndedAccess[],
    audit: new RecordingAuditSink(),
    records: options.records ?? new MemoryRecords(),
  };
  const ask = (subject: string | null): Promise<AccessAnswer> => {
    w.asked.push(subject);
    const answer = (): AccessAnswer => {
      const { statement, signature } = signedAnswer({ challenge: 'c'.repeat(32), issuedAt: new Date(w.now).toISOString(), subject, device: w.standing.device, user: subject === null ? null : w.standing.user });
      return { kind: 'confirmed', statement, signature: signature.value };
    };
    if (w.reply !== null) return Promise.resolve(w.reply);
    if (!w.holdAnswers) return Promise.resolve(answer());
    return new Promise((resolve) => w.pending.push(() => resolve(answer())));
  };
  const watch = new AccessWatch({
    key: collector.publicKey,
    store: w.records,
    ask,
    deviceId: DEVICE,
    checkEveryMs: 5 * MINUTE,
    offlineDays: 3,
    audit: w.audit,
    identity: () => w.identity,
    now: () => w.now,
    onChange: () => undefined,
    onEnded: (ended) => w.ended.push(ended),
  });
  return { w, watch };
}

const flush = () => new Promise((resolve) => setImmediate(resolve));
const DAY = 86_400_000;

describe('the access watch', () => {
  it('keeps the apps closed after sign-in until the first answer, then opens them; asks again each interval, not sooner', async () => {
    const { w, watch } = world();
    w.identity = va('sub-valerie');
    w.holdAnswers = true;
    const asked = watch.refresh();
    expect(watch.input()).toEqual({ state: 'checking' });
    w.pending.shift()?.();
    await asked;
    expect(watch.input()).toEqual({ state: 'clear' });
    expect(w.asked).toEqual(['sub-valerie']);
    w.holdAnswers = false;
    w.now += 5 * MINUTE - 1;
    watch.tick();
    expect(w.asked).toHaveLength(1);
    w.now += 1;
    watch.tick();
    await flush();
    expect(w.asked).toEqual(['sub-valerie', 'sub-valerie']);
  });

  it('a revoked computer locks for every VA, is acted on and audited once, and stays locked across a restart until IT reinstates it', async () => {
    const { w, watch } = world();
    w.identity = va('sub-valerie');
    await watch.refresh();
    w.standing.device = { state: 'revoked', since: new Date(w.now).toISOString(), reason: 'revoked' };
    w.now += 5 * MINUTE;
    watch.tick();
    await flush();
    expect(watch.lockReason()).toMatchObject({ code: 'access-revoked', message: expect.stringContaining("ended this computer's access") });
    expect(watch.input()).toMatchObject({ state: 'ended', reason: { code: 'access-revoked' } });
    expect(w.ended).toEqual([expect.objectContaining({ scope: 'device', reason: 'revoked' })]);
    watch.tick();
    await watch.refresh();
    expect(w.ended).toHaveLength(1);
    expect(w.audit.events.filter((e) => e.type === 'access.revoked')).toEqual([{ type: 'access.revoked', outcome: 'blocked', reason: 'device:revoked' }]);

    // Restarted without a network: the kept statement still locks, and nothing is acted on again.
    const restarted = world({ records: w.records, start: w.now });
    expect(restarted.watch.lockReason()).toMatchObject({ code: 'access-revoked' });
    restarted.w.standing.device = active;
    await restarted.watch.refresh();
    expect(restarted.watch.lockReason()).toBeNull();
    expect(restarted.w.ended).toHaveLength(0);
    expect(restarted.w.audit.events).toEqual([{ type: 'access.reinstated', outcome: 'success', reason: 'device' }]);
  });

  it('believes a batch answer only with its own request nonce, this device, and the collector key', () => {
    const { w, watch } = world();
    const revoked: AccessStanding = { state: 'revoked', since: new Date(w.now).toISOString(), reason: 'revoked' };
    const nonce = 'n'.repeat(22);
    const issuedAt = new Date(w.now).toISOString();
    watch.fromBatchAnswer(signedAnswer({ challenge: 'x'.repeat(22), issuedAt, device: revoked }), nonce);
    watch.fromBatchAnswer(signedAnswer({ challenge: nonce, issuedAt, device: revoked, deviceId: 'b'.repeat(32) }), nonce);
    watch.fromBatchAnswer(signedAnswer({ challenge: nonce, issuedAt, device: revoked }, generateKeyPairSync('ed25519').privateKey), nonce);
    const tampered = signedAnswer({ challenge: nonce, issuedAt, device: active });
    watch.fromBatchAnswer({ ...tampered, statement: { ...tampered.statement, device: revoked } }, nonce);
    watch.fromBatchAnswer({ statement: 'revoked' }, nonce);
    expect(w.audit.events.map((e) => e.reason)).toEqual(['other-challenge', 'other-device', 'bad-signature', 'bad-signature', 'malformed']);
    expect(w.audit.events.every((e) => e.type === 'access.status-refused')).toBe(true);
    expect(watch.lockReason()).toBeNull();
    watch.fromBatchAnswer(signedAnswer({ challenge: nonce, issuedAt, device: revoked }), nonce);
    expect(watch.lockReason()).toMatchObject({ code: 'access-revoked' });
    expect(w.ended).toHaveLength(1);
  });

  it("a VA's end date ends their access on time by the device's clock, before the collector is asked again, and again at their next sign-in once its answer is in", async () => {
    const { w, watch } = world();
    w.identity = va('sub-valerie');
    const endsAt = w.now + 2 * MINUTE;
    w.standing.user = { state: 'active', endsAt: new Date(endsAt).toISOString() };
    await watch.refresh();
    expect(watch.input()).toEqual({ state: 'clear' });
    w.now = endsAt - 1;
    watch.tick();
    expect(w.ended).toHaveLength(0);
    w.now = endsAt;
    watch.tick();
    expect(w.ended).toEqual([expect.objectContaining({ scope: 'user', reason: 'access-ended', since: endsAt })]);
    expect(watch.input()).toMatchObject({ state: 'ended', reason: { code: 'access-access-ended' } });
    expect(watch.lockReason()).toBeNull();
    // Signed out by the ending; signing in again is ended again at once, from what was kept.
    w.identity = null;
    w.identity = va('sub-valerie');
    w.holdAnswers = true;
    const asked = watch.signedIn();
    // The kept ending waits for this sign-in's answer (IT may have extended the date): apps closed meanwhile.
    expect(watch.input()).toEqual({ state: 'checking' });
    expect(w.ended).toHaveLength(1);
    w.pending.shift()?.();
    await asked;
    expect(w.ended).toHaveLength(2);
    expect(w.audit.events.filter((e) => e.type === 'access.revoked').map((e) => e.reason)).toEqual(['user:access-ended', 'user:access-ended']);
    // Another VA on the same computer is not affected.
    w.identity = va('sub-omar');
    expect(watch.input()).toEqual({ state: 'checking' });
  });

  it('a collector refusing the question (a clock too far off, a device not enrolled) confirms nothing: apps stay closed, audited once, asked again every 15 s', async () => {
    const { w, watch } = world();
    w.identity = va('sub-valerie');
    w.reply = { kind: 'declined', status: 401, error: 'stale-request' };
    await watch.signedIn();
    expect(watch.input()).toMatchObject({ state: 'closed', reason: { code: 'access-unconfirmed', message: expect.stringContaining("If this computer's date or time is wrong, correct it") } });
    w.now += ASK_AGAIN_MS - 1;
    watch.tick();
    expect(w.asked).toHaveLength(1);
    w.now += 1;
    watch.tick();
    await flush();
    expect(w.asked).toHaveLength(2);
    expect(w.audit.events).toEqual([{ type: 'access.unconfirmed', outcome: 'blocked', reason: 'declined:stale-request' }]);
    w.reply = null;
    w.now += ASK_AGAIN_MS;
    watch.tick();
    await flush();
    expect(watch.input()).toEqual({ state: 'clear' });
  });

  it("while the collector cannot be reached, a VA's last confirmation counts for the offline days, never from a clock set behind it", async () => {
    const { w, watch } = world();
    w.identity = va('sub-valerie');
    await watch.signedIn();
    const confirmedAt = w.now;
    w.reply = { kind: 'unavailable', message: 'connect ECONNREFUSED' };
    w.now = confirmedAt + 3 * DAY;
    await watch.signedIn();
    expect(watch.input()).toEqual({ state: 'clear' });
    w.now = confirmedAt + 3 * DAY + 1;
    await watch.signedIn();
    expect(watch.input()).toMatchObject({ state: 'closed', reason: { code: 'access-unknown', message: expect.stringContaining('since 3 December 2026') } });
    expect(w.audit.events).toEqual([{ type: 'access.unconfirmed', outcome: 'blocked', reason: 'offline' }]);
    w.now = confirmedAt - 6 * MINUTE;
    await watch.signedIn();
    expect(watch.input()).toMatchObject({ state: 'closed', reason: { code: 'access-unknown' } });
    // A VA never confirmed on this computer, with the collector down: closed too.
    w.identity = va('sub-omar');
    await watch.signedIn();
    expect(watch.input()).toMatchObject({ state: 'closed', reason: { message: expect.stringContaining('on this computer yet') } });
  });

  it('a VA reinstated by IT is not signed out by the ending kept from before: this sign-in\'s answer decides', async () => {
    const { w, watch } = world();
    w.identity = va('sub-valerie');
    w.standing.user = { state: 'revoked', since: new Date(w.now).toISOString(), reason: 'revoked' };
    await watch.signedIn();
    expect(w.ended).toHaveLength(1);
    w.identity = null;
    watch.tick();
    w.standing.user = active;
    w.now += MINUTE;
    w.identity = va('sub-valerie');
    await watch.signedIn();
    expect(w.ended).toHaveLength(1);
    expect(watch.input()).toEqual({ state: 'clear' });
  });

  it('a sign-in that completes after the computer locked is signed out again', async () => {
    const { w, watch } = world();
    w.standing.device = { state: 'revoked', since: new Date(w.now).toISOString(), reason: 'revoked' };
    await watch.refresh();
    expect(w.ended).toHaveLength(1);
    w.identity = va('sub-valerie');
    await watch.signedIn();
    expect(w.ended).toHaveLength(2);
    expect(w.ended[1]).toMatchObject({ scope: 'device' });
  });

  it('an answer overtaken on its way never replaces a later one', async () => {
    const { w, watch } = world();
    const nonce = 'n'.repeat(22);
    watch.fromBatchAnswer(signedAnswer({ challenge: nonce, issuedAt: new Date(w.now).toISOString(), device: { state: 'revoked', since: new Date(w.now).toISOString(), reason: 'revoked' } }), nonce);
    watch.fromBatchAnswer(signedAnswer({ challenge: nonce, issuedAt: new Date(w.now - 1000).toISOString(), device: active }), nonce);
    expect(watch.lockReason()).toMatchObject({ code: 'access-revoked' });
    await flush();
  });
});
