// The idle lock's Electron sources, with test doubles for webContents and powerMonitor,
// feeding the real IdleLock and machine: which input counts, which OS events lock, and
// what each tick asks the OS.
import type { InputEvent } from 'electron';
import { describe, expect, it } from 'vitest';
import type { Identity } from '../../../common/auth/identity';
import { idleConfigFromPolicy } from '../../../common/session/idleMachine';
import { IdleLock } from '../../../main/session/idleLock';
import { idleTick, watchInput, watchPowerMonitor } from '../../../main/session/idleSources';
import { shellFocuser } from '../../../main/session/warningFocus';
import { FakeWebContents, RecordingAuditSink } from '../../support/electronFakes';
import { FakePowerMonitor, TestClock } from '../../support/idleFakes';

const MIN = 60_000;
const valerie: Identity = { subject: 'demo-va-0001', name: 'Valerie Assistant', email: 'v@example.com', roles: ['va'], authTime: 1, mfaMethods: ['otp'], acr: null };

function setup(policy: { countSystemActivity?: boolean; activeCallCountsAsActivity?: boolean } = {}) {
  const clock = new TestClock();
  const audit = new RecordingAuditSink();
  const auth = { identity: valerie as Identity | null, reauthenticate: async () => valerie };
  const lock = new IdleLock({
    config: idleConfigFromPolicy({ idleLockMinutes: 5, logoffMinutes: 30, countSystemActivity: false, activeCallCountsAsActivity: false, ...policy }),
    auth,
    audit,
    now: clock.now,
    hideAll: () => undefined,
    signOut: async () => {
      auth.identity = null;
    },
  });
  lock.status();
  return { clock, audit, lock };
}

describe('input in Cordon pages', () => {
  it("counts a person's keys, clicks, wheel, touch and pointer movement; not enter/leave or undefined events", () => {
    const contents = new FakeWebContents();
    let counted = 0;
    watchInput(contents as never, () => (counted += 1));
    const send = (type: InputEvent['type']) => contents.emit('input-event', {}, { type });
    for (const type of ['mouseMove', 'mouseDown', 'mouseUp', 'mouseWheel', 'rawKeyDown', 'keyDown', 'keyUp', 'char', 'touchStart', 'gestureScrollUpdate', 'pointerMove', 'contextMenu'] as const) send(type);
    expect(counted).toBe(12);
    for (const type of ['mouseEnter', 'mouseLeave', 'undefined', 'pointerCausedUaAction'] as const) send(type);
    expect(counted).toBe(12);
  });

  it("keeps the real lock open through any page's input (shell or hosted app)", () => {
    const { clock, lock } = setup();
    const shell = new FakeWebContents();
    const hostedApp = new FakeWebContents();
    for (const contents of [shell, hostedApp]) watchInput(contents as never, () => lock.activity('input'));
    clock.advance(4.5 * MIN);
    lock.tick();
    expect(lock.status().phase).toBe('warning');
    hostedApp.emit('input-event', {}, { type: 'mouseLeave' });
    expect(lock.status().phase).toBe('warning');
    hostedApp.emit('input-event', {}, { type: 'mouseMove' });
    expect(lock.status().phase).toBe('active');
    clock.advance(4.5 * MIN);
    lock.tick();
    shell.emit('input-event', {}, { type: 'keyDown' });
    expect(lock.status().phase).toBe('active');
  });
});

describe('OS events', () => {
  for (const [event, reason] of [
    ['lock-screen', 'os-lock'],
    ['suspend', 'suspend'],
    ['user-did-resign-active', 'user-switch'],
  ] as const) {
    it(`'${event}' locks at once (${reason})`, () => {
      const { lock } = setup();
      const powerMonitor = new FakePowerMonitor();
      watchPowerMonitor(powerMonitor as never, lock);
      powerMonitor.emit(event);
      expect(lock.status()).toEqual({ phase: 'locked', reason });
    });
  }

  it("'resume' after a long sleep logs off at once, without waiting for the next tick", async () => {
    const { clock, lock, audit } = setup();
    const powerMonitor = new FakePowerMonitor();
    watchPowerMonitor(powerMonitor as never, lock);
    powerMonitor.emit('suspend');
    clock.wall += 120 * MIN;
    powerMonitor.emit('resume');
    await new Promise((resolve) => setImmediate(resolve));
    expect(audit.events.map((e) => e.type)).toEqual(['session.locked', 'session.logoff']);
    expect(lock.status()).toEqual({ phase: 'signed-out' });
  });
});

