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
    return `${lines.join('\n')}\n`;
  }
}
