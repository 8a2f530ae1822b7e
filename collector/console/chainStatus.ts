// The chain status of each stretch of a session's timeline, from what the collector
// stores: the device's chain links (recomputed), sequence continuity, the alerts raised
// while verifying its batches, and when each event arrived. A supervisor must tell
// "offline for 2 h, chain intact" from "history broken" at a glance. Pure.
import { firstChainBreak, type ChainDigest, type ChainEntry } from '../../common/audit/hashChain';
import type { ChainStatus, ChainStretch } from '../../common/console/consoleApi';
import type { AlertKind } from '../alerts';

/** Arriving this long after it was recorded means the device held the event offline. */
export const DELIVERED_LATE_MS = 10 * 60 * 1000;

/** Alerts that mean someone altered the device's history near that event. */
const TAMPER_ALERTS: ReadonlySet<AlertKind> = new Set(['edit', 'fork', 'truncation', 'reorder', 'bad-checkpoint', 'invalid-event']);
/** Alerts that mean events never reached the collector. */
const GAP_ALERTS: ReadonlySet<AlertKind> = new Set(['gap', 'deletion']);

export interface StoredDeviceEvent extends ChainEntry {
  recordedAt: number;
  receivedAt: number;
  /** Whether the event belongs to the session being shown (others only carry the chain). */
  inSession: boolean;
}

export interface ChainStatusInput {
  digest: ChainDigest;
  /** The stored link just before the first event given (the genesis link for seq 1); null when that event is missing. */
  start: { seq: number; link: string } | null;
  /** Every stored event of the device from start.seq + 1 to the session's last, in order. */
  events: readonly StoredDeviceEvent[];
  alerts: readonly { kind: AlertKind; seq: number | null; detail: string }[];
  /** The device's acknowledged head. */
  headSeq: number;
}

export interface ChainStatusResult {
  /** Status of each session event, by sequence number. */
  bySeq: Map<number, ChainStatus>;
  stretches: ChainStretch[];
}

const EXPLANATION: Record<ChainStatus, string> = {
  verified: 'Verified: every event links to the one before it and the device signed the checkpoint.',
  'delivered-late': 'Delivered late: recorded while the device was offline and sent when it reconnected; the chain is intact.',
  gap: 'Gap: events are missing here; what happened in between cannot be shown.',
  tampered: 'Tampered: the history here was altered after it was recorded.',
};

function lateBy(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  return minutes < 90 ? `${minutes} min` : `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

export function chainStatuses(input: ChainStatusInput): ChainStatusResult {
  const status = new Map<number, { status: ChainStatus; explanation: string }>();
  const mark = (seq: number, next: ChainStatus, explanation: string) => {
    const rank: ChainStatus[] = ['verified', 'delivered-late', 'gap', 'tampered'];
    const current = status.get(seq);
    if (current === undefined || rank.indexOf(next) > rank.indexOf(current.status)) status.set(seq, { status: next, explanation });
  };

  for (const event of input.events) {
    const late = event.receivedAt - event.recordedAt;
    if (late > DELIVERED_LATE_MS) mark(event.seq, 'delivered-late', `Delivered late: recorded while the device was offline and received ${lateBy(late)} later; the chain is intact.`);
    else mark(event.seq, 'verified', EXPLANATION.verified);
  }

  // Stored history itself: a missing row or an edited one breaks the recomputed chain, and
  // everything after the break can no longer be trusted as recorded.
  const broken =
    input.start === null
      ? { seq: input.events[0]?.seq ?? 0, kind: 'gap' as const, detail: 'the event just before this stretch is missing from storage, so it cannot be checked' }
      : firstChainBreak(input.digest, input.start, input.events);
  if (broken !== null) {
    const kind: ChainStatus = broken.kind === 'gap' ? 'gap' : 'tampered';
    for (const event of input.events) if (event.seq >= broken.seq) mark(event.seq, kind, `${kind === 'gap' ? 'Gap' : 'Tampered'}: ${broken.detail}.`);
  }

  const sessionSeqs = input.events.filter((e) => e.inSession).map((e) => e.seq);
  const first = sessionSeqs[0];
  const last = sessionSeqs.at(-1);
  // Events the device never delivered after the session's last stored one: one stretch says so.
  let undelivered: ChainStretch | null = null;
  if (first !== undefined && last !== undefined) {
    for (const alert of input.alerts) {
      if (alert.seq === null) continue;
      if (TAMPER_ALERTS.has(alert.kind) && alert.seq >= first && alert.seq <= last) mark(alert.seq, 'tampered', `Tampered: the device later sent a different version of this history (${alert.kind}: ${alert.detail}).`);
      if (undelivered === null && GAP_ALERTS.has(alert.kind) && alert.seq > input.headSeq && alert.seq <= last + 1) {
        undelivered = { fromSeq: alert.seq, toSeq: alert.seq, status: 'gap', explanation: `Gap: events from ${alert.seq} on never reached the collector (${alert.kind}).` };
      }
    }
  }

  const bySeq = new Map<number, ChainStatus>();
  const stretches: ChainStretch[] = [];
  for (const event of input.events) {
    if (!event.inSession) continue;
    const s = status.get(event.seq) ?? { status: 'verified' as const, explanation: EXPLANATION.verified };
    bySeq.set(event.seq, s.status);
    const open = stretches.at(-1);
    if (open !== undefined && open.status === s.status) open.toSeq = event.seq;
    else stretches.push({ fromSeq: event.seq, toSeq: event.seq, status: s.status, explanation: s.explanation });
  }
  return { bySeq, stretches: undelivered === null ? stretches : [...stretches, undelivered] };
}
