// Backoff with full jitter: the schedule's ceilings, the jitter range, Retry-After.
import { describe, expect, it } from 'vitest';
import { backoffDelayMs, DEFAULT_BACKOFF } from '../../../main/audit/syncBackoff';

/** A small deterministic PRNG (mulberry32), so the jittered schedule is reproducible. */
function seeded(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('backoff with full jitter', () => {
  const policy = { baseMs: 1_000, capMs: 60_000 };

  it('doubles the ceiling per failure up to the cap (random at its top end)', () => {
    const top = () => 0.999999;
    expect([1, 2, 3, 4, 5, 6, 7, 8, 20].map((n) => backoffDelayMs(n, policy, top))).toEqual([999, 1999, 3999, 7999, 15999, 31999, 59999, 59999, 59999]);
  });

  it('draws uniformly below the ceiling: zero is possible, the ceiling never is', () => {
    expect(backoffDelayMs(5, policy, () => 0)).toBe(0);
    const random = seeded(42);
    const delays = Array.from({ length: 2000 }, () => backoffDelayMs(4, policy, random));
    expect(Math.min(...delays)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...delays)).toBeLessThan(8_000);
    // Spread over the whole range, not bunched at the ceiling (which plain exponential backoff does).
    const mean = delays.reduce((a, b) => a + b, 0) / delays.length;
    expect(mean).toBeGreaterThan(3_500);
    expect(mean).toBeLessThan(4_500);
    expect(delays.filter((d) => d < 2_000).length).toBeGreaterThan(300);
  });

  it('the same seed gives the same schedule', () => {
    const schedule = (random: () => number) => [1, 2, 3, 4, 5, 6].map((n) => backoffDelayMs(n, DEFAULT_BACKOFF, random));
    expect(schedule(seeded(7))).toEqual(schedule(seeded(7)));
    expect(schedule(seeded(7))).not.toEqual(schedule(seeded(8)));
  });

  it("waits at least what the collector's Retry-After asked, but never beyond the cap", () => {
    expect(backoffDelayMs(1, policy, () => 0, 30_000)).toBe(30_000);
    expect(backoffDelayMs(1, policy, () => 0, 3_600_000)).toBe(60_000);
  });
});
