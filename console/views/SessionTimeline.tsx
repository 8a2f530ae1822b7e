// One session, event by event, in the viewer's timezone with the UTC offset, grouped into
// stretches marked with their chain status, so "offline for 2 h, chain intact" and "history
// broken" look different at a glance (and read differently: every mark has words).
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useId, useMemo, useRef, useState, type FormEvent } from 'react';
import { AUDIT_CATALOG, type AuditEventType } from '../../common/audit/auditCatalog';
import { ExportControl } from './ExportControl';
import type { ChainStatus, ChainStretch, SessionRow, TimelineEvent } from '../../common/console/consoleApi';
import { call } from '../api/consoleClient';
import { formatDay, formatDayTime, formatDuration, formatTime, plural } from '../format';
import { Link } from '../router';
import { CHAIN_LABELS, ChainBadge, errorMessage, Loading, Problem, ViewHeading } from '../ui';
import { REVIEW_LABELS } from './Sessions';

interface Group {
  status: ChainStatus;
  explanation: string | null;
  fromSeq: number;
  toSeq: number;
  events: TimelineEvent[];
}

/** Stretches from the collector, with their events; events outside every stretch form their own runs. */
function groupTimeline(events: readonly TimelineEvent[], stretches: readonly ChainStretch[]): Group[] {
  const ordered = [...events].sort((a, b) => a.seq - b.seq);
  const groups: Group[] = stretches.map((s) => ({ ...s, events: ordered.filter((e) => e.seq >= s.fromSeq && e.seq <= s.toSeq) }));
  let run: Group | null = null;
  for (const event of ordered) {
    if (stretches.some((s) => event.seq >= s.fromSeq && event.seq <= s.toSeq)) {
      run = null;
      continue;
    }
    if (run !== null && run.status === event.chain) {
      run.events.push(event);
      run.toSeq = event.seq;
    } else {
      run = { status: event.chain, explanation: null, fromSeq: event.seq, toSeq: event.seq, events: [event] };
      groups.push(run);
    }
  }
  return groups.sort((a, b) => a.fromSeq - b.fromSeq);
}

const SEVERITY: readonly ChainStatus[] = ['tampered', 'gap', 'delivered-late', 'verified'];

const SUMMARY: Record<ChainStatus, string> = {
  verified: 'Every event of this session arrived in order and its chain checks.',
  'delivered-late': 'Some events arrived late because the device was offline; the chain is intact, so nothing was changed.',
  gap: 'Some events of this session never arrived. Nothing shows they were altered, but the record is incomplete.',
  tampered: 'Part of this history does not match its chain: something was changed or removed after it was recorded.',
};

