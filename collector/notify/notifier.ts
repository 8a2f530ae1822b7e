// Delivers the outbox: an alert that opens is queued for each channel whose minimum
// severity it meets, then sent in the background, never on the ingest path. A failed
// attempt is retried with exponential backoff (with jitter, capped) for as long as it
// takes; /metrics shows what waits and how old the oldest is.
import { atLeast, type AlertSeverity } from '../alerts';
import { CollectorMetrics } from '../collectorMetrics';
import type { OpenedAlert } from '../rules/ruleStore';
import type { ChannelName } from '../rules/rulesSchema';
import { alertNotification, alertNotificationSchema, type AlertNotification } from './notification';
import type { Outbox } from './outbox';

export interface Channel {
  name: ChannelName;
  minSeverity: AlertSeverity;
  /** Resolves once the receiver has the notification; rejects with a reason free of its content. */
  deliver(notification: AlertNotification): Promise<void>;
}

export interface NotifierTiming {
  /** How often the outbox is checked for due retries (new alerts are sent at once). Default 5 s. */
  pollMs: number;
  /** First retry after about this long, doubling per attempt up to maxRetryMs. */
  firstRetryMs: number;
  maxRetryMs: number;
  /** How long one collector holds a row it is delivering. */
  leaseMs: number;
}

export const DEFAULT_NOTIFIER_TIMING: NotifierTiming = { pollMs: 5_000, firstRetryMs: 5_000, maxRetryMs: 15 * 60_000, leaseMs: 60_000 };
const ROWS_PER_ROUND = 50;

/** Half the backoff plus a random half: collectors and channels do not retry in step. */
export function retryDelay(attempts: number, timing: Pick<NotifierTiming, 'firstRetryMs' | 'maxRetryMs'>): number {
  const full = Math.min(timing.maxRetryMs, timing.firstRetryMs * 2 ** Math.min(attempts, 30));
  return Math.round(full / 2 + Math.random() * (full / 2));
}

export class Notifier {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private closed = false;

  constructor(
    private readonly outbox: Outbox,
    private readonly channels: readonly Channel[],
    private readonly metrics: CollectorMetrics,
    private readonly timing: NotifierTiming = DEFAULT_NOTIFIER_TIMING,
  ) {}

  /** Queues the alert for its channels and starts sending; resolves once it is queued. */
  async announce(alert: OpenedAlert): Promise<void> {
    const channels = this.channels.filter((c) => atLeast(alert.severity, c.minSeverity)).map((c) => c.name);
    await this.outbox.enqueue(alert.id, channels, JSON.stringify(alertNotification(alert)), Date.now());
    if (channels.length > 0) this.kick();
  }

  start(): void {
    if (this.channels.length === 0) return;
    this.kick();
  }

  /** Sends what is due now, then checks again after pollMs. */
  private kick(): void {
    if (this.closed) return;
    if (this.running !== null) {
      this.again = true;
      return;
    }
    if (this.timer !== null) clearTimeout(this.timer);
    this.running = this.round()
      .catch((error: unknown) => console.error(`collector: notification outbox failed: ${error instanceof Error ? error.message : String(error)}`))
      .finally(() => {
        this.running = null;
        if (this.closed) return;
        if (this.again) {
          this.again = false;
          this.kick();
        } else {
          this.timer = setTimeout(() => this.kick(), this.timing.pollMs);
          this.timer.unref();
        }
      });
  }

  /** Channels in parallel, each in order: one slow receiver does not hold up the others. */
  private async round(): Promise<void> {
    await Promise.all(this.channels.map((channel) => this.drain(channel)));
    const pending = await this.outbox.pending();
    const now = Date.now();
    this.metrics.notificationsPending = new Map(pending.map((p) => [p.channel, p.count]));
    this.metrics.notificationsOldestPendingSeconds = new Map(pending.map((p) => [p.channel, Math.max(0, Math.round((now - p.oldestCreatedAt) / 1000))]));
  }

  private async drain(channel: Channel): Promise<void> {
    const rows = await this.outbox.due(channel.name, Date.now(), ROWS_PER_ROUND);
    // More may be due: go on at once rather than after pollMs.
    if (rows.length === ROWS_PER_ROUND) this.again = true;
    for (const row of rows) {
      if (this.closed) return;
      if (!(await this.outbox.claim(row.id, Date.now(), this.timing.leaseMs))) continue;
      try {
        await channel.deliver(alertNotificationSchema.parse(JSON.parse(row.payload)));
        await this.outbox.delivered(row.id, Date.now());
        CollectorMetrics.bump(this.metrics.notificationsDelivered, channel.name);
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        await this.outbox.failed(row.id, Date.now() + retryDelay(row.attempts, this.timing), reason);
        CollectorMetrics.bump(this.metrics.notificationFailures, channel.name);
      }
    }
  }

  /** Stops sending; an attempt in flight finishes (its row stays leased until then). */
  async close(): Promise<void> {
    this.closed = true;
    if (this.timer !== null) clearTimeout(this.timer);
    await this.running;
  }
}
