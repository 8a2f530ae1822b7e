// Hides the hosted apps while a capture or remote-control tool the policy names is
// running, and says which. Fails closed: until the first check, and whenever the process
// list cannot be read, the apps stay hidden.
import type { AuditSink } from '../../common/audit/auditSink';
import { runningBlockedProcesses } from '../../common/capture/blockedProcesses';
import type { AppsHiddenReason } from '../../common/capture/captureProtection';
import type { ProcessLister } from './processLister';

export const PROCESS_CHECK_MS = 3_000;

export interface ProcessWatchOptions {
  /** The policy's `screenCapture.blockedProcesses`. */
  blocked: readonly string[];
  lister: ProcessLister;
  audit: AuditSink;
  /** Detaches every hosted view. */
  hideAll: () => void;
}

const CHECKING: AppsHiddenReason = { code: 'capture-check-pending', message: 'Checking this computer for screen-recording tools…' };
const CHECK_FAILED: AppsHiddenReason = {
  code: 'capture-check-failed',
  message: 'Practice apps are hidden: Cordon could not check this computer for screen-recording tools. Try closing and opening Cordon; if this keeps happening, tell IT.',
};

function toolsRunning(names: string[]): string {
  const one = names.length === 1;
  return `Practice apps are hidden while ${names.join(', ')} ${one ? 'is' : 'are'} running. Close ${one ? 'it' : 'them'} to continue.`;
}

export class BlockedProcessWatch {
  private reason: AppsHiddenReason | null = CHECKING;
  /** What this episode has already audited, so a running tool is recorded once, not every check. */
  private audited = new Set<string>();
  private checking = false;

  constructor(private readonly options: ProcessWatchOptions) {}

  /** Why the apps must stay hidden now, or null. */
  get appsHidden(): AppsHiddenReason | null {
    return this.reason;
  }

  /** One look at the process list; call every PROCESS_CHECK_MS (overlapping calls are skipped). */
  async check(): Promise<void> {
    if (this.checking) return;
    this.checking = true;
    try {
      const { lister, blocked } = this.options;
      const running = await lister.list().then(
        (names) => runningBlockedProcesses(names, blocked, lister.truncatedTo),
        () => null,
      );
      if (running === null) this.hide(['process-check-failed'], CHECK_FAILED);
      else if (running.length > 0) this.hide(running.map((name) => `process:${name}`), { code: 'capture-tool-running', message: toolsRunning(running) });
      else {
        this.reason = null;
        this.audited.clear();
      }
    } finally {
      this.checking = false;
    }
  }

  private hide(auditReasons: string[], reason: AppsHiddenReason): void {
    this.reason = reason;
    this.options.hideAll();
    for (const auditReason of auditReasons.filter((r) => !this.audited.has(r))) {
      this.audited.add(auditReason);
      this.options.audit.record({ type: 'capture.blocked', outcome: 'blocked', reason: auditReason });
    }
  }
}
