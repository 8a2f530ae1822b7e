// The Chromium host's entry for the isolated-world guard: the same installIsolatedGuard
// the Electron preload runs, with its configuration and report channel supplied by the
// host (a CDP binding that exists only in this isolated world) instead of Electron's.
import type { GuardConfig, GuardReport } from '../../common/hosting/guardProtocol';
import { installIsolatedGuard } from '../../preload/guard/isolatedGuard';

declare const cordonGuardConfig: GuardConfig;
declare function cordonGuardReport(payload: string): void;

installIsolatedGuard(cordonGuardConfig, window, (report: GuardReport) => cordonGuardReport(JSON.stringify(report)));
