// The idle lock driven through the real machine under controllable clocks, with test
// doubles for sign-in and for what main does to the window: every effect, each source,
// sleep and clock changes, and every way an unlock can end.
import { describe, expect, it } from 'vitest';
import { AuthError, authErrorMessage } from '../../../common/auth/authErrors';
import type { Identity } from '../../../common/auth/identity';
import { idleConfigFromPolicy, type IdleConfig } from '../../../common/session/idleMachine';
import { IdleLock } from '../../../main/session/idleLock';
import { RecordingAuditSink } from '../../support/electronFakes';
import { TestClock } from '../../support/idleFakes';

const MIN = 60_000;
const valerie: Identity = { subject: 'demo-va-0001', name: 'Valerie Assistant', email: 'v@example.com', roles: ['va'], authTime: 1, mfaMethods: ['pwd', 'otp'], acr: null };
const sam: Identity = { ...valerie, subject: 'demo-sup-0001', name: 'Sam Supervisor' };

function setup(options: { config?: Partial<IdleConfig>; signedIn?: boolean; reauthenticate?: () => Promise<Identity>; signOut?: () => Promise<void> } = {}) {
  const clock = new TestClock();
  const audit = new RecordingAuditSink();
  const calls: string[] = [];
  const auth = {
    identity: options.signedIn === false ? null : valerie,
    reauthenticate: options.reauthenticate ?? (async () => valerie),
  };
  const lock = new IdleLock({
    config: { ...idleConfigFromPolicy({ idleLockMinutes: 5, logoffMinutes: 30, countSystemActivity: false, activeCallCountsAsActivity: false }), ...options.config },
    auth,
    audit,
    now: clock.now,
    hideAll: () => calls.push('hideAll'),
    signOut:
      options.signOut ??
      (async () => {
        calls.push('signOut');
        auth.identity = null;
      }),
    focusShell: () => {
      calls.push('focusShell');
      return () => calls.push('focusBack');
    },
  });
  const types = () => audit.events.map((e) => `${e.type}${e.reason === undefined ? '' : `:${e.reason}`}`);
  return { clock, audit, calls, auth, lock, types };
}

/** Lets a logoff's sign-out (started without waiting) finish. */
const settled = () => new Promise((resolve) => setImmediate(resolve));

