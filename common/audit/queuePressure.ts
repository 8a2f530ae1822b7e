// How far the audit events not yet delivered to the practice have piled up, against IT's
// limits: 'soft' tells the VA the activity log is not reaching the practice, 'hard'
// stops new sessions until it drains (fail closed). A level is entered on reaching its
// limit and left only once the count is back under 90% of it, so a queue hovering at a
// limit (the pressure event itself is one more queued event) does not flap.
import type { Policy } from '../policy/policySchema';

export const QUEUE_PRESSURES = ['ok', 'soft', 'hard'] as const;
export type QueuePressure = (typeof QUEUE_PRESSURES)[number];

export type QueueLimits = Pick<Policy['audit'], 'queueSoftLimit' | 'queueHardLimit'>;

/** Below this share of a limit the level it guards is left again. */
const RELEASE_RATIO = 0.9;

export function queuePressure(unacknowledged: number, limits: QueueLimits, previous: QueuePressure = 'ok'): QueuePressure {
  const reached = (limit: number, level: QueuePressure) =>
    unacknowledged >= limit || (QUEUE_PRESSURES.indexOf(previous) >= QUEUE_PRESSURES.indexOf(level) && unacknowledged >= Math.ceil(limit * RELEASE_RATIO));
  if (reached(limits.queueHardLimit, 'hard')) return 'hard';
  if (reached(limits.queueSoftLimit, 'soft')) return 'soft';
  return 'ok';
}
