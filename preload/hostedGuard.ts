// The preload of every hosted app's frames (sandboxed, context-isolated). It installs
// the guard: listeners in this isolated world, and the print, service-worker and
// Clipboard API blocks in the page's main world. Its lines to main are the watermark, the
// report channel and the workspace clipboard; main checks the sender and validates every
// message.
import { contextBridge, ipcRenderer } from 'electron';
import {
  decodeGuardArgument,
  GUARD_REPORT_CHANNEL,
  GUARD_WATERMARK_CHANNEL,
  UNIDENTIFIED_WATERMARK,
  watermarkFromMain,
  WORKSPACE_CLIPBOARD_READ_CHANNEL,
  WORKSPACE_CLIPBOARD_WRITE_CHANNEL,
  type GuardConfig,
  type GuardReport,
} from '../common/hosting/guardProtocol';
import { installIsolatedGuard } from './guard/isolatedGuard';
import { mainWorldConfig, mainWorldGuard } from './guard/mainWorldGuard';

/** The sandboxed renderer's `process` has argv (webPreferences.additionalArguments land there). */
declare const process: { argv: string[] };

// Only the top frame draws the watermark. Its text names who is signed in, so it comes from
// main over IPC, never through the process arguments; asked synchronously so the page is
// never shown unmarked.
const isTopFrame = window.top === window;
const config: GuardConfig = { ...decodeGuardArgument(process.argv), watermark: isTopFrame ? watermarkFromMain(ipcRenderer.sendSync(GUARD_WATERMARK_CHANNEL)) : UNIDENTIFIED_WATERMARK };
const report = (r: GuardReport) => ipcRenderer.send(GUARD_REPORT_CHANNEL, r);
const toWorkspaceClipboard = (text: string) => ipcRenderer.send(WORKSPACE_CLIPBOARD_WRITE_CHANNEL, text);

installIsolatedGuard(config, window, {
  report,
  workspaceClipboard: { write: toWorkspaceClipboard, read: () => ipcRenderer.invoke(WORKSPACE_CLIPBOARD_READ_CHANNEL) as Promise<string | null> },
});
const installed: unknown = contextBridge.executeInMainWorld({
  func: mainWorldGuard,
  args: [mainWorldConfig(config), report, toWorkspaceClipboard],
});
// Fail loudly: an uncaught preload error reaches main's 'preload-error' handler (audited as preload.failed).
if (installed !== true) throw new Error('the main-world guard did not install');
