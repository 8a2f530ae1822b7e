// The periodic access review for compliance officers: for a period, per VA and for all,
// sessions, hours, blocks by kind, alerts and how fast they were resolved, devices and
// reviews; and the practice's every alert of the period. Made to be printed (the print
// stylesheet drops the console's frame and keeps the header saying what, for whom, by whom
// and when) and downloaded as CSV. The period lives in the address, so a link reopens it.
import { useQuery } from '@tanstack/react-query';
import { useState, type FormEvent, type ReactNode } from 'react';
import { BLOCK_KIND_NAMES, type AccessReview, type BlockKind, type ReviewFigures } from '../../common/console/consoleApi';
import { alertKindLabel } from '../alertKinds';
import { call, downloadUrl } from '../api/consoleClient';
import { formatDay, formatDayTime, formatDuration } from '../format';
import { navigate } from '../router';
import { periodOf, presetDays, readDays, REVIEW_PRESETS, type ReviewDays, type ReviewPreset } from '../reviewPeriod';
import { Loading, Problem, TableRegion, ViewHeading } from '../ui';

const BLOCK_LABELS: Record<BlockKind, string> = {
  copy: 'Copy',
  print: 'Print',
  download: 'Download',
  upload: 'Upload',
  navigation: 'Navigation',
  capture: 'Capture',
  permission: 'Permission',
  other: 'Other',
};

const addressOf = (days: ReviewDays) => `/access-review?from=${days.from}&to=${days.to}`;
const hours = (ms: number) => `${(ms / 3_600_000).toFixed(1)} h`;
const duration = (ms: number | null) => (ms === null ? '—' : formatDuration(ms));
const vaName = (subject: string | null) => subject ?? 'No user recorded';

export function AccessReviewView({ search }: { search: URLSearchParams }) {
  // No period in the address: last month, the review a practice does most.
  const days = readDays(search) ?? presetDays('last-month', new Date());
  const query = periodOf(days);
  const review = useQuery({ queryKey: ['accessReview', query], queryFn: () => call('accessReview', { query }) });

  return (
    <div className="access-review">
      <ViewHeading title="Access review">Periodic access review</ViewHeading>
      <PeriodForm key={addressOf(days)} days={days} csvUrl={downloadUrl('accessReviewCsv', { query })} />
      {review.isPending && <Loading what="the access review" />}
      {review.isError && <Problem error={review.error} />}
      {review.data !== undefined && <Report report={review.data} />}
    </div>
  );
}

function PeriodForm({ days, csvUrl }: { days: ReviewDays; csvUrl: string }) {
  const [from, setFrom] = useState(days.from);
  const [to, setTo] = useState(days.to);
  const [problem, setProblem] = useState<string | null>(null);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const chosen = readDays(new URLSearchParams({ from, to }));
    setProblem(chosen === null ? 'Choose a first and a last day, the last on or after the first.' : null);
    if (chosen !== null) navigate(addressOf(chosen));
  };
  const preset = (name: ReviewPreset) => navigate(addressOf(presetDays(name, new Date())));

  return (
    <section className="panel report-controls no-print" aria-labelledby="period-heading">
      <h2 id="period-heading">Period</h2>
      <div className="presets">
        {(Object.keys(REVIEW_PRESETS) as ReviewPreset[]).map((name) => (
          <button key={name} type="button" className="secondary" onClick={() => preset(name)}>
            {REVIEW_PRESETS[name]}
          </button>
        ))}
      </div>
      <form className="filter" onSubmit={submit} aria-label="Choose the period">
        <div className="field">
          <label htmlFor="review-from">First day</label>
          <input id="review-from" type="date" value={from} onChange={(e) => setFrom(e.target.value)} required />
        </div>
        <div className="field">
          <label htmlFor="review-to">Last day</label>
          <input id="review-to" type="date" value={to} onChange={(e) => setTo(e.target.value)} required />
        </div>
        <div className="filter-actions">
          <button type="submit">Show review</button>
        </div>
      </form>
      {problem !== null && (
        <p className="notice notice-problem" role="alert">
          {problem}
        </p>
      )}
      <div className="actions">
        <button type="button" onClick={() => window.print()}>
          Print
        </button>
        <a className="button secondary" href={csvUrl} download>
          Download CSV
        </a>
      </div>
      <p className="hint">Viewing, printing and downloading are each recorded in the access log.</p>
    </section>
  );
}

