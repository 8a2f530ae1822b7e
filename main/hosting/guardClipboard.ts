// The hosted guard's line to the workspace clipboard. Only a registered hosted app whose
// policy mode is `workspace` may write or read it; anything else is refused and audited.
// Text is never logged or audited, only that a write or read was refused. A write also
// needs a recent user gesture in the sender (main's own record of input, when given) and
// fits a per-sender rate limit, so a page cannot overwrite what the VA copied (up to
// 1 MB) on its own, by script, or in a loop.
import { z } from 'zod';
import { WORKSPACE_CLIPBOARD_MAX_CHARS, WORKSPACE_CLIPBOARD_READ_CHANNEL, WORKSPACE_CLIPBOARD_WRITE_CHANNEL } from '../../common/hosting/guardProtocol';
import type { HostedAppRules } from '../../common/hosting/hostedAppRules';
import type { AuditSink } from '../../common/audit/auditSink';
import type { WorkspaceClipboard } from '../clipboard/workspaceClipboard';
import { WindowBudget } from '../throttle/windowBudget';

/** Writes per sender per window: far more than anyone copies by hand. */
export const CLIPBOARD_WRITES_PER_WINDOW = 10;
export const CLIPBOARD_WRITE_WINDOW_MS = 10_000;

export interface WorkspaceClipboardOptions {
  /** Whether the sender had a key press or click just now (main/clipboard/userGestures.ts). */
  hadGesture?: (webContentsId: number) => boolean;
  now?: () => number;
}

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
  { hadGesture, now = Date.now }: WorkspaceClipboardOptions = {},
): void {
  const writes = new WindowBudget<number>(CLIPBOARD_WRITES_PER_WINDOW, CLIPBOARD_WRITE_WINDOW_MS, String);
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
    if (hadGesture !== undefined && !hadGesture(event.sender.id)) {
      audit.record({ type: 'clipboard.blocked', outcome: 'blocked', appId: rules.appId, reason: 'copy-without-user-gesture' });
      return;
    }
    if (!writes.take(event.sender.id, now(), () => undefined)) {
      audit.record({ type: 'clipboard.blocked', outcome: 'blocked', appId: rules.appId, reason: 'copy-rate-limited' });
      return;
    }
    const text = textSchema.safeParse(payload);
    if (text.success) {
      clipboard.write(text.data);
      onCopied();
    } else audit.record({ type: 'clipboard.blocked', outcome: 'blocked', appId: rules.appId, reason: 'copy-too-large-or-invalid' });
  });
  ipc.handle(WORKSPACE_CLIPBOARD_READ_CHANNEL, (event) => (permitted(event, WORKSPACE_CLIPBOARD_READ_CHANNEL) === null ? null : clipboard.read()));
}
