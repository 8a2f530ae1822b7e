// The idle lock and automatic logoff as a pure state machine (HIPAA 164.312(a)(2)(iii)).
// Time is read from two clocks: a monotonic one, which wall-clock changes cannot move,
// and the wall clock, which keeps running while the computer sleeps (monotonic clocks may
// not). Idle time is the larger of the two elapsed times: sleep cannot hide idle time,
// and setting the clock back cannot either. Setting it forward locks early, which fails
// closed.

export interface Instant {
  /** Monotonic milliseconds (e.g. performance.now()). */
  mono: number;
  /** Wall-clock milliseconds since the epoch. */
  wall: number;
}

export interface IdleConfig {
  lockAfterMs: number;
  logoffAfterMs: number;
  /** How long before the lock the countdown shows. */
  warnBeforeMs: number;
  /** Policy: OS-wide input counts as activity. */
  countSystemActivity: boolean;
  /** Policy: an app holding a granted microphone in a call counts as activity. */
  activeCallCountsAsActivity: boolean;
}

export type IdlePhase = 'active' | 'warning' | 'locked' | 'logged-off';
export const LOCK_REASONS = ['idle', 'os-lock', 'suspend', 'user-switch', 'policy'] as const;
export type LockReason = (typeof LOCK_REASONS)[number];

export interface IdleState {
  phase: IdlePhase;
  lastActivity: Instant;
  lockReason: LockReason | null;
}

export type ActivitySource = 'input' | 'system' | 'call';

export type IdleEvent =
  | { type: 'tick'; at: Instant }
  | { type: 'activity'; source: ActivitySource; at: Instant }
  | { type: 'os-lock' | 'suspend' | 'user-switch'; at: Instant }
  | { type: 'unlocked'; at: Instant };

export type IdleEffect =
  | { type: 'show-warning'; secondsLeft: number }
  | { type: 'hide-warning' }
  | { type: 'lock'; reason: LockReason }
  | { type: 'unlock' }
  | { type: 'logoff' };

export function initialIdleState(at: Instant): IdleState {
  return { phase: 'active', lastActivity: at, lockReason: null };
}

/** Idle time: the larger of monotonic and wall-clock elapsed time (never negative). */
export function idleMs(state: IdleState, at: Instant): number {
  return Math.max(0, at.mono - state.lastActivity.mono, at.wall - state.lastActivity.wall);
}

/** When the workspace locks if nothing happens (wall-clock ms): the countdown's deadline. */
export function lockAt(state: IdleState, at: Instant, config: IdleConfig): number {
  return at.wall + Math.max(0, config.lockAfterMs - idleMs(state, at));
}

function counts(source: ActivitySource, config: IdleConfig): boolean {
  if (source === 'system') return config.countSystemActivity;
  if (source === 'call') return config.activeCallCountsAsActivity;
  return true;
}

export function idleStep(state: IdleState, event: IdleEvent, config: IdleConfig): { state: IdleState; effects: IdleEffect[] } {
  if (state.phase === 'logged-off') return { state, effects: [] };

  switch (event.type) {
    case 'os-lock':
    case 'suspend':
    case 'user-switch': {
      // Locks at once, whatever the idle time: the VA has left or the machine is going away.
      if (state.phase === 'locked') return { state, effects: [] };
      return { state: { ...state, phase: 'locked', lockReason: event.type }, effects: [...(state.phase === 'warning' ? [{ type: 'hide-warning' } as const] : []), { type: 'lock', reason: event.type }] };
    }
    case 'unlocked':
      // Only re-authentication (handled outside) sends this; it restarts the idle clock.
      return state.phase === 'locked' ? { state: { phase: 'active', lastActivity: event.at, lockReason: null }, effects: [{ type: 'unlock' }] } : { state, effects: [] };
    case 'activity': {
      // Activity never unlocks: a locked workspace needs re-authentication.
      if (state.phase === 'locked' || !counts(event.source, config)) return { state, effects: [] };
      const next: IdleState = { ...state, phase: 'active', lastActivity: event.at };
      return { state: next, effects: state.phase === 'warning' ? [{ type: 'hide-warning' }] : [] };
    }
    case 'tick': {
      const idle = idleMs(state, event.at);
      if (idle >= config.logoffAfterMs) {
        return { state: { ...state, phase: 'logged-off', lockReason: state.lockReason ?? 'idle' }, effects: [...(state.phase === 'locked' ? [] : [{ type: 'lock', reason: 'idle' } as const]), { type: 'logoff' }] };
      }
      if (state.phase === 'locked') return { state, effects: [] };
      if (idle >= config.lockAfterMs) {
        return { state: { ...state, phase: 'locked', lockReason: 'idle' }, effects: [...(state.phase === 'warning' ? [{ type: 'hide-warning' } as const] : []), { type: 'lock', reason: 'idle' }] };
      }
      if (idle >= config.lockAfterMs - config.warnBeforeMs) {
        return { state: { ...state, phase: 'warning' }, effects: [{ type: 'show-warning', secondsLeft: Math.ceil((config.lockAfterMs - idle) / 1000) }] };
      }
      return { state, effects: [] };
    }
  }
}

/** The machine's timing from the policy's minutes; the countdown shows for up to a minute. */
export function idleConfigFromPolicy(session: { idleLockMinutes: number; logoffMinutes: number; countSystemActivity: boolean; activeCallCountsAsActivity: boolean }): IdleConfig {
  const lockAfterMs = session.idleLockMinutes * 60_000;
  return {
    lockAfterMs,
    logoffAfterMs: session.logoffMinutes * 60_000,
    warnBeforeMs: Math.min(60_000, lockAfterMs / 2),
    countSystemActivity: session.countSystemActivity,
    activeCallCountsAsActivity: session.activeCallCountsAsActivity,
  };
}
