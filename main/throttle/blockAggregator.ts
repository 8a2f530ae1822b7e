// Audits main-side blocks once per (app, event type, origin, reason) per window instead
// of once per blocked request: a page that retries a refused request in a loop would
// otherwise fill the audit queue (and reach its hard limit, which locks Cordon). The
// first block of each key is recorded at once; repeats are counted and recorded as one
// summary when the window ends. Past `maxKeys` distinct keys per app and type (a page
// inventing origins), new keys are summarised per app and type too. Anything that is
// not a block passes straight through.
import type { AuditEventInput, AuditSink } from '../../common/audit/auditSink';
import { WindowBudget } from './windowBudget';

export interface BlockAggregatorOptions {
  windowMs?: number;
  /** Distinct (origin, reason) keys recorded per app and event type per window. */
  maxKeys?: number;
  now?: () => number;
}

type Key = Pick<AuditEventInput, 'type' | 'appId' | 'origin' | 'reason'>;

export class BlockAggregator implements AuditSink {
  private readonly repeats: WindowBudget<Key>;
  private readonly distinct: WindowBudget<Key>;
  private readonly now: () => number;
  private readonly windowSeconds: number;

  constructor(
    private readonly sink: AuditSink,
    { windowMs = 10_000, maxKeys = 50, now = Date.now }: BlockAggregatorOptions = {},
  ) {
    this.repeats = new WindowBudget<Key>(1, windowMs);
    this.distinct = new WindowBudget<Key>(maxKeys, windowMs);
    this.now = now;
    this.windowSeconds = Math.round(windowMs / 1000);
  }

  record(event: AuditEventInput): void {
    if (event.outcome !== 'blocked') {
      this.sink.record(event);
      return;
    }
    const now = this.now();
    const key: Key = { type: event.type, appId: event.appId, origin: event.origin, reason: event.reason };
    const summarise = this.summariser();
    // A repeat of a key already recorded in this window is only counted.
    if (!this.repeats.take(key, now, summarise)) return;
    // A new key: recorded while the app and type have distinct keys to spare; past that,
    // counted per app and type only, so invented origins do not reach the trail one by one.
    if (this.distinct.take({ type: event.type, appId: event.appId }, now, this.distinctSummariser())) this.sink.record(event);
    else this.repeats.forget(key);
  }

  /** Records the summaries of windows that ended; call it on a timer. */
  flush(): void {
    const now = this.now();
    this.repeats.expire(now, this.summariser());
    this.distinct.expire(now, this.distinctSummariser());
  }

  private summariser() {
    return ({ key, suppressed }: { key: Key; suppressed: number }) =>
      this.sink.record({ ...withoutUndefined(key), outcome: 'blocked', reason: `${key.reason ?? key.type} (+${suppressed} repeats in ${this.windowSeconds} s)` });
  }

  private distinctSummariser() {
    return ({ key, suppressed }: { key: Key; suppressed: number }) =>
      this.sink.record({ ...withoutUndefined(key), outcome: 'blocked', reason: `+${suppressed} more blocks to other origins in ${this.windowSeconds} s` });
  }
}

function withoutUndefined(key: Key): Key {
  return Object.fromEntries(Object.entries(key).filter(([, value]) => value !== undefined)) as Key;
}
