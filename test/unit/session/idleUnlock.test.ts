// Unlock and logoff through the real SignInService against the running demo IdP (real
// password + TOTP via a scripted browser): another person is refused and audited, the
// same person unlocks, and the automatic logoff revokes and wipes.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { authErrorMessage } from '../../../common/auth/authErrors';
import { idleConfigFromPolicy } from '../../../common/session/idleMachine';
import { startDemoIdp, type DemoIdp } from '../../../demo/idp/demoIdp';
import { IdleLock } from '../../../main/session/idleLock';
import { demoUser, harness } from '../../support/authHarness';
import { TestClock } from '../../support/idleFakes';

let idp: DemoIdp;
beforeAll(async () => {
  idp = await startDemoIdp();
});
afterAll(async () => {
  await idp.close();
});

async function signedInLock() {
  const h = harness(idp.issuer);
  await h.service.signIn();
  const clock = new TestClock();
  const hidden = { count: 0 };
  const lock = new IdleLock({
    config: idleConfigFromPolicy({ idleLockMinutes: 5, logoffMinutes: 30, countSystemActivity: false, activeCallCountsAsActivity: false }),
    auth: h.service,
    audit: h.audit,
    now: clock.now,
    hideAll: () => void (hidden.count += 1),
    signOut: () => h.service.signOut(),
  });
  lock.status();
  return { h, clock, hidden, lock, types: () => h.audit.events.map((e) => e.type) };
}

describe('unlocking through the real sign-in service', () => {
  it('refuses another person (audited, still locked, apps still hidden), then unlocks for the same person', async () => {
    const { h, hidden, lock, types } = await signedInLock();
    lock.osEvent('os-lock');
    h.user.current = demoUser('sam');
    expect(await lock.unlock()).toEqual({ ok: false, message: authErrorMessage('wrong-user') });
    expect(lock.status()).toEqual({ phase: 'locked', reason: 'os-lock' });
    expect(h.service.identity?.subject).toBe('demo-va-0001');
    h.user.current = demoUser('valerie');
    expect(await lock.unlock()).toEqual({ ok: true });
    expect(lock.status()).toEqual({ phase: 'active' });
    expect(hidden.count).toBe(1);
    expect(types()).toEqual(['sign-in.succeeded', 'session.locked', 'reauth.failed', 'reauth.succeeded', 'session.unlocked']);
    expect(h.audit.events.find((e) => e.type === 'reauth.failed')).toMatchObject({ outcome: 'failure', reason: 'wrong-user' });
  });

  it('logs off after the policy time: tokens revoked, IdP session ended, every hosted session wiped', async () => {
    const { h, clock, lock, types } = await signedInLock();
    clock.advance(30 * 60_000);
    lock.tick();
    await vi.waitFor(() => expect(h.wiped.count).toBe(1));
    expect(h.service.identity).toBeNull();
    expect(await h.vault.getRefreshToken()).toBeNull();
    expect(h.loggedOut).toHaveLength(1);
    expect(types()).toEqual(['sign-in.succeeded', 'session.locked', 'sign-out', 'session.logoff']);
    expect(h.audit.events.at(-1)).toEqual({ type: 'session.logoff', outcome: 'success', reason: 'idle' });
    expect(lock.status()).toEqual({ phase: 'signed-out' });
  });
});