describe('idle lock: effects', () => {
  it('does nothing while nobody is signed in', () => {
    const { clock, lock, calls, audit } = setup({ signedIn: false });
    clock.advance(60 * MIN);
    lock.tick();
    expect(lock.status()).toEqual({ phase: 'signed-out' });
    expect(calls).toEqual([]);
    expect(audit.events).toEqual([]);
  });

  it('warns with the deadline, locks (apps detached, audited), then logs off (signed out and wiped, audited)', async () => {
    const { clock, lock, calls, types, auth } = setup();
    const start = clock.wall;
    lock.status(); // the session starts at the first look after sign-in
    clock.advance(4.5 * MIN);
    lock.tick();
    expect(lock.status()).toEqual({ phase: 'warning', lockAt: start + 5 * MIN });
    clock.advance(10_000);
    lock.tick(); // the countdown goes on; focus is taken once
    expect(calls).toEqual(['focusShell']);
    clock.advance(20_000);
    lock.tick();
    expect(lock.status()).toEqual({ phase: 'locked', reason: 'idle' });
    expect(calls).toEqual(['focusShell', 'hideAll']);
    expect(types()).toEqual(['session.locked:idle']);
    clock.advance(25 * MIN);
    lock.tick();
    await settled();
    expect(calls).toEqual(['focusShell', 'hideAll', 'signOut']);
    expect(types()).toEqual(['session.locked:idle', 'session.logoff:idle']);
    expect(auth.identity).toBeNull();
    expect(lock.status()).toEqual({ phase: 'signed-out' });
  });

  it('input during the warning ends it and gives focus back to the page the VA was in', () => {
    const { clock, lock, calls } = setup();
    lock.status();
    clock.advance(4.5 * MIN);
    lock.tick();
    lock.activity('input');
    expect(lock.status()).toEqual({ phase: 'active' });
    expect(calls).toEqual(['focusShell', 'focusBack']);
    clock.advance(3.5 * MIN);
    lock.tick();
    expect(lock.status()).toEqual({ phase: 'active' });
  });

  it('a lock during the warning does not hand focus to the app it hides', () => {
    const { clock, lock, calls } = setup();
    lock.status();
    clock.advance(4.5 * MIN);
    lock.tick();
    lock.osEvent('os-lock');
    expect(calls).toEqual(['focusShell', 'hideAll']);
  });

  for (const type of ['os-lock', 'suspend', 'user-switch'] as const) {
    it(`${type} locks at once and is audited with its reason`, () => {
      const { lock, calls, types } = setup();
      lock.activity('input');
      lock.osEvent(type);
      expect(lock.status()).toEqual({ phase: 'locked', reason: type });
      expect(calls).toEqual(['hideAll']);
      expect(types()).toEqual([`session.locked:${type}`]);
      lock.osEvent(type);
      expect(types()).toHaveLength(1);
    });
  }

  it('activity never unlocks', () => {
    const { lock } = setup();
    lock.osEvent('os-lock');
    lock.activity('input');
    lock.systemInputAgo(0);
    expect(lock.status().phase).toBe('locked');
  });

  it('a sign-out that fails at logoff leaves the workspace locked and is audited as a failure', async () => {
    const { clock, lock, types } = setup({ signOut: () => Promise.reject(new Error('wipe failed')) });
    lock.status();
    clock.advance(31 * MIN);
    lock.tick();
    await settled();
    expect(types()).toEqual(['session.locked:idle', 'session.logoff:idle']);
    expect(lock.status()).toEqual({ phase: 'locked', reason: 'idle' });
  });
});

describe('idle lock: time', () => {
  it('sleep: suspend locks; waking two hours later logs off at the first tick', async () => {
    const { clock, lock, calls, types } = setup();
    lock.status();
    lock.osEvent('suspend');
    clock.wall += 120 * MIN; // asleep: only the wall clock moved
    lock.tick();
    await settled();
    expect(calls).toEqual(['hideAll', 'signOut']);
    expect(types()).toEqual(['session.locked:suspend', 'session.logoff:suspend']);
  });

  it('setting the clock back does not postpone the lock; setting it forward locks early', () => {
    const back = setup();
    back.lock.status();
    back.clock.wall -= 180 * MIN;
    back.clock.advance(5 * MIN);
    back.lock.tick();
    expect(back.lock.status().phase).toBe('locked');
    const forward = setup();
    forward.lock.status();
    forward.clock.wall += 10 * MIN;
    forward.lock.tick();
    expect(forward.lock.status().phase).toBe('locked');
  });
});

describe('idle lock: activity sources', () => {
  it('OS-wide input keeps the workspace open only when the policy says so', () => {
    for (const countSystemActivity of [true, false]) {
      const { clock, lock } = setup({ config: { countSystemActivity } });
      lock.status();
      clock.advance(4 * MIN);
      lock.systemInputAgo(10_000); // the VA typed in another app 10 s ago
      clock.advance(1.5 * MIN);
      lock.tick();
      expect(lock.status().phase).toBe(countSystemActivity ? 'active' : 'locked');
    }
  });

  it('OS-wide input older than Cordon\'s own never makes the VA look idler', () => {
    const { clock, lock } = setup({ config: { countSystemActivity: true } });
    lock.status();
    clock.advance(4.5 * MIN);
    lock.activity('input');
    lock.systemInputAgo(4 * MIN);
    clock.advance(4.5 * MIN);
    lock.tick();
    expect(lock.status().phase).toBe('warning'); // 4.5 min since Cordon's input, not 8.5
  });

  it('an active call keeps the workspace open only when the policy says so', () => {
    for (const activeCallCountsAsActivity of [true, false]) {
      const { clock, lock } = setup({ config: { activeCallCountsAsActivity } });
      lock.status();
      clock.advance(4.5 * MIN);
      lock.activity('call');
      clock.advance(1 * MIN);
      lock.tick();
      expect(lock.status().phase).toBe(activeCallCountsAsActivity ? 'active' : 'locked');
    }
  });
});

