// Main's side of the guard's report channel: only hosted pages may report, the app is
// main's record of the sender, reports are validated, and floods are cut off.
import { describe, expect, it } from 'vitest';
import { GUARD_REPORT_CHANNEL } from '../../../common/hosting/guardProtocol';
import type { HostedAppRules } from '../../../common/hosting/hostedAppRules';
import { registerGuardReports, ReportLimiter } from '../../../main/hosting/guardReports';
import { FakeIpcMain, RecordingAuditSink } from '../../support/electronFakes';

const ehr: HostedAppRules = { appId: 'ehr', navigationOrigins: ['https://ehr.example.com'], requestOrigins: ['https://ehr.example.com'], permissions: [], downloads: 'deny', printing: 'deny', uploads: 'deny', clipboard: 'workspace', allowLoopbackHttp: false };

function setup(now = () => 0) {
  const ipc = new FakeIpcMain();
  const audit = new RecordingAuditSink();
  registerGuardReports(ipc, (id) => (id === 7 ? ehr : null), audit, now);
  const send = (senderId: number, payload: unknown) => ipc.listeners.get(GUARD_REPORT_CHANNEL)?.({ sender: { id: senderId } }, payload);
  return { audit, send };
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

  it('cuts a flooding page off with one event, and listens again after the window', () => {
    let now = 0;
    const { audit, send } = setup(() => now);
    for (let i = 0; i < 100; i += 1) send(7, { block: 'print', reason: 'window-print' });
    expect(audit.events.filter((e) => e.type === 'print.blocked')).toHaveLength(30);
    expect(audit.events.filter((e) => e.type === 'ipc.refused')).toHaveLength(1);
    now = 10_000;
    send(7, { block: 'print', reason: 'window-print' });
    expect(audit.events.filter((e) => e.type === 'print.blocked')).toHaveLength(31);
  });

  it('limits each sender on its own', () => {
    const limiter = new ReportLimiter(2, 1000);
    expect([limiter.take(1, 0), limiter.take(1, 0), limiter.take(1, 0), limiter.take(1, 0)]).toEqual(['ok', 'ok', 'first-excess', 'excess']);
    expect(limiter.take(2, 0)).toBe('ok');
  });
});
