// Retention, for compliance (and IT, who may look): how long the collector keeps each kind of
// record and when it next disposes of what is older, what the last run did, the signed
// records of past disposals, and the legal holds that keep records whatever their age.
// Compliance places and releases holds here; every change is in the access log. A section
// around a table is no landmark of its own: the table's scrolling region is, by the same name.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';
import { CONSOLE_ROUTES, HOLD_KINDS, mayCall, type DisposalRow, type HoldKind, type LegalHoldRow, type RetentionPanel } from '../../common/console/consoleApi';
import { call } from '../api/consoleClient';
import { formatDayTime } from '../format';
import { errorMessage, Loading, Problem, TableRegion, TitledTable, ViewHeading } from '../ui';

const HOLD_KIND_LABELS: Record<HoldKind, { label: string; target: string; hint: string }> = {
  user: { label: 'A VA', target: 'VA (IdP subject)', hint: 'The VA as the practice’s sign-in service names them, as in the sessions list.' },
  device: { label: 'A device', target: 'Device id', hint: 'The 32-character id from the devices list.' },
};
const PERIOD_LABELS: Record<keyof NonNullable<RetentionPanel['settings']>['periods'], [string, string]> = {
  events: ['Device events', 'from when the collector received them'],
  alerts: ['Alerts', 'from their last occurrence or handling; open alerts are kept'],
  reviews: ['Review marks', 'from the review'],
  accessLog: ['Console access log', 'from each entry; kept whole while any hold is active'],
};
const DISPOSAL_LABELS: Record<DisposalRow['what'], string> = { events: 'Device events', 'access-log': 'Access log entries', alerts: 'Handled alerts', reviews: 'Review marks' };

const when = (iso: string) => <time dateTime={iso}>{formatDayTime(iso)}</time>;

export function RetentionView({ roles }: { roles: readonly string[] }) {
  const panel = useQuery({ queryKey: ['retention'], queryFn: () => call('retention') });
  const mayChange = mayCall(CONSOLE_ROUTES.placeHold, roles);
  const [done, setDone] = useState<string | null>(null);

  return (
    <>
      <ViewHeading title="Retention">Retention</ViewHeading>
      <p className="lede">How long the collector keeps each kind of record, when it disposes of what is older, and the legal holds that keep records whatever their age. Every disposal leaves a signed record.</p>
      <p className="form-status" role="status">
        {done}
      </p>
      {panel.isPending && <Loading what="retention" />}
      {panel.isError && <Problem error={panel.error} />}
      {panel.data !== undefined && (
        <>
          <Periods panel={panel.data} />
          <LastRun run={panel.data.lastRun} />
          <Holds holds={panel.data.holds} mayChange={mayChange} onDone={setDone} />
          {mayChange && <PlaceHold onDone={setDone} />}
          <Disposals disposals={panel.data.disposals} />
        </>
      )}
    </>
  );
}

