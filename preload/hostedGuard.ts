// The preload of every hosted app's frames (sandboxed, context-isolated). It installs
// the guard: listeners in this isolated world, and the print and service-worker blocks
// in the page's main world. Its only line to main is one fire-and-forget report channel;
// main checks the sender and validates every report.
import { contextBridge, ipcRenderer } from 'electron';
import { decodeGuardArgument, GUARD_REPORT_CHANNEL, type GuardReport } from '../common/hosting/guardProtocol';
import { installIsolatedGuard } from './guard/isolatedGuard';
import { mainWorldGuard } from './guard/mainWorldGuard';

/** The sandboxed renderer's `process` has argv (webPreferences.additionalArguments land there). */
declare const process: { argv: string[] };

const config = decodeGuardArgument(process.argv);
const report = (r: GuardReport) => ipcRenderer.send(GUARD_REPORT_CHANNEL, r);

installIsolatedGuard(config, window, report);
contextBridge.executeInMainWorld({ func: mainWorldGuard, args: [{ printing: config.printing, navigationOrigins: config.navigationOrigins }, report] });
