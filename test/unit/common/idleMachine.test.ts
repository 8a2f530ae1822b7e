// The idle lock and logoff machine under a controllable clock: every transition, sleep,
// clock changes and each activity source.
import { describe, expect, it } from 'vitest';
import { idleConfigFromPolicy, idleStep, initialIdleState, lockAt, type IdleEffect, type IdleEvent, type IdleState } from '../../../common/session/idleMachine';
import { TestClock } from '../../support/idleFakes';

const MIN = 60_000;
const config = idleConfigFromPolicy({ idleLockMinutes: 5, logoffMinutes: 30, countSystemActivity: false, activeCallCountsAsActivity: true });

function machine(options: Partial<typeof config> = {}) {
  const clock = new TestClock();
  let state: IdleState = initialIdleState(clock.now());
  const effects: IdleEffect[] = [];
  const send = (event: IdleEvent) => {
    const result = idleStep(state, event, { ...config, ...options });
    state = result.state;
    effects.push(...result.effects);
    return result.effects;
  };
  return { clock, send, effects, tick: () => send({ type: 'tick', at: clock.now() }), state: () => state };
}

describe('idle machine', () => {
  it('active → warning with a countdown → locked → logged off', () => {
    const m = machine();
    m.clock.advance(3 * MIN);
    expect(m.tick()).toEqual([]);
    m.clock.advance(1.5 * MIN); // 4.5 min idle: inside the one-minute warning
    expect(m.tick()).toEqual([{ type: 'show-warning', secondsLeft: 30 }]);
    expect(m.state().phase).toBe('warning');
    m.clock.advance(0.5 * MIN);
    expect(m.tick()).toEqual([{ type: 'hide-warning' }, { type: 'lock', reason: 'idle' }]);
    m.clock.advance(10 * MIN);
    expect(m.tick()).toEqual([]);
    m.clock.advance(15 * MIN); // 30 min idle
    expect(m.tick()).toEqual([{ type: 'logoff' }]);
    expect(m.state().phase).toBe('logged-off');
    expect(m.tick()).toEqual([]);
  });

  it('input during the warning cancels it and restarts the idle clock', () => {
    const m = machine();
    m.clock.advance(4.5 * MIN);
    m.tick();
    expect(m.send({ type: 'activity', source: 'input', at: m.clock.now() })).toEqual([{ type: 'hide-warning' }]);
    m.clock.advance(3.5 * MIN); // short of the warning, which starts at 4 min idle
    expect(m.tick()).toEqual([]);
    expect(m.state().phase).toBe('active');
  });

  it('activity never unlocks; only re-authentication does, and it restarts the clock', () => {
    const m = machine();
    m.clock.advance(6 * MIN);
    m.tick();
    expect(m.send({ type: 'activity', source: 'input', at: m.clock.now() })).toEqual([]);
    expect(m.state().phase).toBe('locked');
    expect(m.send({ type: 'unlocked', at: m.clock.now() })).toEqual([{ type: 'unlock' }]);
    m.clock.advance(3.5 * MIN);
    expect(m.tick()).toEqual([]);
    expect(m.send({ type: 'unlocked', at: m.clock.now() })).toEqual([]); // not locked: nothing to do
  });

  for (const type of ['os-lock', 'suspend', 'user-switch'] as const) {
    it(`${type} locks at once, even right after activity`, () => {
      const m = machine();
      m.clock.advance(1_000);
      expect(m.send({ type, at: m.clock.now() })).toEqual([{ type: 'lock', reason: type }]);
      expect(m.state()).toMatchObject({ phase: 'locked', lockReason: type });
      expect(m.send({ type, at: m.clock.now() })).toEqual([]);
    });
  }

  it('an OS lock during the warning hides the countdown and locks', () => {
    const m = machine();
    m.clock.advance(4.5 * MIN);
    m.tick();
    expect(m.send({ type: 'os-lock', at: m.clock.now() })).toEqual([{ type: 'hide-warning' }, { type: 'lock', reason: 'os-lock' }]);
  });

  it('sleep: the monotonic clock stops, the wall clock does not; waking after 2 h logs off', () => {
    const m = machine();
    m.send({ type: 'suspend', at: m.clock.now() });
    m.clock.wall += 2 * 60 * MIN; // asleep: only the wall clock moved
    expect(m.tick()).toEqual([{ type: 'logoff' }]);
  });

  it('sleep without a suspend event (missed) still counts: a tick after waking locks', () => {
    const m = machine();
    m.clock.wall += 6 * MIN;
    expect(m.tick()).toEqual([{ type: 'lock', reason: 'idle' }]);
  });

  it('setting the clock back does not postpone the lock', () => {
    const m = machine();
    m.clock.wall -= 3 * 60 * MIN;
    m.clock.advance(5 * MIN);
    expect(m.tick()).toContainEqual({ type: 'lock', reason: 'idle' });
  });

  it('setting the clock forward locks early (fails closed) rather than late', () => {
    const m = machine();
    m.clock.wall += 10 * MIN;
    expect(m.tick()).toEqual([{ type: 'lock', reason: 'idle' }]);
  });

  it('a long idle stretch seen in one tick locks and logs off together', () => {
    const m = machine();
    m.clock.advance(45 * MIN);
    expect(m.tick()).toEqual([{ type: 'lock', reason: 'idle' }, { type: 'logoff' }]);
  });

  it('counts OS-wide input only when the policy says so, and an active call when it says so', () => {
    const strict = machine();
    strict.clock.advance(4 * MIN);
    strict.send({ type: 'activity', source: 'system', at: strict.clock.now() });
    strict.send({ type: 'activity', source: 'call', at: strict.clock.now() });
    strict.clock.advance(2 * MIN);
    expect(strict.tick()).toEqual([]); // the call counted (policy allows calls)
    const noCalls = machine({ activeCallCountsAsActivity: false, countSystemActivity: true });
    noCalls.clock.advance(4 * MIN);
    noCalls.send({ type: 'activity', source: 'call', at: noCalls.clock.now() });
    noCalls.clock.advance(1.5 * MIN);
    expect(noCalls.tick()).toEqual([{ type: 'lock', reason: 'idle' }]);
    const system = machine({ countSystemActivity: true });
    system.clock.advance(4 * MIN);
    system.send({ type: 'activity', source: 'system', at: system.clock.now() });
    system.clock.advance(2 * MIN);
    expect(system.tick()).toEqual([]);
  });

  it('gives the countdown its deadline on the wall clock, which sleep or a clock set back cannot postpone', () => {
    const m = machine();
    const start = m.clock.now();
    m.clock.advance(4.5 * MIN);
    expect(lockAt(m.state(), m.clock.now(), config)).toBe(start.wall + 5 * MIN);
    m.clock.wall -= 60 * MIN; // clock set back: the monotonic clock still counts 4.5 min idle
    expect(lockAt(m.state(), m.clock.now(), config)).toBe(m.clock.wall + 0.5 * MIN);
    m.clock.wall += 60 * MIN + 2 * MIN; // asleep 2 min: already past the lock
    expect(lockAt(m.state(), m.clock.now(), config)).toBe(m.clock.wall);
  });

  it('derives its timing from the policy', () => {
    expect(idleConfigFromPolicy({ idleLockMinutes: 1, logoffMinutes: 2, countSystemActivity: true, activeCallCountsAsActivity: false })).toEqual({
      lockAfterMs: MIN,
      logoffAfterMs: 2 * MIN,
      warnBeforeMs: 30_000,
      countSystemActivity: true,
      activeCallCountsAsActivity: false,
    });
  });
});