function eventLabel(type: string): string {
  const entry = type in AUDIT_CATALOG ? AUDIT_CATALOG[type as AuditEventType] : null;
  const text = entry?.description ?? type;
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function nearestEvent(events: readonly TimelineEvent[], at: string | null): number | null {
  const target = at === null ? Number.NaN : Date.parse(at);
  if (Number.isNaN(target) || events.length === 0) return null;
  let best: TimelineEvent | null = null;
  for (const event of events) {
    if (best === null || Math.abs(Date.parse(event.recordedAt) - target) < Math.abs(Date.parse(best.recordedAt) - target)) best = event;
  }
  return best?.seq ?? null;
}

export function SessionTimelineView({ deviceId, code, at, roles }: { deviceId: string; code: string; at: string | null; roles: readonly string[] }) {
  const timeline = useQuery({ queryKey: ['timeline', deviceId, code], queryFn: () => call('timeline', { params: { deviceId, code } }) });
  const data = timeline.data;
  const groups = useMemo(() => (data === undefined ? [] : groupTimeline(data.events, data.stretches)), [data]);
  const highlighted = useMemo(() => (data === undefined ? null : nearestEvent(data.events, at)), [data, at]);
  /** Events that start a new day (in the viewer's timezone): the day is written once, there. */
  const newDays = useMemo(() => {
    const starts = new Set<number>();
    let day: string | null = null;
    for (const event of groups.flatMap((g) => g.events)) {
      const eventDay = formatDay(event.recordedAt);
      if (eventDay !== day) starts.add(event.seq);
      day = eventDay;
    }
    return starts;
  }, [groups]);
  const list = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (highlighted === null) return;
    const item = list.current?.querySelector<HTMLElement>(`#event-${highlighted}`);
    item?.scrollIntoView({ block: 'center' });
    item?.focus({ preventScroll: true });
  }, [highlighted]);

  const worst = SEVERITY.find((status) => groups.some((g) => g.status === status)) ?? 'verified';

  return (
    <>
      <p className="breadcrumb">
        <Link to="/sessions">← All sessions</Link>
      </p>
      <ViewHeading title={`Session ${code}`}>Session {code}</ViewHeading>
      {timeline.isPending && <Loading what="the timeline" />}
      {timeline.isError && <Problem error={timeline.error} />}
      {data !== undefined && (
        <>
          <SessionHeader session={data.session} />
          <p className={`chain-summary chain-${worst}`} data-testid="chain-summary">
            <ChainBadge status={worst} /> {SUMMARY[worst]}
          </p>
          {at !== null && highlighted !== null && (
            <p className="notice" role="status">
              Showing the event nearest to <time dateTime={at}>{formatDayTime(at)}</time>, the time you looked up.
            </p>
          )}
          <section aria-labelledby="events-heading">
            <h2 id="events-heading">Events</h2>
            <ChainKey />
            <div ref={list} className="timeline">
              {groups.map((group) => (
                <Stretch key={`${group.fromSeq}-${group.status}`} group={group} highlighted={highlighted} newDays={newDays} />
              ))}
              {groups.length === 0 && <p>No events were recorded for this session.</p>}
            </div>
            {data.truncated && (
              <p className="notice">This session has more events than one answer carries; the first {plural(data.events.length, 'event')} are shown.</p>
            )}
          </section>
          <ReviewForm session={data.session} />
          <ExportControl roles={roles} filter={{ device: deviceId, code }} what="this session" />
        </>
      )}
    </>
  );
}

function SessionHeader({ session }: { session: SessionRow }) {
  return (
    <section className="panel session-header" aria-label="Session">
      <dl className="facts">
        <div>
          <dt>User</dt>
          <dd>{session.subject ?? 'Unknown user'}</dd>
        </div>
        <div>
          <dt>Device</dt>
          <dd>{session.deviceName}</dd>
        </div>
        <div>
          <dt>Started</dt>
          <dd>
            <time dateTime={session.startedAt}>{formatDayTime(session.startedAt)}</time>
          </dd>
        </div>
        <div>
          <dt>Ended</dt>
          <dd>{session.endedAt === null ? 'still open' : <time dateTime={session.endedAt}>{formatDayTime(session.endedAt)}</time>}</dd>
        </div>
        <div>
          <dt>Apps</dt>
          <dd>{session.apps.length === 0 ? 'none' : session.apps.join(', ')}</dd>
        </div>
        <div>
          <dt>Blocks, locks</dt>
          <dd>
            {plural(session.blocks, 'block')}, {plural(session.locks, 'lock')}
          </dd>
        </div>
        <div>
          <dt>Open alerts</dt>
          <dd>{session.openAlerts === 0 ? 'none' : <Link to="/alerts">{plural(session.openAlerts, 'open alert')}</Link>}</dd>
        </div>
        <div>
          <dt>Review</dt>
          <dd data-testid="review-status">
            <span className={`pill review-${session.review}`}>{REVIEW_LABELS[session.review]}</span>
            {session.reviewNote !== null && session.reviewNote !== '' && <span className="note">{session.reviewNote}</span>}
          </dd>
        </div>
      </dl>
    </section>
  );
}

function ChainKey() {
  return (
    <details className="chain-key">
      <summary>What the chain marks mean</summary>
      <dl>
        {(Object.keys(CHAIN_LABELS) as ChainStatus[]).map((status) => (
          <div key={status}>
            <dt>
              <ChainBadge status={status} />
            </dt>
            <dd>{CHAIN_LABELS[status].meaning}</dd>
          </div>
        ))}
      </dl>
    </details>
  );
}

