// Feeds the idle lock from Electron: people's input in any Cordon page, the OS's lock,
// sleep and user-switch events, and a tick that also asks the OS what it knows.
import type { InputEvent, PowerMonitor, WebContents } from 'electron';
import type { IdleLock } from './idleLock';

export const IDLE_TICK_MS = 1_000;

/**
 * Input event types that are not a person's input: mouseEnter/mouseLeave also fire when
 * a view moves under a still pointer (the lock detaching the apps does exactly that).
 */
const NOT_A_PERSON = new Set<InputEvent['type']>(['undefined', 'mouseEnter', 'mouseLeave', 'pointerCausedUaAction']);

/** Counts keys, clicks, wheel, touch and pointer movement in this webContents (the shell, a hosted app, a popup). */
export function watchInput(contents: Pick<WebContents, 'on'>, onInput: () => void): void {
  contents.on('input-event', (_event, input) => {
    if (!NOT_A_PERSON.has(input.type)) onInput();
  });
}

/**
 * The OS events that lock at once, as Electron documents them: 'lock-screen' (macOS,
 * Windows; a Windows user switch locks the session first), 'suspend' (all), and
 * 'user-did-resign-active' (macOS fast user switching). Linux's lock is seen by the tick.
 */
export function watchPowerMonitor(powerMonitor: Pick<PowerMonitor, 'on'>, lock: Pick<IdleLock, 'osEvent' | 'tick'>): void {
  powerMonitor.on('lock-screen', () => lock.osEvent('os-lock'));
  powerMonitor.on('suspend', () => lock.osEvent('suspend'));
  powerMonitor.on('user-did-resign-active', () => lock.osEvent('user-switch'));
  // Waking up: count the time asleep now rather than at the next tick.
  powerMonitor.on('resume', () => lock.tick());
}

export interface IdleTickSources {
  powerMonitor: Pick<PowerMonitor, 'getSystemIdleState' | 'getSystemIdleTime'>;
  /**
   * Whether a hosted app holding a granted microphone is in a live call right now (the
   * hosting module knows its media grants). It counts as activity only when the policy's
   * `session.activeCallCountsAsActivity` says so; supply `() => false` until it exists.
   */
  isInActiveCall: () => boolean;
}

/** One tick: what the OS and the caller know, then the clock. Call every IDLE_TICK_MS. */
export function idleTick(lock: Pick<IdleLock, 'osEvent' | 'systemInputAgo' | 'activity' | 'tick'>, { powerMonitor, isInActiveCall }: IdleTickSources): () => void {
  let osLocked = false;
  // Some desktops (Wayland) always report 0 s of OS idle time, which would keep the
  // session awake for ever: OS idle time counts only once it has been seen to rise.
  let systemIdleWorks = false;
  return () => {
    // Where the OS reports its lock through the idle state (e.g. Linux screensavers).
    // Only the change to 'locked' counts, so a desktop that always says 'locked' cannot
    // lock Cordon again right after each unlock.
    const locked = powerMonitor.getSystemIdleState(IDLE_TICK_MS / 1000) === 'locked';
    if (locked && !osLocked) lock.osEvent('os-lock');
    osLocked = locked;
    // The machine decides whether these count (policy: countSystemActivity, activeCallCountsAsActivity).
    const systemIdleSeconds = powerMonitor.getSystemIdleTime();
    if (systemIdleSeconds > 0) systemIdleWorks = true;
    if (systemIdleWorks) lock.systemInputAgo(systemIdleSeconds * 1000);
    if (isInActiveCall()) lock.activity('call');
    lock.tick();
  };
}