function Periods({ panel }: { panel: RetentionPanel }) {
  const { settings, runningSince } = panel;
  return (
    <section className="panel">
      <h2>Retention periods</h2>
      {settings === null ? (
        <p className="notice">This collector runs without retention settings, so nothing is disposed automatically. IT sets the periods when starting the collector.</p>
      ) : (
        <>
          <TableRegion labelledBy="periods-caption">
            <table className="data">
              <caption id="periods-caption" className="visually-hidden">
                Retention periods
              </caption>
              <thead>
                <tr>
                  <th scope="col">Record</th>
                  <th scope="col">Kept for</th>
                  <th scope="col">Due for disposal if older than</th>
                </tr>
              </thead>
              <tbody>
                {(Object.keys(PERIOD_LABELS) as (keyof typeof PERIOD_LABELS)[]).map((part) => (
                  <tr key={part}>
                    <th scope="row">
                      {PERIOD_LABELS[part][0]}
                      <span className="note">{PERIOD_LABELS[part][1]}</span>
                    </th>
                    <td>{settings.periods[part].period}</td>
                    <td>{when(settings.periods[part].cutoff)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableRegion>
          <p data-testid="next-run">
            {settings.interval === null || settings.nextRunAt === null ? (
              'Automatic disposal is off: only the collector’s command line disposes.'
            ) : (
              <>
                Automatic disposal every {settings.interval}; the next run is due {when(settings.nextRunAt)}.
              </>
            )}
          </p>
        </>
      )}
      {runningSince !== null && <p className="notice">A disposal run is under way since {when(runningSince)}.</p>}
    </section>
  );
}

function LastRun({ run }: { run: RetentionPanel['lastRun'] }) {
  return (
    <section className="panel" aria-labelledby="last-run-heading">
      <h2 id="last-run-heading">Last disposal run</h2>
      {run === null ? (
        <p className="muted">No disposal has run yet.</p>
      ) : (
        <>
          <p>
            {run.dryRun ? 'A dry run (nothing changed)' : 'Run'} by {run.by === 'automatic' ? 'the collector, automatically' : run.by}, from {when(run.startedAt)} to {when(run.finishedAt)}.
          </p>
          <ul className={`plain-list${run.failed ? ' notice notice-problem' : ''}`}>
            {run.lines.map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

function Holds({ holds, mayChange, onDone }: { holds: LegalHoldRow[]; mayChange: boolean; onDone: (message: string) => void }) {
  return (
    <TitledTable id="holds" title="Active legal holds" empty={holds.length === 0 ? 'No legal hold is active.' : null}>
      <thead>
        <tr>
          <th scope="col">Hold</th>
          <th scope="col">On</th>
          <th scope="col">Why</th>
          <th scope="col">Placed by</th>
          <th scope="col">Placed</th>
          {mayChange && <th scope="col">Release</th>}
        </tr>
      </thead>
      <tbody>
        {holds.map((hold) => (
          <tr key={hold.id}>
            <th scope="row">#{hold.id}</th>
            <td>
              {HOLD_KIND_LABELS[hold.kind].label}
              <span className="code">{hold.target}</span>
            </td>
            <td>{hold.reason}</td>
            <td>{hold.placedBy}</td>
            <td>{when(hold.placedAt)}</td>
            {mayChange && (
              <td>
                <ReleaseHold hold={hold} onDone={onDone} />
              </td>
            )}
          </tr>
        ))}
      </tbody>
    </TitledTable>
  );
}

/** Releasing asks once more: the held records become due for disposal again. */
function ReleaseHold({ hold, onDone }: { hold: LegalHoldRow; onDone: (message: string) => void }) {
  const queryClient = useQueryClient();
  const [asking, setAsking] = useState(false);
  const release = useMutation({
    mutationFn: () => call('releaseHold', { params: { id: hold.id }, body: {} }),
    onSuccess: (released) => {
      onDone(`Legal hold #${released.id} released.`);
      return queryClient.invalidateQueries({ queryKey: ['retention'] });
    },
  });
  if (!asking) {
    return (
      <button type="button" className="secondary" onClick={() => setAsking(true)}>
        Release hold #{hold.id}
      </button>
    );
  }
  return (
    <div className="confirm" role="group" aria-label={`Release legal hold #${hold.id}`}>
      <p>Its records become due for disposal again. Release it?</p>
      <button type="button" onClick={() => release.mutate()} disabled={release.isPending}>
        Release
      </button>{' '}
      <button type="button" className="secondary" onClick={() => setAsking(false)} disabled={release.isPending}>
        Keep the hold
      </button>
      {release.isError && (
        <p className="notice notice-problem" role="alert">
          {errorMessage(release.error)}
        </p>
      )}
    </div>
  );
}

function PlaceHold({ onDone }: { onDone: (message: string) => void }) {
  const queryClient = useQueryClient();
  const id = useId();
  const [kind, setKind] = useState<HoldKind>('user');
  const [target, setTarget] = useState('');
  const [reason, setReason] = useState('');
  const place = useMutation({
    mutationFn: () => call('placeHold', { body: { kind, target, reason } }),
    onSuccess: (hold) => {
      onDone(`Legal hold #${hold.id} placed on ${hold.target}.`);
      setTarget('');
      setReason('');
      return queryClient.invalidateQueries({ queryKey: ['retention'] });
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    place.mutate();
  };
  return (
    <section className="panel" aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>Place a legal hold</h2>
      <form className="hold-form" onSubmit={submit}>
        <fieldset>
          <legend>Hold the records of</legend>
          {HOLD_KINDS.map((k) => (
            <label key={k}>
              <input type="radio" name={`${id}-kind`} value={k} checked={kind === k} onChange={() => setKind(k)} /> {HOLD_KIND_LABELS[k].label}
            </label>
          ))}
        </fieldset>
        <div className="field">
          <label htmlFor={`${id}-target`}>{HOLD_KIND_LABELS[kind].target}</label>
          <input id={`${id}-target`} value={target} onChange={(e) => setTarget(e.target.value)} required maxLength={256} autoComplete="off" aria-describedby={`${id}-target-hint`} />
          <p className="hint" id={`${id}-target-hint`}>
            {HOLD_KIND_LABELS[kind].hint}
          </p>
        </div>
        <div className="field">
          <label htmlFor={`${id}-reason`}>Why (the matter, case or request)</label>
          <textarea id={`${id}-reason`} value={reason} onChange={(e) => setReason(e.target.value)} required maxLength={1000} rows={3} />
        </div>
        <button type="submit" disabled={place.isPending}>
          Place legal hold
        </button>
      </form>
      {place.isError && (
        <p className="notice notice-problem" role="alert">
          {errorMessage(place.error)}
        </p>
      )}
    </section>
  );
}

function Disposals({ disposals }: { disposals: DisposalRow[] }) {
  return (
    <TitledTable id="disposals" title="Recent disposal records" empty={disposals.length === 0 ? 'Nothing has been disposed of.' : null}>
      <thead>
        <tr>
          <th scope="col">Record</th>
          <th scope="col">When</th>
          <th scope="col">What</th>
          <th scope="col" className="num">
            Count
          </th>
          <th scope="col">Rule</th>
          <th scope="col">By</th>
        </tr>
      </thead>
      <tbody>
        {disposals.map((record) => (
          <tr key={record.seq}>
            <th scope="row">#{record.seq}</th>
            <td>{when(record.at)}</td>
            <td>
              {DISPOSAL_LABELS[record.what]}
              {record.deviceId !== null && <span className="code">{record.deviceId}</span>}
              <span className="note">{record.detail}</span>
            </td>
            <td className="num">{record.count}</td>
            <td>
              {record.rule.period}: older than {when(record.rule.cutoff)}
            </td>
            <td>{record.by}</td>
          </tr>
        ))}
      </tbody>
    </TitledTable>
  );
}
