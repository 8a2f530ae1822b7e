// The console's own access log, for compliance: who looked at which session, searched,
// reviewed, exported. It is hash-chained like a device's history; the banner says whether
// the chain still verifies, and where it breaks when it does not.
import { useQuery } from '@tanstack/react-query';
import { call } from '../api/consoleClient';
import { formatDayTime, plural } from '../format';
import { navigate } from '../router';
import { Pager, Problem, ViewHeading } from '../ui';

export function AccessLogView({ search }: { search: URLSearchParams }) {
  const cursor = search.get('cursor') ?? undefined;
  const log = useQuery({ queryKey: ['accessLog', cursor], queryFn: () => call('accessLog', { query: { cursor } }) });
  const chain = log.data?.chain;

  return (
    <>
      <ViewHeading title="Access log">Access log</ViewHeading>
      <p className="lede">Everything people did in this console, newest first. Nobody can change or delete it here, admins included.</p>
      {chain !== undefined &&
        (chain.intact ? (
          <p className="chain-summary chain-verified" data-testid="access-chain">
            <span className="chain-badge chain-verified">
              <span aria-hidden="true">✓</span> Chain intact
            </span>{' '}
            All {plural(chain.entries, 'entry', 'entries')} verify against the collector's hash chain and signed checkpoints.
          </p>
        ) : (
          <p className="chain-summary chain-tampered" data-testid="access-chain" role="alert">
            <span className="chain-badge chain-tampered">
              <span aria-hidden="true">✕</span> Chain broken
            </span>{' '}
            {chain.problem ?? 'The access log does not verify.'} Entries from that point on cannot be trusted; tell IT and keep a copy of this page.
          </p>
        ))}
      {log.isError && <Problem error={log.error} />}
      <div className="table-wrap">
        <table className="data">
          <caption>Console access log{cursor !== undefined && ', a later page'}{log.isPending && <span className="muted"> (loading…)</span>}</caption>
          <thead>
            <tr>
              <th scope="col" className="num">
                #
              </th>
              <th scope="col">When</th>
              <th scope="col">Who</th>
              <th scope="col">Action</th>
              <th scope="col">Outcome</th>
              <th scope="col">Target</th>
            </tr>
          </thead>
          <tbody>
            {log.data?.items.map((entry) => (
              <tr key={entry.seq}>
                <td className="num">{entry.seq}</td>
                <td>
                  <time dateTime={entry.at}>{formatDayTime(entry.at)}</time>
                </td>
                <th scope="row">{entry.actor}</th>
                <td>{entry.action}</td>
                <td>{entry.outcome === 'refused' ? <span className="pill pill-alert">refused</span> : 'success'}</td>
                <td className="target">{entry.target ?? <span className="muted">—</span>}</td>
              </tr>
            ))}
            {log.data?.items.length === 0 && (
              <tr>
                <td colSpan={6} className="empty">
                  Nothing recorded yet.
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
      {log.data !== undefined && (
        <Pager atFirst={cursor === undefined} nextCursor={log.data.nextCursor} onFirst={() => navigate('/access-log')} onNext={(next) => navigate(`/access-log?cursor=${encodeURIComponent(next)}`)} />
      )}
    </>
  );
}
