// The Chromium host's entry for the isolated-world guard: the same installIsolatedGuard
// the Electron preload runs, with its configuration and report channel supplied by the
// host (a CDP binding that exists only in this isolated world) instead of Electron's.
import type { GuardConfig, GuardReport } from '../../common/hosting/guardProtocol';
import { installIsolatedGuard } from '../../preload/guard/isolatedGuard';

declare const cordonGuardConfig: GuardConfig;
declare function cordonGuardReport(payload: string): void;
declare function cordonClipboardWrite(text: string): void;
declare function cordonClipboardRead(requestId: string): void;
declare function cordonGuardInstallFailed(message: string): void;

/** Answers to clipboard reads arrive from the host by Runtime.evaluate in this world. */
const pendingReads = new Map<string, (text: string | null) => void>();
let nextRead = 0;
Object.defineProperty(globalThis, 'cordonClipboardAnswer', {
  value: (id: string, text: string | null) => {
    pendingReads.get(id)?.(text);
    pendingReads.delete(id);
  },
});

// A throw here is reported to the host, which fails its run instead of measuring a page without its guard.
try {
  installIsolatedGuard(cordonGuardConfig, window, {
    report: (report: GuardReport) => cordonGuardReport(JSON.stringify(report)),
    workspaceClipboard: {
      write: cordonClipboardWrite,
      read: () =>
        new Promise((resolve) => {
          nextRead += 1;
          pendingReads.set(String(nextRead), resolve);
          cordonClipboardRead(String(nextRead));
        }),
    },
  });
} catch (error) {
  cordonGuardInstallFailed(`isolated world: ${error instanceof Error ? error.message : String(error)}`);
}
