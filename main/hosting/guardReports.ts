// Reports from the guard inside hosted pages and their service workers become audit
// events. The page could forge or flood reports, so: only a registered hosted webContents
// (or a hosted session's service worker) may report, the app is main's own record of the
// sender (never the page's word), every report is validated,
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
  sender: string;
  kind: Kind;
  appId: string | undefined;
}

function eventFor(kind: Kind): AuditEventInput['type'] {
  return kind === 'invalid' || kind === 'not-hosted' ? 'ipc.refused' : EVENT_FOR[kind];
}

/** Who sent a report, as main knows it: a key for its budget, and its app (null: not a hosted app). */
export interface Reporter {
  key: string;
  rules: HostedAppRules | null;
}

/** Where reports arrive: ipcMain for frames, a ServiceWorkerMain's ipc for its worker. */
export interface GuardReportIpc<E> {
  on(channel: string, listener: (event: E, payload: unknown) => void): void;
}

export interface GuardReports {
  /** Takes the reports arriving on `ipc`; `reporterOf` names their sender from main's own records. */
  listen<E>(ipc: GuardReportIpc<E>, reporterOf: (event: E) => Reporter): void;
  /** Records the summaries of windows that ended; call it on a timer. */
  flush(): void;
}

/** A frame's reports: the sender is its webContents, its app is main's record of that webContents. */
export const frameReporter =
  (appFor: (webContentsId: number) => HostedAppRules | null) =>
  (event: { sender: { id: number } }): Reporter => ({ key: `contents:${event.sender.id}`, rules: appFor(event.sender.id) });

export function createGuardReports(audit: AuditSink, now: () => number = Date.now): GuardReports {
  const budget = new WindowBudget<BudgetKey>(REPORTS_PER_KIND, REPORT_WINDOW_MS, (key) => `${key.sender}:${key.kind}`);
  const summarise = ({ key, suppressed }: Overflow<BudgetKey>) =>
    audit.record({
      type: eventFor(key.kind),
      outcome: 'blocked',
      ...(key.appId === undefined ? {} : { appId: key.appId }),
      reason: `${GUARD_REPORT_CHANNEL}: +${suppressed} more ${key.kind} reports in ${REPORT_WINDOW_MS / 1000} s`,
    });

  const take = ({ key, rules }: Reporter, payload: unknown) => {
    const appId = rules?.appId;
    const parsed = rules === null ? null : guardReportSchema.safeParse(payload);
    const kind: Kind = rules === null ? 'not-hosted' : parsed?.success === true ? parsed.data.block : 'invalid';
    if (!budget.take({ sender: key, kind, appId }, now(), summarise)) return;
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
  };
  return {
    listen: (ipc, reporterOf) => ipc.on(GUARD_REPORT_CHANNEL, (event, payload) => take(reporterOf(event), payload)),
    flush: () => budget.expire(now(), summarise),
  };
}
