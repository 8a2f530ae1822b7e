// The watermark's text (name, email, practice, session code) goes to hosted pages over
// IPC, never in webPreferences.additionalArguments, where `ps` shows it to any local user.
// The guard of a hosted top frame asks synchronously (so no page is shown unmarked);
// main answers only a registered hosted webContents' top frame, from its own record of
// who is signed in. Anything else gets null (the guard then draws the unidentified mark)
// and an audit event.
import { GUARD_WATERMARK_CHANNEL, type GuardWatermark } from '../../common/hosting/guardProtocol';
import type { HostedAppRules } from '../../common/hosting/hostedAppRules';
import type { AuditSink } from '../../common/audit/auditSink';

/** The parts of Electron's IpcMainEvent a synchronous answer needs. */
export interface WatermarkRequestEvent {
  sender: { id: number };
  /** Null once the frame navigated away or was destroyed (Electron's documented behaviour). */
  senderFrame: { parent: unknown } | null;
  returnValue: unknown;
}

/** The parts of ipcMain this needs. */
export interface GuardWatermarkIpc {
  on(channel: string, listener: (event: WatermarkRequestEvent) => void): void;
}

export function registerGuardWatermark(ipc: GuardWatermarkIpc, appFor: (webContentsId: number) => HostedAppRules | null, watermark: () => GuardWatermark | null, audit: AuditSink): void {
  ipc.on(GUARD_WATERMARK_CHANNEL, (event) => {
    const rules = appFor(event.sender.id);
    const refuse = (why: string) => {
      audit.record({ type: 'ipc.refused', outcome: 'blocked', ...(rules === null ? {} : { appId: rules.appId }), reason: `${GUARD_WATERMARK_CHANNEL}: ${why}` });
      // Always answered: a synchronous message left without a return value stalls its renderer.
      event.returnValue = null;
    };
    if (rules === null) return refuse('sender is not a hosted app');
    // Only the top frame draws the mark; a sub-frame (an ad's, another origin's) has no need to know who is looking.
    if (event.senderFrame === null || event.senderFrame.parent !== null) return refuse('sender is not a top frame');
    event.returnValue = watermark();
  });
}
