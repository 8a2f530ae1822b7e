// The hosted guard's line to the workspace clipboard. Only a registered hosted app whose
// policy mode is `workspace` may write or read it; anything else is refused and audited.
// Text is never logged or audited, only that a write or read was refused.
import { z } from 'zod';
import { WORKSPACE_CLIPBOARD_MAX_CHARS, WORKSPACE_CLIPBOARD_READ_CHANNEL, WORKSPACE_CLIPBOARD_WRITE_CHANNEL } from '../../common/hosting/guardProtocol';
import type { HostedAppRules } from '../../common/hosting/hostedAppRules';
import type { AuditSink } from '../../common/audit/auditSink';
import type { WorkspaceClipboard } from '../clipboard/workspaceClipboard';

const textSchema = z.string().max(WORKSPACE_CLIPBOARD_MAX_CHARS);

/** Who sent it: the webContents, and the frame (sub-frames have the guard's IPC too). */
type Sender = { sender: { id: number }; senderFrame?: { origin: string } | null };

/** The parts of ipcMain this needs. */
export interface WorkspaceClipboardIpc {
  on(channel: string, listener: (event: Sender, payload: unknown) => void): void;
  handle(channel: string, listener: (event: Sender) => unknown): void;
}

export function registerWorkspaceClipboard(
  ipc: WorkspaceClipboardIpc,
  appFor: (webContentsId: number) => HostedAppRules | null,
  clipboard: WorkspaceClipboard,
  audit: AuditSink,
  onCopied: () => void = () => undefined,
): void {
  const permitted = (event: Sender, channel: string): HostedAppRules | null => {
    const rules = appFor(event.sender.id);
    // The frame must be one of the app's own origins: an embedded third-party (or data:)
    // frame of an approved app may not read what the VA copied elsewhere.
    const frameOrigin = event.senderFrame?.origin;
    if (rules?.clipboard === 'workspace' && frameOrigin !== undefined && rules.navigationOrigins.includes(frameOrigin)) return rules;
    audit.record({ type: 'ipc.refused', outcome: 'blocked', ...(rules === null ? {} : { appId: rules.appId }), reason: `${channel}: not a frame of a hosted app in workspace clipboard mode` });
    return null;
  };
  ipc.on(WORKSPACE_CLIPBOARD_WRITE_CHANNEL, (event, payload) => {
    const rules = permitted(event, WORKSPACE_CLIPBOARD_WRITE_CHANNEL);
    if (rules === null) return;
    const text = textSchema.safeParse(payload);
    if (text.success) {
      clipboard.write(text.data);
      onCopied();
    } else audit.record({ type: 'clipboard.blocked', outcome: 'blocked', appId: rules.appId, reason: 'copy-too-large-or-invalid' });
  });
  ipc.handle(WORKSPACE_CLIPBOARD_READ_CHANNEL, (event) => (permitted(event, WORKSPACE_CLIPBOARD_READ_CHANNEL) === null ? null : clipboard.read()));
}
