// Every VA session (one per sign-in), filtered and paged on the server. The filter and the
// page live in the address, so Back, reload and a shared link all show the same list.
import { useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import type { RouteQuery, SessionRow } from '../../common/console/consoleApi';
import { call } from '../api/consoleClient';
import { formatDayTime, fromLocalInput, toLocalInput } from '../format';
import { Link, navigate } from '../router';
import { Pager, Problem, ViewHeading } from '../ui';
import { ExportControl } from './ExportControl';

const FILTER_KEYS = ['user', 'device', 'from', 'to', 'hasAlerts', 'notReviewed'] as const;

function queryFrom(search: URLSearchParams): RouteQuery<'sessions'> {
  const text = (key: string) => search.get(key) ?? undefined;
  const flag = (key: string) => (search.get(key) === 'true' ? ('true' as const) : undefined);
  return { user: text('user'), device: text('device'), from: text('from'), to: text('to'), hasAlerts: flag('hasAlerts'), notReviewed: flag('notReviewed'), cursor: text('cursor') };
}

function addressOf(filter: Record<string, string | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(filter)) if (value !== undefined && value !== '') search.set(key, value);
  const text = search.toString();
  return text === '' ? '/sessions' : `/sessions?${text}`;
}

export const timelinePath = (row: Pick<SessionRow, 'deviceId' | 'code'>, at?: string) =>
  `/sessions/${encodeURIComponent(row.deviceId)}/${encodeURIComponent(row.code)}${at === undefined ? '' : `?at=${encodeURIComponent(at)}`}`;

export const REVIEW_LABELS: Record<SessionRow['review'], string> = { 'not-reviewed': 'Not reviewed', reviewed: 'Reviewed', flagged: 'Flagged' };

