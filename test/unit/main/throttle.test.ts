// Budgets and the block aggregator: the first of each kind always recorded, repeats
// summarised with a count, floods bounded.
import { describe, expect, it } from 'vitest';
import { BlockAggregator } from '../../../main/throttle/blockAggregator';
import { WindowBudget } from '../../../main/throttle/windowBudget';
import { RecordingAuditSink } from '../../support/electronFakes';

describe('WindowBudget', () => {
  it('lets `limit` uses through per key and window, then counts; the count comes back once when the window ends', () => {
    const budget = new WindowBudget<string>(2, 1_000);
    const overflows: unknown[] = [];
    const take = (key: string, now: number) => budget.take(key, now, (o) => overflows.push(o));
    expect([take('print', 0), take('print', 1), take('print', 2), take('print', 3)]).toEqual([true, true, false, false]);
    // Another key has its own budget.
    expect(take('watermark', 4)).toBe(true);
    budget.expire(999, (o) => overflows.push(o));
    expect(overflows).toEqual([]);
    budget.expire(1_000, (o) => overflows.push(o));
    expect(overflows).toEqual([{ key: 'print', suppressed: 2 }]);
    expect(take('print', 1_001)).toBe(true);
  });
});

describe('BlockAggregator', () => {
  const block = (origin: string, reason = 'origin-not-approved') => ({ type: 'request.blocked' as const, outcome: 'blocked' as const, appId: 'ehr', origin, reason });

  it('records the first block per (app, type, origin, reason) at once and one summary with the count at the window end', () => {
    let now = 0;
    const sink = new RecordingAuditSink();
    const aggregator = new BlockAggregator(sink, { windowMs: 10_000, now: () => now });
    for (let i = 0; i < 500; i += 1) aggregator.record(block('https://tracker.example.net'));
    aggregator.record(block('https://tracker.example.net', 'websocket'));
    expect(sink.events).toEqual([block('https://tracker.example.net'), block('https://tracker.example.net', 'websocket')]);
    now = 10_000;
    aggregator.flush();
    expect(sink.events.slice(2)).toEqual([{ type: 'request.blocked', outcome: 'blocked', appId: 'ehr', origin: 'https://tracker.example.net', reason: 'origin-not-approved (+499 repeats in 10 s)' }]);
  });

  it('passes what is not a block straight through', () => {
    const sink = new RecordingAuditSink();
    const aggregator = new BlockAggregator(sink);
    const opened = { type: 'app.opened' as const, outcome: 'success' as const, appId: 'ehr' };
    aggregator.record(opened);
    aggregator.record(opened);
    expect(sink.events).toEqual([opened, opened]);
  });

  it('bounds a page inventing origins: past maxKeys new keys are only counted', () => {
    let now = 0;
    const sink = new RecordingAuditSink();
    const aggregator = new BlockAggregator(sink, { windowMs: 10_000, maxKeys: 3, now: () => now });
    for (let i = 0; i < 100; i += 1) aggregator.record(block(`https://x${i}.example.net`));
    expect(sink.events).toHaveLength(3);
    now = 10_000;
    aggregator.flush();
    expect(sink.events.slice(3)).toEqual([{ type: 'request.blocked', outcome: 'blocked', appId: 'ehr', reason: '+97 more blocks to other origins in 10 s' }]);
  });
});