function Report({ report }: { report: AccessReview }) {
  const lastDay = new Date(Date.parse(report.period.to) - 1).toISOString();
  return (
    <>
      <header className="report-header">
        <dl className="facts compact">
          <div>
            <dt>Practice</dt>
            <dd>{report.practice}</dd>
          </div>
          <div>
            <dt>Period</dt>
            <dd>
              {formatDay(report.period.from)} to {formatDay(lastDay)}
              <span className="note">
                from <time dateTime={report.period.from}>{formatDayTime(report.period.from)}</time> up to <time dateTime={report.period.to}>{formatDayTime(report.period.to)}</time>
              </span>
            </dd>
          </div>
          <div>
            <dt>Generated by</dt>
            <dd>{report.generatedBy}</dd>
          </div>
          <div>
            <dt>Generated</dt>
            <dd>
              <time dateTime={report.generatedAt}>{formatDayTime(report.generatedAt)}</time>
            </dd>
          </div>
        </dl>
      </header>
      {report.vas.length === 0 ? (
        <p className="empty panel">No session started in this period.</p>
      ) : (
        <>
          <FiguresTable
            id="activity"
            caption="Per VA: sessions, hours and blocks"
            report={report}
            columns={[
              ['Sessions', (f) => f.sessions],
              ['Hours', (f) => hours(f.workedMs)],
              ['Devices', (f) => f.devices],
              ...BLOCK_KIND_NAMES.map((kind): Column => [BLOCK_LABELS[kind], (f) => f.blocks[kind]]),
              ['All blocks', (f) => f.blocksTotal],
            ]}
          />
          <FiguresTable
            id="oversight"
            caption="Per VA: alerts and reviews"
            report={report}
            columns={[
              ['Alerts', (f) => f.alerts.raised],
              ['Resolved', (f) => f.alerts.resolved],
              ['Median time to resolve', (f) => duration(f.alerts.medianResolutionMs)],
              ['Longest', (f) => duration(f.alerts.maxResolutionMs)],
              ['Sessions reviewed', (f) => f.reviewed],
              ['Flagged', (f) => f.flagged],
              ['Not reviewed', (f) => f.notReviewed],
            ]}
          />
        </>
      )}
      <PracticeAlerts alerts={report.practiceAlerts} />
      <section className="report-section report-notes" aria-labelledby="notes-heading">
        <h2 id="notes-heading">How these are counted</h2>
        <ul className="plain-list">
          <li>A session counts in the period it started in; its hours run from sign-in to sign-out, or to its last event if it never ended.</li>
          <li>A block is anything Cordon refused; the kinds are copy (clipboard), print, download, upload, navigation (pages, new windows, requests), screen capture and permissions.</li>
          <li>A VA's alerts are those about their sessions in the period. Time to resolve runs from detection to the resolve mark in the alerts inbox; an acknowledged alert is not resolved.</li>
          <li>The practice's alerts are every alert detected in the period, including those about no session (an unknown device, a device that went quiet).</li>
        </ul>
      </section>
    </>
  );
}

type Column = [header: string, value: (figures: ReviewFigures) => ReactNode];

function FiguresTable({ id, caption, report, columns }: { id: string; caption: string; report: AccessReview; columns: Column[] }) {
  const captionId = `${id}-caption`;
  return (
    <TableRegion labelledBy={captionId}>
      <table className="data report-table">
        <caption id={captionId}>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">VA</th>
            {columns.map(([header]) => (
              <th key={header} scope="col" className="num">
                {header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {report.vas.map((va) => (
            <tr key={va.subject ?? ''}>
              <th scope="row">{vaName(va.subject)}</th>
              {columns.map(([header, value]) => (
                <td key={header} className="num">
                  {value(va)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row">All VAs</th>
            {columns.map(([header, value]) => (
              <td key={header} className="num">
                {value(report.totals)}
              </td>
            ))}
          </tr>
        </tfoot>
      </table>
    </TableRegion>
  );
}

function PracticeAlerts({ alerts }: { alerts: AccessReview['practiceAlerts'] }) {
  return (
    <section className="report-section" aria-labelledby="practice-heading">
      <h2 id="practice-heading">The practice's alerts in the period</h2>
      <dl className="facts compact">
        <div>
          <dt>Detected</dt>
          <dd>{alerts.raised}</dd>
        </div>
        <div>
          <dt>Resolved</dt>
          <dd>{alerts.resolved}</dd>
        </div>
        <div>
          <dt>Median time to resolve</dt>
          <dd>{duration(alerts.medianResolutionMs)}</dd>
        </div>
        <div>
          <dt>Longest</dt>
          <dd>{duration(alerts.maxResolutionMs)}</dd>
        </div>
      </dl>
      {alerts.byKind.length > 0 && (
        <TableRegion labelledBy="kinds-caption">
          <table className="data report-table">
            <caption id="kinds-caption">Alerts by kind</caption>
            <thead>
              <tr>
                <th scope="col">Kind</th>
                <th scope="col">Severity</th>
                <th scope="col" className="num">
                  Detected
                </th>
                <th scope="col" className="num">
                  Resolved
                </th>
              </tr>
            </thead>
            <tbody>
              {alerts.byKind.map((row) => (
                <tr key={`${row.kind} ${row.severity}`}>
                  <th scope="row">
                    {alertKindLabel(row.kind)}
                    <span className="code">{row.kind}</span>
                  </th>
                  <td className="severity">{row.severity}</td>
                  <td className="num">{row.raised}</td>
                  <td className="num">{row.resolved}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableRegion>
      )}
    </section>
  );
}
