// Queue pressure levels against IT's soft and hard limits, with hysteresis.
import { describe, expect, it } from 'vitest';
import { queuePressure } from '../../../common/audit/queuePressure';

const limits = { queueSoftLimit: 1_000, queueHardLimit: 5_000 };

describe('queue pressure', () => {
  it('is ok below the soft limit, soft from it, hard from the hard limit', () => {
    expect(queuePressure(0, limits)).toBe('ok');
    expect(queuePressure(999, limits)).toBe('ok');
    expect(queuePressure(1_000, limits)).toBe('soft');
    expect(queuePressure(4_999, limits)).toBe('soft');
    expect(queuePressure(5_000, limits)).toBe('hard');
    expect(queuePressure(1e9, limits)).toBe('hard');
  });

  it('leaves a level only under 90% of its limit, so a queue at the limit does not flap', () => {
    expect(queuePressure(999, limits, 'soft')).toBe('soft');
    expect(queuePressure(900, limits, 'soft')).toBe('soft');
    expect(queuePressure(899, limits, 'soft')).toBe('ok');
    expect(queuePressure(4_500, limits, 'hard')).toBe('hard');
    expect(queuePressure(4_499, limits, 'hard')).toBe('soft');
    // Draining all at once goes straight back to ok.
    expect(queuePressure(0, limits, 'hard')).toBe('ok');
    // Hysteresis never holds a level that was not reached.
    expect(queuePressure(4_600, limits, 'soft')).toBe('soft');
  });

  it('works with the smallest limits', () => {
    const tiny = { queueSoftLimit: 1, queueHardLimit: 2 };
    expect(queuePressure(0, tiny, 'soft')).toBe('ok');
    expect(queuePressure(1, tiny, 'hard')).toBe('soft');
    expect(queuePressure(2, tiny)).toBe('hard');
  });
});
