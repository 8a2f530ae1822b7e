// Short names people read for the collector's alert kinds (collector/alerts.ts names them
// for machines). A kind not listed here, such as a rule added later, shows as it is sent.
const ALERT_KIND_LABELS: Record<string, string> = {
  gap: 'Events missing (gap)',
  deletion: 'Events deleted',
  reorder: 'Events out of order',
  edit: 'History edited',
  fork: 'History rewritten (fork)',
  truncation: 'History reset (truncation)',
  'bad-checkpoint': 'Checkpoint does not verify',
  'invalid-event': 'Invalid event',
  replay: 'Request replayed',
  'stale-request': 'Request outside the clock window',
  'unknown-device': 'Unknown device',
  'bad-signature': 'Bad device signature',
};

export const alertKindLabel = (kind: string): string => ALERT_KIND_LABELS[kind] ?? kind;
