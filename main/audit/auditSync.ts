// Delivers the encrypted queue's events to the practice's collector: batches of
// unacknowledged events in chain order, each with a signed checkpoint, marked
// acknowledged only on the collector's verified answer, purged once past retention.
// All delivery state lives in the queue file, so a restart resumes where it stopped; when
// unsure (after a start, an enrollment or a 409) the collector's own view is fetched and
// checked against the local chain before anything more is sent. Transient failures back
// off with full jitter; answers that do not add up stop the sync and are reported and
// audited, because resending cannot fix them. Queue pressure is watched throughout.
import { hostname } from 'node:os';
import type { AuditSink } from '../../common/audit/auditSink';
import type { AuditEventType } from '../../common/audit/auditCatalog';
import { queuePressure, type QueuePressure } from '../../common/audit/queuePressure';
import { MAX_BATCH_EVENTS, type BatchAck } from '../../common/audit/syncProtocol';
import type { Policy } from '../../common/policy/policySchema';
import { AuditQueueError, classifyQueueError, type AuditQueue } from './auditQueue';
import { CollectorClient, type CollectorAnswer } from './collectorClient';
import { deviceIdOf, type DeviceKey } from './deviceKey';
import { currentEnrollment, enrollDevice, EnrollmentError, type EnrollmentProof } from './enrollment';
import { prepareBatch, type PreparedBatch } from './eventBatch';
import { backoffDelayMs, DEFAULT_BACKOFF, type BackoffPolicy } from './syncBackoff';
import type { SyncTransport } from './syncTransport';

/** Problems after which the sync tries again later. */
type RetryProblemCode = 'collector-unreachable' | 'clock-skew' | 'enrollment-failed' | 'unknown-device';
/** Problems after which the sync stops until restarted: resending cannot fix them. */
type StopProblemCode = 'batch-refused' | 'chain-mismatch' | 'collector-ahead' | 'collector-behind-purged' | 'collector-inconsistent' | 'queue-failed';
export type SyncProblemCode = RetryProblemCode | StopProblemCode;

export interface SyncProblem {
  code: SyncProblemCode;
  /** For IT: sequence numbers and reasons, never event content, tokens or codes. */
  message: string;
}

/** What a stop is audited as: evidence against the chain, or events the practice lacks. */
const STOP_AUDIT: Record<StopProblemCode, AuditEventType | null> = {
  'chain-mismatch': 'audit.tamper-detected',
  'collector-ahead': 'audit.tamper-detected',
  'batch-refused': 'audit.sync-gap',
  'collector-behind-purged': 'audit.sync-gap',
  'collector-inconsistent': 'audit.sync-gap',
  // The queue itself failed: recording is locked by onQueueFailure, nothing to record into.
  'queue-failed': null,
};

export type AuditSyncState = 'starting' | 'not-enrolled' | 'delivered' | 'retrying' | 'stopped';

export interface AuditSyncStatus {
  state: AuditSyncState;
  pressure: QueuePressure;
  unacknowledged: number;
  acknowledgedSeq: number;
  problem: SyncProblem | null;
  /** Epoch milliseconds of the next delivery attempt (null when stopped). */
  nextAttemptAt: number | null;
}

export interface SyncClock {
  now(): number;
  setTimer(callback: () => void, ms: number): { cancel(): void };
}

const realClock: SyncClock = {
  now: () => Date.now(),
  setTimer: (callback, ms) => {
    const handle = setTimeout(callback, ms);
    handle.unref();
    return { cancel: () => clearTimeout(handle) };
  },
};

export interface AuditSyncOptions {
  queue: AuditQueue;
  deviceKey: DeviceKey;
  policy: Pick<Policy['audit'], 'collectorUrl' | 'retentionDays' | 'queueSoftLimit' | 'queueHardLimit'>;
  transport: SyncTransport;
  /** Where the sync records pressure changes and stops (the app's queue sink). */
  audit: AuditSink;
  /** Every change of queue pressure: main tells the VA at 'soft' and starts no new session at 'hard'. */
  onPressure?: (pressure: QueuePressure) => void;
  /** Every change of state or problem (for the posture panel's "delivered to the practice"). */
  onStatus?: (status: AuditSyncStatus) => void;
  /** The queue failed under the sync (a full disk): main locks, as for a failed append. */
  onQueueFailure: (error: AuditQueueError) => void;
  /** What the collector said about this device's access in a batch's answer, with the nonce of that batch's request (common/audit/accessProtocol.ts). */
  onAccess?: (access: unknown, requestNonce: string) => void;
  /** Zero-touch enrollment: a proof while someone is signed in, null while nobody is. */
  enrollmentProof?: () => Promise<EnrollmentProof | null>;
  deviceName?: string;
  backoff?: BackoffPolicy;
  random?: () => number;
  clock?: SyncClock;
  /** How often pressure is checked, whatever the delivery is doing. */
  checkIntervalMs?: number;
  /** How long to wait after catching up (or while not enrolled) before looking again. */
  idleIntervalMs?: number;
}

