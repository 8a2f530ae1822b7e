// IT's view: every enrolled device, who enrolled it, when it last synced, how far its audit
// chain reaches, whether its history raised alerts (chain alerts) and how many alerts of
// any kind are open about it, its latest posture result per check, and whether its access
// is revoked (with the way to revoke it); and one-time enrollment codes for new ones.
import { useMutation, useQuery } from '@tanstack/react-query';
import type { DevicePostureRow } from '../../common/console/consoleApi';
import { DEVICE_CHECK_NAMES } from '../../common/posture/deviceCheckWording';
import type { CheckResult } from '../../common/posture/deviceChecks';
import { call } from '../api/consoleClient';
import { formatDayTime, plural } from '../format';
import { Link } from '../router';
import { errorMessage, Problem, TableRegion, ViewHeading } from '../ui';

/** Each result in words and a mark; unknown is never shown as a pass. */
const RESULT_WORDS: Record<CheckResult, { label: string; mark: string; state: string }> = {
  pass: { label: 'Pass', mark: '✓', state: 'current' },
  fail: { label: 'Fail', mark: '✕', state: 'overdue' },
  unknown: { label: 'Unknown', mark: '?', state: 'due-soon' },
};

function Posture({ checks }: { checks: DevicePostureRow[] }) {
  if (checks.length === 0) return <span className="muted">not reported</span>;
  return (
    <ul className="plain-list posture">
      {checks.map((c) => (
        <li key={c.check}>
          <span className={`standing standing-${RESULT_WORDS[c.result].state}`}>
            <span aria-hidden="true">{RESULT_WORDS[c.result].mark}</span> {DEVICE_CHECK_NAMES[c.check]}: {RESULT_WORDS[c.result].label}
          </span>{' '}
          <span className="note">
            {c.level}, <time dateTime={c.at}>{formatDayTime(c.at)}</time>
          </span>
        </li>
      ))}
    </ul>
  );
}

export function DevicesView() {
  const devices = useQuery({ queryKey: ['devices'], queryFn: () => call('devices') });
  // Not cached anywhere: the code is shown once, in this answer, and gone with the page.
  const issue = useMutation({ mutationFn: () => call('issueCode', { body: {} }) });

  return (
    <>
      <ViewHeading title="Devices">Devices</ViewHeading>
      <p className="lede">Every device enrolled with this collector. A new device enrolls itself at its first sign-in, or with a one-time code from here.</p>
      <section className="panel enroll" aria-labelledby="enroll-heading">
        <h2 id="enroll-heading">Enroll a device with a code</h2>
        <button type="button" onClick={() => issue.mutate()} disabled={issue.isPending}>
          Issue enrollment code
        </button>
        <div role="status" className="issued">
          {issue.data !== undefined && (
            <>
              <p>
                Enrollment code: <strong className="code code-large">{issue.data.code}</strong>
              </p>
              <p>
                Valid until <time dateTime={issue.data.expiresAt}>{formatDayTime(issue.data.expiresAt)}</time>, for one device. It is shown only now: note it before
                you leave this page.
              </p>
            </>
          )}
        </div>
        {issue.isError && (
          <p className="notice notice-problem" role="alert">
            {errorMessage(issue.error)}
          </p>
        )}
      </section>
      {devices.isError && <Problem error={devices.error} />}
      <TableRegion labelledBy="devices-caption">
        <table className="data">
          <caption id="devices-caption">Enrolled devices{devices.isPending && <span className="muted"> (loading…)</span>}</caption>
          <thead>
            <tr>
              <th scope="col">Device</th>
              <th scope="col">Enrolled</th>
              <th scope="col">Enrolled by</th>
              <th scope="col">Last sync</th>
              <th scope="col" className="num">
                Queue head
              </th>
              <th scope="col">Chain</th>
              <th scope="col" className="num">
                Open alerts
              </th>
              <th scope="col">Version</th>
              <th scope="col">Posture</th>
              <th scope="col">Access</th>
            </tr>
          </thead>
          <tbody>
            {devices.data?.items.map((d) => (
              <tr key={d.deviceId}>
                <th scope="row">
                  {d.deviceName}
                  <span className="code">{d.deviceId}</span>
                </th>
                <td>
                  <time dateTime={d.enrolledAt}>{formatDayTime(d.enrolledAt)}</time> <span className="muted">({d.enrollmentMethod})</span>
                </td>
                <td>{d.enrolledBy ?? <span className="muted">not recorded</span>}</td>
                <td>{d.lastSyncAt === null ? <span className="muted">never</span> : <time dateTime={d.lastSyncAt}>{formatDayTime(d.lastSyncAt)}</time>}</td>
                <td className="num">#{d.headSeq}</td>
                <td>
                  {d.chain === 'intact' ? (
                    <span className="chain-badge chain-verified">
                      <span aria-hidden="true">✓</span> Intact
                    </span>
                  ) : (
                    <span className="chain-badge chain-tampered">
                      <span aria-hidden="true">!</span> {plural(d.chainAlerts, 'chain alert')}
                    </span>
                  )}
                </td>
                <td className="num">{d.openAlerts}</td>
                <td>{d.softwareVersion ?? <span className="muted">unknown</span>}</td>
                <td>
                  <Posture checks={d.posture} />
                </td>
                <td>
                  {d.revokedSince === null ? (
                    <Link to={`/access?device=${d.deviceId}`}>
                      Revoke<span className="visually-hidden"> {d.deviceName}</span>
                    </Link>
                  ) : (
                    <>
                      <span className="standing standing-closed">
                        <span aria-hidden="true">✕</span> Revoked since <time dateTime={d.revokedSince}>{formatDayTime(d.revokedSince)}</time>
                      </span>{' '}
                      <Link to="/access">
                        Reinstate<span className="visually-hidden"> {d.deviceName}</span> on the Access page
                      </Link>
                    </>
                  )}
                </td>
              </tr>
            ))}
            {devices.data?.items.length === 0 && (
              <tr>
                <td colSpan={10} className="empty">
                  No device has enrolled yet.
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </TableRegion>
    </>
  );
}
