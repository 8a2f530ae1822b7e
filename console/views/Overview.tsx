// Where people would rather look than read: sessions and blocks per day, alerts by kind, and
// the devices that have gone quiet. Each chart is an SVG from Observable Plot with the same
// numbers in a table for screen readers (aria-describedby).
import * as Plot from '@observablehq/plot';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useId, useMemo, useRef } from 'react';
import { alertKindLabel } from '../alertKinds';
import { call } from '../api/consoleClient';
import { formatDayTime } from '../format';
import { Link } from '../router';
import { Loading, Problem, ViewHeading } from '../ui';

const DAYS = 14;
/** Plot's generated class names are replaced by this one, styled in styles.css. */
const CHART_CLASS = 'console-chart';

/**
 * Renders a Plot chart under the console's CSP: Plot puts a <style> element in every SVG,
 * which `style-src 'self'` refuses (and reports). It is removed before the SVG joins the
 * page; styles.css carries the same rules for CHART_CLASS.
 */
function PlotChart({ options, labelledBy, describedBy }: { options: Plot.PlotOptions; labelledBy: string; describedBy: string }) {
  const host = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const chart = Plot.plot({ ...options, className: CHART_CLASS });
    for (const style of chart.querySelectorAll('style')) style.remove();
    // The SVG is one image described by its table; Plot's labels on inner groups (not
    // allowed on a generic <g>) would only repeat it.
    for (const labelled of chart.querySelectorAll('svg [aria-label], svg [aria-description]')) {
      labelled.removeAttribute('aria-label');
      labelled.removeAttribute('aria-description');
    }
    const svg = chart instanceof SVGSVGElement ? chart : chart.querySelector('svg');
    svg?.setAttribute('role', 'img');
    svg?.setAttribute('aria-labelledby', labelledBy);
    svg?.setAttribute('aria-describedby', describedBy);
    host.current?.replaceChildren(chart);
    return () => chart.remove();
  }, [options, labelledBy, describedBy]);
  return <div ref={host} className="chart-host" />;
}

interface Column<T> {
  header: string;
  value: (row: T) => string | number;
}

/** A chart and the same numbers as a table: the table is what a screen reader reads. */
function ChartFigure<T>({ title, options, rows, columns }: { title: string; options: Plot.PlotOptions; rows: readonly T[]; columns: readonly [Column<T>, ...Column<T>[]] }) {
  const id = useId();
  const captionId = `${id}-caption`;
  const tableId = `${id}-table`;
  const [first, ...rest] = columns;
  return (
    <figure className="panel chart">
      <figcaption id={captionId}>{title}</figcaption>
      <PlotChart options={options} labelledBy={captionId} describedBy={tableId} />
      <div id={tableId} className="visually-hidden">
        <table>
          <caption>{title}</caption>
          <thead>
            <tr>
              {columns.map((c) => (
                <th key={c.header} scope="col">
                  {c.header}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={String(first.value(row))}>
                <th scope="row">{first.value(row)}</th>
                {rest.map((c) => (
                  <td key={c.header}>{c.value(row)}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </figure>
  );
}

/** Whole-number ticks: counts of 0, 1 or 2 must not read "0 0 1 1 2". */
const countTicks = (max: number): number | number[] => (max <= 6 ? Array.from({ length: max + 1 }, (_, i) => i) : 5);

const shortDay = (day: string) => new Date(`${day}T12:00:00Z`).toLocaleDateString(undefined, { month: 'short', day: 'numeric', timeZone: 'UTC' });

export function OverviewView() {
  const overview = useQuery({ queryKey: ['overview', DAYS], queryFn: () => call('overview', { query: { days: DAYS } }) });
  const data = overview.data;

  const charts = useMemo(() => {
    if (data === undefined) return null;
    const days = data.days.map((d) => ({ ...d, label: shortDay(d.day) }));
    const kinds = data.alertsByKind.map((a) => ({ ...a, label: alertKindLabel(a.kind) }));
    const perDay = (y: 'sessions' | 'blocks', fill: string): Plot.PlotOptions => ({
      width: 560,
      height: 220,
      marginBottom: 44,
      x: { label: null, domain: days.map((d) => d.label), tickRotate: -35 },
      y: { label: null, grid: true, tickFormat: 'd', ticks: countTicks(Math.max(0, ...days.map((d) => d[y]))) },
      marks: [Plot.barY(days, { x: 'label', y, fill }), Plot.ruleY([0])],
    });
    return {
      sessions: perDay('sessions', '#2f6fb5'),
      blocks: perDay('blocks', '#b8612a'),
      alerts: {
        width: 560,
        height: Math.max(120, 48 + kinds.length * 30),
        marginLeft: 200,
        x: { label: null, grid: true, tickFormat: 'd', ticks: countTicks(Math.max(0, ...kinds.map((k) => k.count))) },
        y: { label: null },
        marks: [Plot.barX(kinds, { x: 'count', y: 'label', fill: '#a23b3b', sort: { y: '-x' } }), Plot.ruleX([0])],
      } satisfies Plot.PlotOptions,
    };
  }, [data]);

  return (
    <>
      <ViewHeading title="Overview">Overview</ViewHeading>
      <p className="lede">The last {DAYS} days across every device that reports to this collector.</p>
      {overview.isPending && <Loading what="the overview" />}
      {overview.isError && <Problem error={overview.error} />}
      {data !== undefined && charts !== null && (
        <div className="overview-grid">
          <ChartFigure title="Sessions per day" options={charts.sessions} rows={data.days} columns={[{ header: 'Day', value: (d) => d.day }, { header: 'Sessions', value: (d) => d.sessions }]} />
          <ChartFigure title="Blocks per day" options={charts.blocks} rows={data.days} columns={[{ header: 'Day', value: (d) => d.day }, { header: 'Blocks', value: (d) => d.blocks }]} />
          {data.alertsByKind.length === 0 ? (
            <section className="panel" aria-labelledby="alerts-heading">
              <h2 id="alerts-heading">Alerts by kind</h2>
              <p>No alerts in these {DAYS} days.</p>
            </section>
          ) : (
            <ChartFigure title="Alerts by kind" options={charts.alerts} rows={data.alertsByKind} columns={[{ header: 'Kind', value: (a) => alertKindLabel(a.kind) }, { header: 'Alerts', value: (a) => a.count }]} />
          )}
          <section className="panel" aria-labelledby="silent-heading">
            <h2 id="silent-heading">Devices not heard from</h2>
            {data.silentDevices.length === 0 ? (
              <p>Every enrolled device has synced recently.</p>
            ) : (
              <ul className="plain-list">
                {data.silentDevices.map((d) => (
                  <li key={d.deviceId}>
                    <strong>{d.deviceName}</strong>{' '}
                    <span className="muted">{d.lastSyncAt === null ? 'has never synced' : <>last synced {formatDayTime(d.lastSyncAt)}</>}</span>
                  </li>
                ))}
              </ul>
            )}
            <p>
              <Link to="/alerts">Open the alerts inbox</Link>
            </p>
          </section>
        </div>
      )}
    </>
  );
}