type RoundOutcome =
  | { kind: 'delivered' }
  | { kind: 'not-enrolled' }
  | { kind: 'retry'; problem: SyncProblem; retryAfterMs: number }
  | { kind: 'stopped'; problem: SyncProblem & { code: StopProblemCode }; seq?: number };

const DAY_MS = 24 * 3600 * 1000;
/** Purging scans the queue; delivered events wait days anyway. */
const PURGE_INTERVAL_MS = 3600 * 1000;

const retry = (code: RetryProblemCode, message: string, retryAfterMs = 0): RoundOutcome => ({ kind: 'retry', problem: { code, message }, retryAfterMs });
const stop = (code: StopProblemCode, message: string, seq?: number): RoundOutcome => ({ kind: 'stopped', problem: { code, message }, ...(seq === undefined ? {} : { seq }) });

export class AuditSync {
  private readonly client: CollectorClient;
  private readonly clock: SyncClock;
  private state: AuditSyncState = 'starting';
  private problem: SyncProblem | null = null;
  private currentPressure: QueuePressure = 'ok';
  private failures = 0;
  private nextAttemptAt = 0;
  private lastPurgeAt = Number.NEGATIVE_INFINITY;
  /** Whether the collector's view must be fetched and checked before sending. */
  private unsure = true;
  private running: Promise<void> = Promise.resolve();
  private timer: { cancel(): void } | null = null;
  /** Only a started sync runs on the clock; syncNow() works either way. */
  private started = false;
  private ended = false;

  constructor(private readonly options: AuditSyncOptions) {
    this.clock = options.clock ?? realClock;
    this.client = new CollectorClient({ collectorUrl: options.policy.collectorUrl, transport: options.transport, deviceKey: options.deviceKey, deviceId: deviceIdOf(options.deviceKey.publicKeyPem), now: () => new Date(this.clock.now()) });
  }

  get pressure(): QueuePressure {
    return this.currentPressure;
  }

  get status(): AuditSyncStatus {
    const { queue } = this.options;
    return {
      state: this.state,
      pressure: this.currentPressure,
      unacknowledged: queue.unacknowledgedCount(),
      acknowledgedSeq: queue.acknowledgedSeq,
      problem: this.problem,
      nextAttemptAt: this.state === 'stopped' ? null : this.nextAttemptAt,
    };
  }

  /** Checks pressure now and starts delivering on the clock. */
  start(): void {
    this.started = true;
    this.tick();
  }

  /** New events were recorded: deliver soon, unless backing off or stopped. */
  nudge(): void {
    if (this.ended || this.state === 'stopped' || this.state === 'retrying') return;
    this.nextAttemptAt = Math.min(this.nextAttemptAt, this.clock.now());
    this.schedule(0);
  }

  /** One delivery round now, whatever the backoff says (after any round in progress). */
  async syncNow(): Promise<AuditSyncStatus> {
    await this.exclusive(() => this.deliver());
    return this.status;
  }

  /** Enrolls with a one-time code IT issued; throws EnrollmentError with a sentence for the VA. */
  async enrollWithCode(code: string): Promise<void> {
    await this.exclusive(async () => {
      try {
        await enrollDevice({ ...this.enrollmentTarget(), proof: { kind: 'enrollment-code', code: code.trim().toUpperCase() } });
      } catch (error) {
        this.enrollmentFailed(error instanceof EnrollmentError ? error.code : 'error');
        throw error;
      }
      this.options.audit.record({ type: 'audit.device-enrolled', outcome: 'success', reason: 'enrollment-code' });
      this.unsure = true;
      if (this.state === 'not-enrolled' || this.state === 'retrying') this.nextAttemptAt = this.clock.now();
    });
    this.schedule(0);
  }

  /** Stops the clock and waits for a round in progress; the queue stays open. */
  async stop(): Promise<void> {
    this.ended = true;
    this.timer?.cancel();
    this.timer = null;
    await this.running;
  }

