// The web preferences every Cordon window starts from (Electron security checklist):
// sandboxed, context-isolated, no Node anywhere, no <webview>, no devtools in production.
// Windows differ only in what they add on top (the shell's preload, a session partition).
import type { WebPreferences } from 'electron';

export function lockedDownWebPreferences({ allowDevTools }: { allowDevTools: boolean }): WebPreferences {
  return {
    sandbox: true,
    contextIsolation: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    spellcheck: false,
    safeDialogs: true,
    devTools: allowDevTools,
  };
}
