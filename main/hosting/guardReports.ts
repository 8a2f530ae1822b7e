// Reports from the guard inside hosted pages become audit events. The page could forge
// or flood reports, so: only a registered hosted webContents may report, the app is
// main's own record of the sender (never the page's word), every report is validated,
// and each kind of report has its own budget per sender. A page that spends the print
// budget cannot silence watermark-tampering reports; the first report of each kind in a
// window is always recorded, and repeats past the budget are summarised with a count
// when the window ends (flush() on a timer, or the sender's next report).
import { GUARD_REPORT_CHANNEL, type GuardReport } from '../../common/hosting/guardProtocol';
import { guardReportSchema } from '../../common/hosting/guardReportSchema';
import type { HostedAppRules } from '../../common/hosting/hostedAppRules';
import type { AuditEventInput, AuditSink } from '../../common/audit/auditSink';
import { WindowBudget, type Overflow } from '../throttle/windowBudget';

const EVENT_FOR: Record<GuardReport['block'], AuditEventInput['type']> = {
  navigation: 'navigation.blocked',
  'external-protocol': 'navigation.blocked',
  print: 'print.blocked',
  'service-worker': 'request.blocked',
  clipboard: 'clipboard.blocked',
  watermark: 'watermark.tampered',
  upload: 'upload.blocked',
};

/** Reports recorded per sender, per kind, per window: enough for any honest page. */
export const REPORTS_PER_KIND = 10;
export const REPORT_WINDOW_MS = 10_000;

/** What a report counts against: its block, or the two ways a message is refused. */
type Kind = GuardReport['block'] | 'invalid' | 'not-hosted';

interface BudgetKey {
  sender: number;
  kind: Kind;
  appId: string | undefined;
}

function eventFor(kind: Kind): AuditEventInput['type'] {
  return kind === 'invalid' || kind === 'not-hosted' ? 'ipc.refused' : EVENT_FOR[kind];
}

/** The parts of ipcMain this needs. */
export interface GuardReportIpc {
  on(channel: string, listener: (event: { sender: { id: number } }, payload: unknown) => void): void;
}

export interface GuardReports {
  /** Records the summaries of windows that ended; call it on a timer. */
  flush(): void;
}

export function registerGuardReports(ipc: GuardReportIpc, appFor: (webContentsId: number) => HostedAppRules | null, audit: AuditSink, now: () => number = Date.now): GuardReports {
  const budget = new WindowBudget<BudgetKey>(REPORTS_PER_KIND, REPORT_WINDOW_MS, (key) => `${key.sender}:${key.kind}`);
  const summarise = ({ key, suppressed }: Overflow<BudgetKey>) =>
    audit.record({
      type: eventFor(key.kind),
      outcome: 'blocked',
      ...(key.appId === undefined ? {} : { appId: key.appId }),
      reason: `${GUARD_REPORT_CHANNEL}: +${suppressed} more ${key.kind} reports in ${REPORT_WINDOW_MS / 1000} s`,
    });

  ipc.on(GUARD_REPORT_CHANNEL, (event, payload) => {
    const rules = appFor(event.sender.id);
    const appId = rules?.appId;
    const parsed = rules === null ? null : guardReportSchema.safeParse(payload);
    const kind: Kind = rules === null ? 'not-hosted' : parsed?.success === true ? parsed.data.block : 'invalid';
    if (!budget.take({ sender: event.sender.id, kind, appId }, now(), summarise)) return;
    if (rules === null) {
      audit.record({ type: 'ipc.refused', outcome: 'blocked', reason: `${GUARD_REPORT_CHANNEL}: sender is not a hosted app` });
      return;
    }
    if (parsed?.success !== true) {
      audit.record({ type: 'ipc.refused', outcome: 'blocked', appId: rules.appId, reason: `${GUARD_REPORT_CHANNEL}: invalid report` });
      return;
    }
    const { block, origin, reason } = parsed.data;
    audit.record({ type: EVENT_FOR[block], outcome: 'blocked', appId: rules.appId, ...(origin === undefined ? {} : { origin }), reason: block === 'service-worker' ? `service-worker-${reason}` : reason });
  });
  return { flush: () => budget.expire(now(), summarise) };
}
