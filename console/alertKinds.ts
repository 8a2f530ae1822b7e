// Short names people read for the collector's alert kinds (collector/alerts.ts names them
// for machines) and for the alert rules' ids (collector/rules/rulesSchema.ts), and what one
// rule alert's window is: a rule folds its repeats in a window into one alert. A kind not
// listed here, such as a rule added later, shows as it is sent.
import type { AlertRow } from '../common/console/consoleApi';
import { formatDate, formatDayTime } from './format';

const CHAIN_ALERT_LABELS: Record<string, string> = {
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

/**
 * How a rule's window reads: a run of minutes starting at its start (bursts), the practice's
 * day (its date at 00:00 UTC), or the moment a device went quiet.
 */
type RuleWindow = 'minutes' | 'day' | 'silence';

const RULES: Record<string, { label: string; window: RuleWindow }> = {
  'off-hours-sign-in': { label: 'Sign-in outside working hours', window: 'day' },
  'blocked-burst': { label: 'Many blocked attempts in a short time', window: 'minutes' },
  'device-silent': { label: 'Device stopped syncing during a session', window: 'silence' },
  'queue-pressure': { label: 'Unsent audit events piling up on a device', window: 'day' },
  'failed-sign-ins': { label: 'Repeated refused sign-ins', window: 'minutes' },
  'new-device-for-user': { label: 'User on a device they never used', window: 'day' },
  'shared-device': { label: 'Several users on one device in a day', window: 'day' },
  'idle-locks': { label: 'Many idle locks', window: 'minutes' },
  'capture-tool': { label: 'Screen capture tool running', window: 'day' },
  'watermark-tampering': { label: 'Watermark tampered with', window: 'day' },
};

export const alertKindLabel = (kind: string): string => CHAIN_ALERT_LABELS[kind] ?? RULES[kind]?.label ?? kind;

/** What a rule alert's window is, in words; null for a chain alert (it has none). */
export function alertWindow(alert: Pick<AlertRow, 'kind' | 'windowStart'>): string | null {
  if (alert.windowStart === null) return null;
  switch (RULES[alert.kind]?.window) {
    case 'day':
      return `the practice's day ${formatDate(alert.windowStart)}`;
    case 'silence':
      return `silent since ${formatDayTime(alert.windowStart)}`;
    default:
      return `the rule's window starting ${formatDayTime(alert.windowStart)}`;
  }
}