function Stretch({ group, highlighted, newDays }: { group: Group; highlighted: number | null; newDays: ReadonlySet<number> }) {
  const headingId = useId();
  const lateBy = Math.max(0, ...group.events.map((e) => Date.parse(e.receivedAt) - Date.parse(e.recordedAt)));
  const missing = group.toSeq - group.fromSeq + 1 - group.events.length;
  return (
    <section className={`stretch chain-${group.status}`} aria-labelledby={headingId} data-chain={group.status}>
      <header className="stretch-head">
        <h3 id={headingId}>
          <ChainBadge status={group.status} />
          <span className="stretch-range">{group.fromSeq === group.toSeq ? `event ${group.fromSeq}` : `events ${group.fromSeq}–${group.toSeq}`}</span>
        </h3>
        <p className="stretch-explanation">
          {/* The collector's explanation says it all; without one, the console's own words and numbers. */}
          {group.explanation ?? (
            <>
              {CHAIN_LABELS[group.status].meaning}.{group.status === 'delivered-late' && lateBy > 0 && ` Arrived up to ${formatDuration(lateBy)} after they happened.`}
              {missing > 0 && ` ${plural(missing, 'event')} of this stretch never arrived.`}
            </>
          )}
        </p>
      </header>
      {group.events.length > 0 && (
        <ol className="events">
          {group.events.map((event) => (
            <li
              key={event.seq}
              id={`event-${event.seq}`}
              tabIndex={-1}
              className={`event${event.seq === highlighted ? ' highlight' : ''}${event.outcome === 'success' ? '' : ' event-problem'}`}
              aria-current={event.seq === highlighted ? 'true' : undefined}
            >
              <time dateTime={event.recordedAt} className="event-time">
                {newDays.has(event.seq) && <span className="event-day">{formatDay(event.recordedAt)}</span>}
                {formatTime(event.recordedAt)}
              </time>
              <span className="event-what">
                <strong>{eventLabel(event.type)}</strong>
                {event.outcome !== 'success' && <span className="pill pill-outcome">{event.outcome}</span>}
                {(event.appId !== null || event.origin !== null || event.reason !== null) && (
                  <span className="event-detail">
                    {[event.appId !== null ? `in ${event.appId}` : null, event.origin, event.reason].filter((part) => part !== null).join(' · ')}
                  </span>
                )}
              </span>
              <span className="event-seq">#{event.seq}</span>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

function ReviewForm({ session }: { session: SessionRow }) {
  const queryClient = useQueryClient();
  const [status, setStatus] = useState<'reviewed' | 'flagged'>(session.review === 'flagged' ? 'flagged' : 'reviewed');
  const [note, setNote] = useState(session.reviewNote ?? '');
  const review = useMutation({
    mutationFn: () => call('review', { params: { deviceId: session.deviceId, code: session.code }, body: { status, note } }),
    onSuccess: (row) => {
      queryClient.setQueryData(['timeline', session.deviceId, session.code], (old: Awaited<ReturnType<typeof call<'timeline'>>> | undefined) =>
        old === undefined ? old : { ...old, session: row },
      );
      void queryClient.invalidateQueries({ queryKey: ['sessions'] });
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    review.mutate();
  };
  return (
    <section className="panel review" aria-labelledby="review-heading">
      <h2 id="review-heading">Review this session</h2>
      <form onSubmit={submit}>
        <fieldset>
          <legend>Mark as</legend>
          <label>
            <input type="radio" name="review" value="reviewed" checked={status === 'reviewed'} onChange={() => setStatus('reviewed')} /> Reviewed
          </label>
          <label>
            <input type="radio" name="review" value="flagged" checked={status === 'flagged'} onChange={() => setStatus('flagged')} /> Flagged for follow-up
          </label>
        </fieldset>
        <div className="field">
          <label htmlFor="review-note">Note</label>
          <textarea id="review-note" value={note} onChange={(e) => setNote(e.target.value)} maxLength={2000} rows={3} />
        </div>
        <button type="submit" disabled={review.isPending}>
          Save review
        </button>
        <p className="form-status" role="status">
          {review.isSuccess && `Saved: ${REVIEW_LABELS[review.data.review]}.`}
        </p>
        {review.isError && (
          <p className="notice notice-problem" role="alert">
            {errorMessage(review.error)}
          </p>
        )}
      </form>
    </section>
  );
}
