// Reports from the guard inside hosted pages become audit events. The page could forge
// or flood reports, so: only a registered hosted webContents may report, the app is
// main's own record of the sender (never the page's word), every report is validated,
// and a flood is cut off per sender with one audit event saying so.
import { GUARD_REPORT_CHANNEL, type GuardReport } from '../../common/hosting/guardProtocol';
import { guardReportSchema } from '../../common/hosting/guardReportSchema';
import type { HostedAppRules } from '../../common/hosting/hostedAppRules';
import type { AuditEventInput, AuditSink } from '../../common/audit/auditSink';

const EVENT_FOR: Record<GuardReport['block'], AuditEventInput['type']> = {
  navigation: 'navigation.blocked',
  'external-protocol': 'navigation.blocked',
  print: 'print.blocked',
  'service-worker': 'request.blocked',
  clipboard: 'clipboard.blocked',
  watermark: 'watermark.tampered',
  upload: 'upload.blocked',
};

/** At most `limit` reports per sender per window; enough for any honest page. */
export class ReportLimiter {
  private readonly windows = new Map<number, { start: number; count: number }>();

  constructor(
    private readonly limit = 30,
    private readonly windowMs = 10_000,
  ) {}

  /** 'ok', 'first-excess' (say so once), or 'excess'. */
  take(sender: number, now: number): 'ok' | 'first-excess' | 'excess' {
    const current = this.windows.get(sender);
    const window = current === undefined || now - current.start >= this.windowMs ? { start: now, count: 0 } : current;
    window.count += 1;
    this.windows.set(sender, window);
    if (window.count <= this.limit) return 'ok';
    return window.count === this.limit + 1 ? 'first-excess' : 'excess';
  }
}

export function recordGuardReport(rules: HostedAppRules | null, payload: unknown, audit: AuditSink): void {
  if (rules === null) {
    audit.record({ type: 'ipc.refused', outcome: 'blocked', reason: `${GUARD_REPORT_CHANNEL}: sender is not a hosted app` });
    return;
  }
  const parsed = guardReportSchema.safeParse(payload);
  if (!parsed.success) {
    audit.record({ type: 'ipc.refused', outcome: 'blocked', appId: rules.appId, reason: `${GUARD_REPORT_CHANNEL}: invalid report` });
    return;
  }
  const { block, origin, reason } = parsed.data;
  audit.record({ type: EVENT_FOR[block], outcome: 'blocked', appId: rules.appId, ...(origin === undefined ? {} : { origin }), reason: block === 'service-worker' ? `service-worker-${reason}` : reason });
}

/** The parts of ipcMain this needs. */
export interface GuardReportIpc {
  on(channel: string, listener: (event: { sender: { id: number } }, payload: unknown) => void): void;
}

export function registerGuardReports(ipc: GuardReportIpc, appFor: (webContentsId: number) => HostedAppRules | null, audit: AuditSink, now: () => number = Date.now): void {
  const limiter = new ReportLimiter();
  ipc.on(GUARD_REPORT_CHANNEL, (event, payload) => {
    const verdict = limiter.take(event.sender.id, now());
    if (verdict === 'excess') return;
    const rules = appFor(event.sender.id);
    if (verdict === 'first-excess') {
      audit.record({ type: 'ipc.refused', outcome: 'blocked', ...(rules === null ? {} : { appId: rules.appId }), reason: `${GUARD_REPORT_CHANNEL}: flood, further reports dropped for 10 s` });
      return;
    }
    recordGuardReport(rules, payload, audit);
  });
}
