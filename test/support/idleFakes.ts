// Test doubles for the idle lock: a controllable pair of clocks, and Electron's
// powerMonitor (the Electron binary cannot run here).
import { EventEmitter } from 'node:events';
import type { Instant } from '../../common/session/idleMachine';

/** `advance` moves both clocks; sleep and clock changes move one (assign `mono` or `wall`). */
export class TestClock {
  mono = 1_000;
  wall = Date.parse('2027-03-01T09:00:00Z');
  readonly now = (): Instant => ({ mono: this.mono, wall: this.wall });
  advance(ms: number): void {
    this.mono += ms;
    this.wall += ms;
  }
}

/** Fake of powerMonitor: emits its events on demand and answers the idle queries from fields. */
export class FakePowerMonitor extends EventEmitter {
  idleSeconds = 0;
  idleState: 'active' | 'idle' | 'locked' | 'unknown' = 'active';
  getSystemIdleTime(): number {
    return this.idleSeconds;
  }
  getSystemIdleState(): 'active' | 'idle' | 'locked' | 'unknown' {
    return this.idleState;
  }
}
