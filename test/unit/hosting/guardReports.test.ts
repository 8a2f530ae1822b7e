// Main's side of the guard's report channel: only hosted pages may report, the app is
// main's record of the sender, reports are validated, and each kind has its own budget.
import { describe, expect, it } from 'vitest';
import { GUARD_REPORT_CHANNEL } from '../../../common/hosting/guardProtocol';
import type { HostedAppRules } from '../../../common/hosting/hostedAppRules';
import { createGuardReports, frameReporter, REPORT_WINDOW_MS, REPORTS_PER_KIND } from '../../../main/hosting/guardReports';
import { FakeIpcMain, RecordingAuditSink } from '../../support/electronFakes';

const ehr: HostedAppRules = { appId: 'ehr', navigationOrigins: ['https://ehr.example.com'], requestOrigins: ['https://ehr.example.com'], permissions: [], downloads: 'deny', printing: 'deny', uploads: 'deny', clipboard: 'workspace', allowLoopbackHttp: false };

function setup(now = () => 0) {
  const ipc = new FakeIpcMain();
  const audit = new RecordingAuditSink();
  const reports = createGuardReports(audit, now);
  reports.listen(ipc, frameReporter((id) => (id === 7 ? ehr : null)));
  const send = (senderId: number, payload: unknown) => ipc.listeners.get(GUARD_REPORT_CHANNEL)?.({ sender: { id: senderId } }, payload);
  return { audit, send, reports };
}

describe('guard reports', () => {
  it('records each kind of block as its audit event, for the sender\'s app', () => {
    const { audit, send } = setup();
    send(7, { block: 'navigation', origin: 'data:', reason: 'scheme-not-allowed' });
    send(7, { block: 'external-protocol', origin: 'mailto:', reason: 'external-protocol' });
    send(7, { block: 'print', reason: 'window-print' });
    send(7, { block: 'service-worker', origin: 'https://evil.example', reason: 'origin-not-approved' });
    expect(audit.events).toEqual([
      { type: 'navigation.blocked', outcome: 'blocked', appId: 'ehr', origin: 'data:', reason: 'scheme-not-allowed' },
      { type: 'navigation.blocked', outcome: 'blocked', appId: 'ehr', origin: 'mailto:', reason: 'external-protocol' },
      { type: 'print.blocked', outcome: 'blocked', appId: 'ehr', reason: 'window-print' },
      { type: 'request.blocked', outcome: 'blocked', appId: 'ehr', origin: 'https://evil.example', reason: 'service-worker-origin-not-approved' },
    ]);
  });

  it('refuses reports from anything that is not a hosted app', () => {
    const { audit, send } = setup();
    send(3, { block: 'print', reason: 'window-print' });
    expect(audit.events).toEqual([{ type: 'ipc.refused', outcome: 'blocked', reason: `${GUARD_REPORT_CHANNEL}: sender is not a hosted app` }]);
  });

  it.each([
    ['a full URL, which may carry PHI', { block: 'navigation', origin: 'https://evil.example/chart?mrn=SYN-0001', reason: 'origin-not-approved' }],
    ['an app id of the page\'s choosing', { block: 'print', reason: 'window-print', appId: 'billing' }],
    ['an unknown block', { block: 'screenshot', reason: 'x' }],
    ['free text as a reason', { block: 'print', reason: 'Patient SYN-0001 printed' }],
    ['not an object', 'print'],
  ])('refuses a malformed report: %s', (_name, payload) => {
    const { audit, send } = setup();
    send(7, payload);
    expect(audit.events).toEqual([{ type: 'ipc.refused', outcome: 'blocked', appId: 'ehr', reason: `${GUARD_REPORT_CHANNEL}: invalid report` }]);
    expect(JSON.stringify(audit.events)).not.toContain('SYN-0001');
  });

  it('gives each kind its own budget: a page that spends the print budget cannot hide watermark tampering', () => {
    const { audit, send } = setup();
    for (let i = 0; i < 100; i += 1) send(7, { block: 'print', reason: 'window-print' });
    send(7, { block: 'watermark', reason: 'layer-removed' });
    expect(audit.events.filter((e) => e.type === 'print.blocked')).toHaveLength(REPORTS_PER_KIND);
    expect(audit.events.filter((e) => e.type === 'watermark.tampered')).toEqual([{ type: 'watermark.tampered', outcome: 'blocked', appId: 'ehr', reason: 'layer-removed' }]);
  });

  it('summarises the suppressed repeats with a count when the window ends, then listens again', () => {
    let now = 0;
    const { audit, send, reports } = setup(() => now);
    for (let i = 0; i < 100; i += 1) send(7, { block: 'print', reason: 'window-print' });
    expect(audit.events).toHaveLength(REPORTS_PER_KIND);
    now = REPORT_WINDOW_MS;
    reports.flush();
    expect(audit.events.at(-1)).toEqual({ type: 'print.blocked', outcome: 'blocked', appId: 'ehr', reason: `${GUARD_REPORT_CHANNEL}: +90 more print reports in 10 s` });
    send(7, { block: 'print', reason: 'window-print' });
    expect(audit.events.filter((e) => e.type === 'print.blocked' && e.reason === 'window-print')).toHaveLength(REPORTS_PER_KIND + 1);
  });

  it('budgets each sender on its own, and bounds invalid reports and strangers too', () => {
    const { audit, send } = setup();
    for (let i = 0; i < 50; i += 1) {
      send(7, 'junk');
      send(3, { block: 'print', reason: 'window-print' });
    }
    expect(audit.events.filter((e) => e.appId === 'ehr')).toHaveLength(REPORTS_PER_KIND);
    expect(audit.events.filter((e) => e.appId === undefined)).toHaveLength(REPORTS_PER_KIND);
  });
});
