// The collector's alerts: what it is, how serious, which device and user, when; acknowledge
// it (someone is on it) or resolve it (done), each with a note that stays with the alert.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';
import { ALERT_STATUSES, type AlertRow, type AlertStatus } from '../../common/console/consoleApi';
import { alertKindLabel, alertWindow } from '../alertKinds';
import { call } from '../api/consoleClient';
import { formatDayTime } from '../format';
import { navigate } from '../router';
import { errorMessage, Pager, Problem, ViewHeading } from '../ui';

const STATUS_LABELS: Record<AlertStatus, string> = { open: 'Open', acknowledged: 'Acknowledged', resolved: 'Resolved' };
const isStatus = (value: string | null): value is AlertStatus => ALERT_STATUSES.some((s) => s === value);

function addressOf(status: string | undefined, cursor?: string): string {
  const search = new URLSearchParams();
  if (status !== undefined) search.set('status', status);
  if (cursor !== undefined) search.set('cursor', cursor);
  const text = search.toString();
  return text === '' ? '/alerts' : `/alerts?${text}`;
}

export function AlertsView({ search }: { search: URLSearchParams }) {
  const requested = search.get('status');
  // No status in the address means "open": the inbox starts with what needs someone.
  const status: AlertStatus | 'all' = requested === 'all' ? 'all' : isStatus(requested) ? requested : 'open';
  const cursor = search.get('cursor') ?? undefined;
  const query = { status: status === 'all' ? undefined : status, cursor };
  const alerts = useQuery({ queryKey: ['alerts', query], queryFn: () => call('alerts', { query }) });
  const statusParam = status === 'open' ? undefined : status;
  const [handled, setHandled] = useState<string | null>(null);

  return (
    <>
      <ViewHeading title="Alerts">Alerts</ViewHeading>
      <p className="lede">What the collector noticed: tampering, gaps in a device's history, devices that stopped syncing. Acknowledge an alert when you take it on; resolve it when it is handled.</p>
      <form className="filter panel inline" onSubmit={(e) => e.preventDefault()} aria-label="Filter alerts">
        <div className="field">
          <label htmlFor="alert-status">Show</label>
          <select id="alert-status" value={status} onChange={(e) => navigate(addressOf(e.target.value === 'open' ? undefined : e.target.value))}>
            {ALERT_STATUSES.map((s) => (
              <option key={s} value={s}>
                {STATUS_LABELS[s]}
              </option>
            ))}
            <option value="all">All</option>
          </select>
        </div>
      </form>
      <p className="form-status" role="status">
        {handled}
      </p>
      {alerts.isPending && (
        <p className="loading" role="status">
          Loading alerts…
        </p>
      )}
      {alerts.isError && <Problem error={alerts.error} />}
      {alerts.data !== undefined && (
        <>
          {alerts.data.items.length === 0 ? (
            <p className="empty panel">No {status === 'all' ? '' : `${STATUS_LABELS[status].toLowerCase()} `}alerts.</p>
          ) : (
            <ul className="alerts">
              {alerts.data.items.map((alert) => (
                <AlertItem key={alert.id} alert={alert} onHandled={(row) => setHandled(`${alertKindLabel(row.kind)} on ${row.deviceName ?? 'no device'}: ${STATUS_LABELS[row.status].toLowerCase()}.`)} />
              ))}
            </ul>
          )}
          <Pager atFirst={cursor === undefined} nextCursor={alerts.data.nextCursor} onFirst={() => navigate(addressOf(statusParam))} onNext={(next) => navigate(addressOf(statusParam, next))} />
        </>
      )}
    </>
  );
}

function AlertItem({ alert, onHandled }: { alert: AlertRow; onHandled: (row: AlertRow) => void }) {
  const queryClient = useQueryClient();
  const headingId = useId();
  const noteId = useId();
  const [note, setNote] = useState('');
  const handle = useMutation({
    mutationFn: (next: 'acknowledged' | 'resolved') => call('handleAlert', { params: { id: alert.id }, body: { status: next, note } }),
    onSuccess: (row) => {
      onHandled(row);
      return queryClient.invalidateQueries({ queryKey: ['alerts'] });
    },
  });
  const submit = (next: 'acknowledged' | 'resolved') => (event: FormEvent) => {
    event.preventDefault();
    handle.mutate(next);
  };
  // The answer is the alert as stored now; the list catches up when it reloads.
  const shown = handle.data ?? alert;
  // Rule alerts fold repeats within a window; chain alerts say where the request came from.
  const ruleWindow = alertWindow(shown);

  return (
    <li className={`alert panel severity-${shown.severity}`} aria-labelledby={headingId}>
      <div className="alert-head">
        <span className={`pill severity severity-${shown.severity}`}>{shown.severity}</span>
        <h2 id={headingId}>{alertKindLabel(shown.kind)}</h2>
        {alertKindLabel(shown.kind) !== shown.kind && <span className="code">{shown.kind}</span>}
        <span className={`pill alert-status status-${shown.status}`}>{STATUS_LABELS[shown.status]}</span>
      </div>
      <p className="alert-detail">{shown.detail}</p>
      <dl className="facts compact">
        <div>
          <dt>Device</dt>
          <dd>{shown.deviceName ?? shown.deviceId ?? 'not tied to a device'}</dd>
        </div>
        <div>
          <dt>User</dt>
          <dd>{shown.subject ?? 'unknown'}</dd>
        </div>
        <div>
          <dt>Detected</dt>
          <dd>
            <time dateTime={shown.detectedAt}>{formatDayTime(shown.detectedAt)}</time>
          </dd>
        </div>
        {ruleWindow === null ? (
          <div>
            <dt>From</dt>
            <dd>{shown.sourceAddress ?? 'address not recorded'}</dd>
          </div>
        ) : (
          <div>
            <dt>Window</dt>
            <dd>{ruleWindow}</dd>
          </div>
        )}
        {shown.occurrences > 1 && (
          <div>
            <dt>Counted</dt>
            <dd>
              {shown.occurrences} times
              {shown.lastDetectedAt !== null && (
                <>
                  , last <time dateTime={shown.lastDetectedAt}>{formatDayTime(shown.lastDetectedAt)}</time>
                </>
              )}
            </dd>
          </div>
        )}
        {shown.seq !== null && (
          <div>
            <dt>At event</dt>
            <dd>#{shown.seq}</dd>
          </div>
        )}
        {shown.handledBy !== null && (
          <div>
            <dt>Handled by</dt>
            <dd>
              {shown.handledBy}
              {shown.note !== null && shown.note !== '' && <span className="note">{shown.note}</span>}
            </dd>
          </div>
        )}
      </dl>
      {shown.status !== 'resolved' && (
        <form className="alert-actions" onSubmit={submit('resolved')}>
          <div className="field">
            <label htmlFor={noteId}>Note</label>
            <input id={noteId} value={note} onChange={(e) => setNote(e.target.value)} maxLength={2000} autoComplete="off" />
          </div>
          {shown.status === 'open' && (
            <button type="button" className="secondary" onClick={submit('acknowledged')} disabled={handle.isPending}>
              Acknowledge
            </button>
          )}
          <button type="submit" disabled={handle.isPending}>
            Resolve
          </button>
        </form>
      )}
      {handle.isError && (
        <p className="notice notice-problem" role="alert">
          {errorMessage(handle.error)}
        </p>
      )}
    </li>
  );
}
