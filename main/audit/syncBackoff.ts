// When to try the collector again after a failure: exponential backoff with "full
// jitter" (a uniformly random delay below the exponential ceiling), so devices that lost
// the collector together do not come back in lockstep. Pure: randomness is passed in.

export interface BackoffPolicy {
  /** Ceiling after the first failure. */
  baseMs: number;
  /** Largest ceiling, however many failures. */
  capMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 1_000, capMs: 5 * 60_000 };

/**
 * Delay before the next attempt after `failures` consecutive failures (1 or more):
 * uniform in [0, min(cap, base·2^(failures-1))), never less than what the collector
 * asked for with Retry-After.
 */
export function backoffDelayMs(failures: number, policy: BackoffPolicy, random: () => number, retryAfterMs = 0): number {
  const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** Math.max(0, failures - 1));
  return Math.max(Math.floor(random() * ceiling), Math.min(retryAfterMs, policy.capMs));
}
