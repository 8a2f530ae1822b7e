// What the collector tells IT when a device's audit trail or requests do not add up.
// Every kind is stored (never only logged); details name sequence numbers and reasons,
// never event content (event bodies may describe a VA's work, so they stay in `events`).
// Alert rules (collector/rules) store their alerts in the same table, with the rule's id
// as the kind, so the console's inbox shows both.
import type { z } from 'zod';
import { alertRowSchema } from '../common/console/consoleApi';

export const ALERT_KINDS = {
  gap: 'a batch started after the next expected sequence number: events the collector never received are missing',
  deletion: 'a batch skipped sequence numbers inside it: events were removed from the device queue',
  reorder: 'a batch carried sequence numbers out of order (backwards or repeated)',
  edit: "an event's content does not match its chain link, or an acknowledged event came back with different content",
  fork: 'an already acknowledged event came back with a different chain link: rewritten history, or the device key copied to another machine',
  truncation: "the device's chain restarted at sequence 1 with different events after the collector had acknowledged events: the local queue was reset or deleted",
  'bad-checkpoint': "the batch's checkpoint does not match its last event or is not signed by the device key",
  'invalid-event': 'a correctly chained event is not a valid canonical Cordon audit event, or a correctly signed request of the device is not a valid event batch',
  replay: 'a device request was sent again with an already used nonce',
  'stale-request': "a correctly signed device request carried a timestamp outside the allowed clock skew (a late replay, or the device's clock is wrong)",
  'unknown-device': 'a request claimed to come from a device that was never enrolled',
  'bad-signature': 'a request for an enrolled device was not signed by that device key, or its batch named another device',
} as const;

export type AlertKind = keyof typeof ALERT_KINDS;

/** An alert as verification produces it, before storage gives it an id and a time. */
export interface AlertDraft {
  kind: AlertKind;
  deviceId: string | null;
  seq: number | null;
  detail: string;
}

export interface Alert extends AlertDraft {
  id: number;
  /** ISO 8601, the first time. */
  detectedAt: string;
  /** The client address that sent the request (null for alerts stored without one). */
  sourceAddress: string | null;
  /** Times raised by this source within ALERT_FOLD_WINDOW_MS of the previous one. */
  occurrences: number;
  /** ISO 8601, the latest time; equals detectedAt for a single occurrence. */
  lastDetectedAt: string;
}

/**
 * A repeat of an alert (same kind, device, sequence number and source address) within
 * this long of its last occurrence is counted on the same row. Storage per source is
 * then bounded by kinds × enrolled devices per window, whatever the request rate; for
 * `unknown-device` the claimed device id is attacker-chosen, so it folds by source only.
 */
export const ALERT_FOLD_WINDOW_MS = 10 * 60_000;

/** Kinds raised by requests that no device key signed: anyone can cause them. */
export const UNAUTHENTICATED_ALERT_KINDS: ReadonlySet<AlertKind> = new Set(['unknown-device', 'bad-signature']);

/**
 * Rows of one unauthenticated kind per ALERT_FOLD_WINDOW_MS, over all sources: past this,
 * a sender rotating addresses (an IPv6 range) is counted on the newest row of the kind
 * instead of adding rows.
 */
export const UNAUTHENTICATED_ROWS_PER_WINDOW = 50;

/** How urgent an alert is, as the console shows it; rule alerts carry the severity their rule sets. */
export const alertSeveritySchema = alertRowSchema.shape.severity;
export type AlertSeverity = z.infer<typeof alertSeveritySchema>;

/** Least to most urgent: a notification channel takes alerts at or above its minimum. */
const SEVERITY_RANK: Record<AlertSeverity, number> = { low: 0, medium: 1, high: 2, critical: 3 };

export function atLeast(severity: AlertSeverity, minimum: AlertSeverity): boolean {
  return SEVERITY_RANK[severity] >= SEVERITY_RANK[minimum];
}