describe('idle lock: unlock', () => {
  it('the same person re-authenticating unlocks, is audited, and restarts the idle clock', async () => {
    const { clock, lock, types } = setup();
    lock.osEvent('os-lock');
    expect(await lock.unlock()).toEqual({ ok: true });
    expect(lock.status()).toEqual({ phase: 'active' });
    expect(types()).toEqual(['session.locked:os-lock', 'session.unlocked']);
    clock.advance(3.5 * MIN);
    lock.tick();
    expect(lock.status()).toEqual({ phase: 'active' });
  });

  it("a refused re-authentication keeps the lock and passes on the auth service's message", async () => {
    const { lock, types } = setup({ reauthenticate: () => Promise.reject(new AuthError('wrong-user')) });
    lock.osEvent('os-lock');
    expect(await lock.unlock()).toEqual({ ok: false, message: authErrorMessage('wrong-user') });
    expect(lock.status().phase).toBe('locked');
    // The auth service audits its own refusals (see idleUnlock.test.ts); the lock adds nothing.
    expect(types()).toEqual(['session.locked:os-lock']);
    const crash = setup({ reauthenticate: () => Promise.reject(new Error('socket hang up at https://idp.example/token')) });
    crash.lock.osEvent('os-lock');
    expect(await crash.lock.unlock()).toEqual({ ok: false, message: 'Unlocking failed. Try again, or sign out.' });
  });

  it('another person getting through re-authentication is refused, audited, and signed out', async () => {
    const { lock, calls, types, auth } = setup({ reauthenticate: async () => sam });
    lock.osEvent('os-lock');
    expect(await lock.unlock()).toEqual({ ok: false, message: authErrorMessage('wrong-user') });
    expect(types()).toEqual(['session.locked:os-lock', 'reauth.failed:wrong-user', 'session.logoff:wrong-user']);
    expect(calls).toEqual(['hideAll', 'signOut']);
    expect(auth.identity).toBeNull();
  });

  it('logged off while the VA was at the IdP: the login that completes afterwards is signed out again', async () => {
    let finishLogin: (identity: Identity) => void = () => undefined;
    const { clock, lock, calls, auth } = setup({ reauthenticate: () => new Promise((resolve) => (finishLogin = resolve)) });
    lock.osEvent('os-lock');
    const unlocking = lock.unlock();
    clock.advance(31 * MIN);
    lock.tick();
    await settled();
    expect(calls).toEqual(['hideAll', 'signOut']);
    // The auth service adopts the fresh login as it completes.
    auth.identity = valerie;
    finishLogin(valerie);
    expect(await unlocking).toEqual({ ok: false, message: 'Cordon signed you out while you were away. Sign in again.' });
    expect(calls).toEqual(['hideAll', 'signOut', 'signOut']);
    expect(auth.identity).toBeNull();
  });

  it('runs one re-authentication at a time, and refuses when there is nothing to unlock', async () => {
    let attempts = 0;
    const { lock } = setup({
      reauthenticate: async () => {
        attempts += 1;
        return valerie;
      },
    });
    expect(await lock.unlock()).toEqual({ ok: false, message: 'Cordon is not locked.' });
    lock.osEvent('os-lock');
    const [first, second] = await Promise.all([lock.unlock(), lock.unlock()]);
    expect([first, second, attempts]).toEqual([{ ok: true }, { ok: true }, 1]);
  });
});
