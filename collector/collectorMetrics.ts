// Prometheus text exposition of what this collector process did since it started, kept
// in memory as it works: a scrape never queries the database (a scan per scrape let one
// poller stall the server). Counts and codes only: no device names, no content.

export class CollectorMetrics {
  eventsIngested = 0;
  batchesAccepted = 0;
  readonly batchesRefused = new Map<string, number>();
  readonly enrollments = new Map<string, number>();
  readonly enrollmentsRefused = new Map<string, number>();
  /** Requests answered 503 because storage was busy, by route. */
  readonly shed = new Map<string, number>();
  readonly alertsStored = new Map<string, number>();
  /** Enrolled devices (all collectors on the storage), refreshed in the background. */
  devices = 0;
  /** Alert-rule findings stored (opening an alert or counted on an open one), by rule. */
  readonly ruleFindings = new Map<string, number>();
  /** Batches or timer runs whose rule evaluation failed (the events themselves were stored). */
  ruleFailures = 0;
  /** Batches whose first check a verification thread answered (collector/batchChecker). */
  batchesCheckedOnThreads = 0;
  /** Batch verification threads that stopped or missed their deadline (their batches were checked on the main thread). */
  verifyThreadsStopped = 0;
  readonly notificationsDelivered = new Map<string, number>();
  /** Failed delivery attempts, by channel: each is retried later. */
  readonly notificationFailures = new Map<string, number>();
  /** Undelivered notifications and the age of the oldest, by channel, as of the notifier's last round. */
  notificationsPending = new Map<string, number>();
  notificationsOldestPendingSeconds = new Map<string, number>();

  static bump(counter: Map<string, number>, label: string): void {
    counter.set(label, (counter.get(label) ?? 0) + 1);
  }

  render(): string {
    const lines: string[] = [];
    const metric = (name: string, type: 'counter' | 'gauge', help: string, samples: [string, number][]) => {
      lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
      for (const [labels, value] of samples) lines.push(`${name}${labels} ${value}`);
    };
    const labelled = (label: string, values: ReadonlyMap<string, number>): [string, number][] =>
      [...values].sort(([a], [b]) => a.localeCompare(b)).map(([key, value]) => [`{${label}="${key}"}`, value]);
    metric('cordon_collector_events_ingested_total', 'counter', 'Events verified and stored.', [['', this.eventsIngested]]);
    metric('cordon_collector_batches_accepted_total', 'counter', 'Batches acknowledged (including idempotent retries).', [['', this.batchesAccepted]]);
    metric('cordon_collector_batches_refused_total', 'counter', 'Event batches and device requests refused, by reason.', labelled('reason', this.batchesRefused));
    metric('cordon_collector_enrollments_total', 'counter', 'Devices newly enrolled, by proof.', labelled('method', this.enrollments));
    metric('cordon_collector_enrollments_refused_total', 'counter', 'Enrollments refused, by reason.', labelled('reason', this.enrollmentsRefused));
    metric('cordon_collector_requests_shed_total', 'counter', 'Requests answered 503 + Retry-After because storage was busy (pool exhausted, locks), by route.', labelled('route', this.shed));
    metric('cordon_collector_alerts_stored_total', 'counter', 'Alerts this collector stored (or folded into a repeated one), by kind.', labelled('kind', this.alertsStored));
    metric('cordon_collector_devices', 'gauge', 'Enrolled devices, as of the last refresh (at most a minute old).', [['', this.devices]]);
    metric('cordon_collector_rule_findings_total', 'counter', 'Alert-rule findings stored (a new alert, or counted on the open one of the same rule, subject and window), by rule.', labelled('rule', this.ruleFindings));
    metric('cordon_collector_rule_failures_total', 'counter', 'Rule evaluations that failed (after a batch was stored, or on the timer); the events were kept.', [['', this.ruleFailures]]);
    metric('cordon_collector_batches_checked_on_threads_total', 'counter', 'Batches verified on a worker thread (several devices sending) rather than on the main thread.', [['', this.batchesCheckedOnThreads]]);
    metric('cordon_collector_verify_threads_stopped_total', 'counter', 'Batch verification threads that stopped or missed their deadline; their batches were checked on the main thread.', [['', this.verifyThreadsStopped]]);
    metric('cordon_collector_notifications_delivered_total', 'counter', 'Notifications the receiver accepted, by channel.', labelled('channel', this.notificationsDelivered));
    metric('cordon_collector_notification_failures_total', 'counter', 'Failed notification attempts, by channel; each is retried with backoff until delivered.', labelled('channel', this.notificationFailures));
    metric('cordon_collector_notifications_pending', 'gauge', 'Notifications queued and not yet delivered (receiver down or slow), by channel.', labelled('channel', this.notificationsPending));
    metric('cordon_collector_notifications_oldest_pending_seconds', 'gauge', 'Age of the oldest undelivered notification, by channel.', labelled('channel', this.notificationsOldestPendingSeconds));
    return `${lines.join('\n')}\n`;
  }
}