  private tick(): void {
    this.timer = null;
    if (this.ended) return;
    this.guard(() => this.updatePressure());
    if (this.state === 'stopped' || this.clock.now() < this.nextAttemptAt) this.scheduleNext();
    else void this.exclusive(() => this.deliver()).then(() => this.scheduleNext());
  }

  /** The next tick: when the next attempt is due, and at least every checkIntervalMs for pressure. */
  private scheduleNext(): void {
    const wait = this.state === 'stopped' ? Number.POSITIVE_INFINITY : this.nextAttemptAt - this.clock.now();
    this.schedule(Math.max(0, Math.min(wait, this.options.checkIntervalMs ?? 10_000)));
  }

  private schedule(ms: number): void {
    if (!this.started || this.ended) return;
    this.timer?.cancel();
    this.timer = this.clock.setTimer(() => this.tick(), ms);
  }

  /** Runs `task` after whatever is running, so rounds and enrollments never overlap. */
  private exclusive(task: () => Promise<void>): Promise<void> {
    const next = this.running.then(task);
    this.running = next.catch(() => undefined);
    return next;
  }

  /** One round and its consequences; never throws (it runs from a timer). */
  private async deliver(): Promise<void> {
    let outcome: RoundOutcome;
    try {
      outcome = await this.round();
    } catch (error) {
      if (error instanceof AuditQueueError) {
        this.queueFailed(error);
        outcome = stop('queue-failed', `the audit queue failed during delivery: ${error.message}`);
      } else {
        outcome = retry('collector-unreachable', `delivery failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    this.guard(() => {
      this.apply(outcome);
      this.updatePressure();
    });
  }

  private apply(outcome: RoundOutcome): void {
    const now = this.clock.now();
    const { idleIntervalMs = 30_000 } = this.options;
    const before = { state: this.state, problem: this.problem };
    if (outcome.kind === 'retry') {
      this.failures += 1;
      this.nextAttemptAt = now + backoffDelayMs(this.failures, this.options.backoff ?? DEFAULT_BACKOFF, this.options.random ?? Math.random, outcome.retryAfterMs);
      this.state = 'retrying';
      this.problem = outcome.problem;
    } else if (outcome.kind === 'stopped') {
      this.state = 'stopped';
      this.problem = outcome.problem;
      const type = STOP_AUDIT[outcome.problem.code];
      if (type !== null) this.options.audit.record({ type, outcome: 'failure', reason: outcome.seq === undefined ? outcome.problem.code : `${outcome.problem.code}@${outcome.seq}` });
    } else {
      this.failures = 0;
      this.nextAttemptAt = now + idleIntervalMs;
      this.state = outcome.kind;
      this.problem = null;
    }
    if (before.state !== this.state || before.problem?.code !== this.problem?.code) this.options.onStatus?.(this.status);
  }

  private updatePressure(): void {
    const { queue, policy } = this.options;
    const count = queue.unacknowledgedCount();
    const next = queuePressure(count, policy, this.currentPressure);
    if (next === this.currentPressure) return;
    this.currentPressure = next;
    this.options.audit.record({ type: 'audit.queue-pressure', outcome: next === 'ok' ? 'success' : next === 'soft' ? 'failure' : 'blocked', reason: `${next}:${count}` });
    this.options.onPressure?.(next);
  }

  /** Runs queue work from a timer: a failing queue is reported (main locks), not thrown. */
  private guard(work: () => void): void {
    try {
      work();
    } catch (error) {
      this.queueFailed(classifyQueueError(error));
    }
  }

  /** Nothing more can be delivered or measured from a failed queue: report once and end. */
  private queueFailed(error: AuditQueueError): void {
    if (this.ended) return;
    this.ended = true;
    this.timer?.cancel();
    this.state = 'stopped';
    this.problem = { code: 'queue-failed', message: `the audit queue failed: ${error.message}` };
    this.options.onQueueFailure(error);
  }

  private enrollmentTarget() {
    const { queue, deviceKey, deviceName = hostname() } = this.options;
    return { queue, client: this.client, deviceKey, deviceName, now: () => this.clock.now() };
  }

  private async round(): Promise<RoundOutcome> {
    if (currentEnrollment(this.options.queue, this.client) === null) {
      const enrolled = await this.enroll();
      if (enrolled !== null) return enrolled;
    }
    if (this.unsure) {
      const checked = await this.reconcile();
      if (checked !== null) return checked;
    }
    // A refusal right after reconciling, for the same batch start, means the collector
    // contradicts itself: stop rather than loop.
    let reconciledAt: number | null = null;
    // Batches go one at a time, each after the last one's answer; the device's own work
    // for them runs while the collector verifies the one in flight: marking the previous
    // batch delivered, and preparing the next in case this one is accepted.
    let delivered: number | null = null;
    let batch = this.batchAfter(0);
    while (batch !== null) {
      const sent = batch;
      const [answer, following] = await whileInFlight(this.client.sendBatch(sent.body), () => {
        if (delivered !== null) this.options.queue.acknowledge(delivered, this.clock.now());
        delivered = null;
        return this.batchAfter(sent.lastSeq);
      });
      if (answer.kind === 'unavailable') return retry('collector-unreachable', answer.message, answer.retryAfterMs);
      if (answer.kind === 'refused') {
        const outcome = await this.refused(answer, sent, reconciledAt);
        if (outcome !== null) return outcome;
        reconciledAt = sent.firstSeq;
        batch = this.batchAfter(0);
        continue;
      }
      const accepted = this.accept(answer.value, sent);
      if (typeof accepted !== 'number') return accepted;
      if (answer.value.access !== undefined) this.options.onAccess?.(answer.value.access, answer.value.requestNonce);
      delivered = accepted;
      // Events recorded since `following` was read, or after a partly acknowledged batch.
      batch = accepted === sent.lastSeq && following !== null ? following : this.batchAfter(accepted);
    }
    if (delivered !== null) this.options.queue.acknowledge(delivered, this.clock.now());
    this.purgeDelivered();
    return { kind: 'delivered' };
  }

  /** The next batch of undelivered events after sequence `after` (0: from the first), or null when there are none. */
  private batchAfter(after: number): PreparedBatch | null {
    const events = this.options.queue.unacknowledged(MAX_BATCH_EVENTS, after);
    return events.length === 0 ? null : prepareBatch(events, this.client.deviceId, this.options.deviceKey.privateKey);
  }

  /** Zero-touch enrollment; null once enrolled. */
  private async enroll(): Promise<RoundOutcome | null> {
    try {
      const proof = (await this.options.enrollmentProof?.()) ?? null;
      if (proof === null) return { kind: 'not-enrolled' };
      await enrollDevice({ ...this.enrollmentTarget(), proof });
      this.options.audit.record({ type: 'audit.device-enrolled', outcome: 'success', reason: proof.kind });
      this.unsure = true;
      return null;
    } catch (error) {
      if (error instanceof AuditQueueError) throw error;
      this.enrollmentFailed(error instanceof EnrollmentError ? error.code : 'no-collector-token');
      // The proof source's own errors (an IdP refusing the token request) are its to audit;
      // only their kind is kept here, never their text (it might quote a token).
      const message = error instanceof EnrollmentError ? error.message : `no token for the audit collector could be obtained (${error instanceof Error ? error.name : 'error'})`;
      return retry('enrollment-failed', message);
    }
  }

  /** Audits a failed enrollment once per kind of failure, not on every retry. */
  private lastEnrollmentFailure: string | null = null;

  private enrollmentFailed(code: string): void {
    if (code === this.lastEnrollmentFailure) return;
    this.lastEnrollmentFailure = code;
    this.options.audit.record({ type: 'audit.enrollment-failed', outcome: 'failure', reason: code });
  }

  /**
   * The collector's ack: must lie within the batch and name the same link as the local
   * chain. The sequence it acknowledges, for the caller to mark delivered, or why not.
   */
  private accept(ack: BatchAck, batch: PreparedBatch): RoundOutcome | number {
    const seq = ack.acknowledgedSeq;
    if (seq < batch.firstSeq - 1 || seq > batch.lastSeq) {
      return stop('collector-inconsistent', `the collector acknowledged sequence ${seq} for a batch of ${batch.firstSeq}..${batch.lastSeq}`, seq);
    }
    if (this.options.queue.linkAt(seq)?.toString('hex') !== ack.acknowledgedLink) {
      return stop('chain-mismatch', `the collector's chain link at sequence ${seq} differs from this device's`, seq);
    }
    if (seq === batch.firstSeq - 1) return retry('collector-unreachable', `the collector accepted none of ${batch.firstSeq}..${batch.lastSeq}`);
    return seq;
  }

  private async refused(answer: Extract<CollectorAnswer<unknown>, { kind: 'refused' }>, batch: PreparedBatch, reconciledAt: number | null): Promise<RoundOutcome | null> {
    const what = `the collector refused ${batch.firstSeq}..${batch.lastSeq} (HTTP ${answer.status} ${answer.error ?? 'without a reason'}: ${answer.message})`;
    switch (answer.error) {
      case 'gap':
      case 'chain-mismatch':
        if (answer.expectedSeq === undefined) return stop('batch-refused', what, batch.firstSeq);
        if (reconciledAt === batch.firstSeq) return stop('collector-inconsistent', `${what} again after agreeing where its copy ends`, batch.firstSeq);
        return this.reconcile(answer.expectedSeq);
      case 'unknown-device':
        this.options.queue.forgetEnrollment();
        return retry('unknown-device', 'the collector does not know this device: it will enroll again at the next sign-in or with a code from IT');
      case 'stale-request':
        return retry('clock-skew', "the collector says this computer's clock is more than 5 minutes off: check the date and time");
      case 'replayed-request':
        return retry('collector-unreachable', what);
      case 'bad-signature':
      case 'bad-checkpoint':
      case 'invalid-body':
        return stop('batch-refused', what, batch.firstSeq);
      default:
        // Not a protocol refusal (a proxy's page, an unknown code): nothing was stored, try later.
        return retry('collector-unreachable', what);
    }
  }

  /**
   * Fetches where the collector's copy ends and checks it against the local chain: the same
   * link at that sequence, and every later event still here to send. Then moves the local
   * acknowledgement mark there (forward after a crash between the collector's answer and
   * the local update; back, and audited, if the collector lost events). Null when in step.
   */
  private async reconcile(expectedSeq?: number): Promise<RoundOutcome | null> {
    const { queue } = this.options;
    const answer = await this.client.status();
    if (answer.kind === 'unavailable') return retry('collector-unreachable', answer.message, answer.retryAfterMs);
    if (answer.kind === 'refused') {
      if (answer.error === 'unknown-device') {
        queue.forgetEnrollment();
        return retry('unknown-device', 'the collector does not know this device: it will enroll again at the next sign-in or with a code from IT');
      }
      if (answer.error === 'stale-request') return retry('clock-skew', "the collector says this computer's clock is more than 5 minutes off: check the date and time");
      return retry('collector-unreachable', `the collector refused the status request (HTTP ${answer.status} ${answer.error ?? ''}: ${answer.message})`);
    }
    const { deviceId, acknowledgedSeq: seq, acknowledgedLink } = answer.value;
    if (deviceId !== this.client.deviceId) return stop('collector-inconsistent', 'the collector answered for another device');
    if (expectedSeq !== undefined && expectedSeq !== seq + 1) return stop('collector-inconsistent', `the collector asked for sequence ${expectedSeq} but says its copy ends at ${seq}`, seq);
    if (seq > queue.lastSeq) return stop('collector-ahead', `the collector holds events up to sequence ${seq}, this device wrote only up to ${queue.lastSeq}`, seq);
    const behindPurged = () => stop('collector-behind-purged', `the collector's copy ends at sequence ${seq}, but this device already purged the events after it as delivered`, seq);
    const local = queue.linkAt(seq);
    if (local === null) return behindPurged();
    if (local.toString('hex') !== acknowledgedLink) return stop('chain-mismatch', `the collector's chain link at sequence ${seq} differs from this device's`, seq);
    const believed = queue.acknowledgedSeq;
    if (seq > believed) queue.acknowledge(seq, this.clock.now());
    if (seq < believed) {
      if (!queue.reopenAfter(seq)) return behindPurged();
      this.options.audit.record({ type: 'audit.sync-gap', outcome: 'failure', reason: `collector-lost:${seq + 1}-${believed}` });
    }
    this.unsure = false;
    return null;
  }

  private purgeDelivered(): void {
    const now = this.clock.now();
    if (now - this.lastPurgeAt < PURGE_INTERVAL_MS) return;
    this.options.queue.purgeDelivered(this.options.policy.retentionDays * DAY_MS, now);
    this.lastPurgeAt = now;
  }
}

/**
 * Runs `work` while `request` is in flight and returns both results. The request is
 * always settled before this returns or throws, so a failing `work` leaves nothing behind.
 */
async function whileInFlight<T, U>(request: Promise<T>, work: () => U): Promise<[T, U]> {
  let done: U;
  try {
    // Let the request leave first: Node's HTTP client writes it on the next tick.
    await new Promise((resolve) => process.nextTick(resolve));
    done = work();
  } catch (error) {
    await request.catch(() => undefined);
    throw error;
  }
  return [await request, done];
}

/** Builds the sync for a policy and starts it on the clock. */
export function startAuditSync(options: AuditSyncOptions): AuditSync {
  const sync = new AuditSync(options);
  sync.start();
  return sync;
}