describe('each tick', () => {
  it("locks when the OS reports its screen locked, once per OS lock", async () => {
    const { lock } = setup();
    const powerMonitor = new FakePowerMonitor();
    const tick = idleTick(lock, { powerMonitor, isInActiveCall: () => false });
    tick();
    expect(lock.status().phase).toBe('active');
    powerMonitor.idleState = 'locked';
    tick();
    expect(lock.status()).toEqual({ phase: 'locked', reason: 'os-lock' });
    expect(await lock.unlock()).toEqual({ ok: true });
    tick(); // still reported locked: not a new OS lock
    expect(lock.status().phase).toBe('active');
    powerMonitor.idleState = 'active';
    tick();
    powerMonitor.idleState = 'locked';
    tick();
    expect(lock.status().phase).toBe('locked');
  });

  it("counts the OS's idle time when the policy says so", () => {
    for (const countSystemActivity of [true, false]) {
      const { clock, lock } = setup({ countSystemActivity });
      const powerMonitor = new FakePowerMonitor();
      const tick = idleTick(lock, { powerMonitor, isInActiveCall: () => false });
      powerMonitor.idleSeconds = 3; // the VA is busy in another app
      clock.advance(6 * MIN);
      tick();
      expect(lock.status().phase).toBe(countSystemActivity ? 'active' : 'locked');
    }
  });

  it('ignores an OS idle time that never rises above 0 (some Wayland desktops), so it cannot keep the session awake', () => {
    const { clock, lock } = setup({ countSystemActivity: true });
    const powerMonitor = new FakePowerMonitor();
    const tick = idleTick(lock, { powerMonitor, isInActiveCall: () => false });
    powerMonitor.idleSeconds = 0;
    clock.advance(6 * MIN);
    tick();
    expect(lock.status().phase).toBe('locked');
  });

  it("asks the caller's isInActiveCall hook, which counts when the policy says so", () => {
    for (const activeCallCountsAsActivity of [true, false]) {
      const { clock, lock } = setup({ activeCallCountsAsActivity });
      let inCall = true;
      const tick = idleTick(lock, { powerMonitor: new FakePowerMonitor(), isInActiveCall: () => inCall });
      clock.advance(6 * MIN);
      tick();
      expect(lock.status().phase).toBe(activeCallCountsAsActivity ? 'active' : 'locked');
      inCall = false;
      clock.advance(6 * MIN);
      tick();
      expect(lock.status().phase).toBe('locked');
    }
  });
});

describe('warning focus', () => {
  const focusable = () => {
    const record = { focused: 0, destroyed: false };
    return { record, contents: { focus: () => void (record.focused += 1), isDestroyed: () => record.destroyed } };
  };

  it('moves focus to the shell and back to the page the VA was in', () => {
    const shell = focusable();
    const app = focusable();
    const giveBack = shellFocuser(() => app.contents, () => shell.contents)();
    expect([shell.record.focused, app.record.focused]).toEqual([1, 0]);
    giveBack();
    expect([shell.record.focused, app.record.focused]).toEqual([1, 1]);
    app.record.destroyed = true;
    giveBack();
    expect(app.record.focused).toBe(1);
  });

  it('takes no focus when the VA is in another app (their typing must not land in Cordon)', () => {
    const shell = focusable();
    shellFocuser(() => null, () => shell.contents)()();
    expect(shell.record.focused).toBe(0);
  });
});