export function SessionsView({ search, roles }: { search: URLSearchParams; roles: readonly string[] }) {
  const query = queryFrom(search);
  const sessions = useQuery({ queryKey: ['sessions', query], queryFn: () => call('sessions', { query }) });
  const filterOnly = Object.fromEntries(FILTER_KEYS.map((key) => [key, search.get(key) ?? undefined]));
  const filtered = FILTER_KEYS.some((key) => search.has(key));

  return (
    <>
      <ViewHeading title="Sessions">Sessions</ViewHeading>
      <p className="lede">One row per sign-in on a Cordon device, newest first. Open a session to read its timeline and review it.</p>
      <SessionFilter key={addressOf(filterOnly)} initial={query} />
      {sessions.isError && <Problem error={sessions.error} />}
      <div className="table-wrap">
        <table className="data">
          <caption>
            {filtered ? 'Sessions matching the filter' : 'All sessions'}
            {query.cursor !== undefined && ', a later page'}
            {sessions.isPending && <span className="muted"> (loading…)</span>}
          </caption>
          <thead>
            <tr>
              <th scope="col">User</th>
              <th scope="col">Device</th>
              <th scope="col">Start</th>
              <th scope="col">End</th>
              <th scope="col">Apps</th>
              <th scope="col" className="num">
                Blocks
              </th>
              <th scope="col" className="num">
                Locks
              </th>
              <th scope="col" className="num">
                Open alerts
              </th>
              <th scope="col">Review</th>
            </tr>
          </thead>
          <tbody>
            {sessions.data?.items.map((row) => (
              <tr key={`${row.deviceId}/${row.code}`}>
                <th scope="row">
                  <Link to={timelinePath(row)} aria-label={`${row.subject ?? 'Unknown user'}, session ${row.code} on ${row.deviceName}, ${formatDayTime(row.startedAt)}`}>
                    {row.subject ?? 'Unknown user'}
                  </Link>
                  <span className="code">{row.code}</span>
                </th>
                <td className="nowrap">{row.deviceName}</td>
                <td>
                  <time dateTime={row.startedAt}>{formatDayTime(row.startedAt)}</time>
                </td>
                <td>{row.endedAt === null ? <span className="muted">still open</span> : <time dateTime={row.endedAt}>{formatDayTime(row.endedAt)}</time>}</td>
                <td>{row.apps.length === 0 ? <span className="muted">none</span> : row.apps.join(', ')}</td>
                <td className="num">{row.blocks}</td>
                <td className="num">{row.locks}</td>
                <td className="num">{row.openAlerts > 0 ? <span className="pill pill-alert">{row.openAlerts}</span> : 0}</td>
                <td>
                  <span className={`pill review-${row.review}`}>{REVIEW_LABELS[row.review]}</span>
                  {row.reviewNote !== null && row.reviewNote !== '' && <span className="note">{row.reviewNote}</span>}
                </td>
              </tr>
            ))}
            {sessions.data?.items.length === 0 && (
              <tr>
                <td colSpan={9} className="empty">
                  No sessions match. Widen the time range or clear the filter.
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
      {sessions.data !== undefined && (
        <Pager
          atFirst={query.cursor === undefined}
          nextCursor={sessions.data.nextCursor}
          onFirst={() => navigate(addressOf(filterOnly))}
          onNext={(cursor) => navigate(addressOf({ ...filterOnly, cursor }))}
        />
      )}
      <ExportControl roles={roles} filter={{ user: query.user, device: query.device, from: query.from, to: query.to, hasAlerts: query.hasAlerts, notReviewed: query.notReviewed }} what={filtered ? 'every session matching the filter (all pages)' : 'every session (all pages)'} />
    </>
  );
}

function SessionFilter({ initial }: { initial: RouteQuery<'sessions'> }) {
  const [user, setUser] = useState(initial.user ?? '');
  const [device, setDevice] = useState(initial.device ?? '');
  const [from, setFrom] = useState(toLocalInput(initial.from ?? null));
  const [to, setTo] = useState(toLocalInput(initial.to ?? null));
  const [hasAlerts, setHasAlerts] = useState(initial.hasAlerts === 'true');
  const [notReviewed, setNotReviewed] = useState(initial.notReviewed === 'true');

  const apply = (event: FormEvent) => {
    event.preventDefault();
    navigate(
      addressOf({
        user: user.trim(),
        device: device.trim(),
        // The viewer types their own wall-clock time; the collector gets an instant.
        from: fromLocalInput(from),
        to: fromLocalInput(to),
        hasAlerts: hasAlerts ? 'true' : undefined,
        notReviewed: notReviewed ? 'true' : undefined,
      }),
    );
  };

  return (
    <form className="filter panel" onSubmit={apply} aria-label="Filter sessions">
      <div className="field">
        <label htmlFor="filter-user">User</label>
        <input id="filter-user" value={user} onChange={(e) => setUser(e.target.value)} autoComplete="off" spellCheck={false} />
      </div>
      <div className="field">
        <label htmlFor="filter-device">Device</label>
        <input id="filter-device" value={device} onChange={(e) => setDevice(e.target.value)} autoComplete="off" spellCheck={false} />
      </div>
      <div className="field">
        <label htmlFor="filter-from">From</label>
        <input id="filter-from" type="datetime-local" value={from} onChange={(e) => setFrom(e.target.value)} />
      </div>
      <div className="field">
        <label htmlFor="filter-to">To</label>
        <input id="filter-to" type="datetime-local" value={to} onChange={(e) => setTo(e.target.value)} />
      </div>
      <div className="checks">
        <label>
          <input type="checkbox" checked={hasAlerts} onChange={(e) => setHasAlerts(e.target.checked)} /> Has alerts
        </label>
        <label>
          <input type="checkbox" checked={notReviewed} onChange={(e) => setNotReviewed(e.target.checked)} /> Not reviewed
        </label>
      </div>
      <div className="filter-actions">
        <button type="submit">Show sessions</button>
        <button type="button" className="secondary" onClick={() => navigate('/sessions')}>
          Clear
        </button>
      </div>
    </form>
  );
}
