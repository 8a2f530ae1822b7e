// The audit sink the running app records into: the encrypted queue. Events recorded
// before the queue could be opened (Electron's keychain is only usable once the app is
// ready) wait in memory and go in first. If the queue fails, Cordon is told to lock, and
// every event from then on is kept in memory: nothing is silently dropped.
import type { AuditEvent, AuditEventInput, AuditSink } from '../../common/audit/auditSink';
import { auditEventBodySchema } from '../../common/audit/syncProtocol';
import { classifyQueueError, type AuditQueue, type AuditQueueError } from './auditQueue';

const BOUNDED_FIELDS = ['appId', 'origin', 'reason'] as const;

/**
 * The event cut to the wire protocol's field limits. An event is chained for good once
 * queued: one the collector would refuse as too long would stop delivery for ever.
 */
export function withinWireLimits(input: AuditEventInput): AuditEventInput {
  const bounded = { ...input };
  for (const field of BOUNDED_FIELDS) {
    const value = bounded[field];
    const max = auditEventBodySchema.shape[field].unwrap().maxLength ?? Number.POSITIVE_INFINITY;
    if (value !== undefined && value.length > max) bounded[field] = `${value.slice(0, max - 1)}…`;
  }
  return bounded;
}

export class QueueAuditSink implements AuditSink {
  private queue: AuditQueue | null = null;
  private failed: AuditQueueError | null = null;
  /** Events not (yet) in the queue, oldest first. */
  readonly pending: AuditEvent[] = [];

  /** Who is signed in and the session's code, stamped on every event while there is one. */
  private context: () => { subject: string; session: string } | null = () => null;

  constructor(
    private readonly onFailure: (error: AuditQueueError) => void,
    private readonly now: () => Date = () => new Date(),
  ) {}

  setContext(context: () => { subject: string; session: string } | null): void {
    this.context = context;
  }

  /** Observers see every event as it is recorded (e.g. to tell the VA what was blocked). */
  private readonly observers: ((event: AuditEventInput) => void)[] = [];

  observe(observer: (event: AuditEventInput) => void): void {
    this.observers.push(observer);
  }

  get failure(): AuditQueueError | null {
    return this.failed;
  }

  record(input: AuditEventInput): void {
    this.pending.push({ ...withinWireLimits(input), ...(this.context() ?? {}), recordedAt: this.now().toISOString() });
    this.flush();
    for (const observer of this.observers) observer(input);
  }

  /** Starts writing to the queue, beginning with everything recorded so far. */
  attach(queue: AuditQueue): void {
    this.queue = queue;
    this.flush();
  }

  /** The queue could not be opened at all: lock, keep recording in memory. */
  fail(error: AuditQueueError): void {
    if (this.failed !== null) return;
    this.failed = error;
    this.onFailure(error);
  }

  private flush(): void {
    if (this.queue === null || this.failed !== null || this.pending.length === 0) return;
    try {
      this.queue.appendBatch(this.pending);
      this.pending.length = 0;
    } catch (error) {
      this.fail(classifyQueueError(error));
    }
  }
}
