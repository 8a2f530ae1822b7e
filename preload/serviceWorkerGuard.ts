// The preload of every hosted session's service workers (session.registerPreloadScript,
// type 'service-worker'). It runs in the worker's preload realm before the worker's own
// script and locks WebSocket and WebTransport in the worker's main world. Its only line to
// main is the report channel; main knows the worker by its session and version, never
// by anything the worker says.
import { contextBridge, ipcRenderer } from 'electron';
import { GUARD_REPORT_CHANNEL } from '../common/hosting/guardProtocol';
import { serviceWorkerGuard, type ServiceWorkerReport } from './guard/serviceWorkerGuard';

const report: ServiceWorkerReport = (r) => ipcRenderer.send(GUARD_REPORT_CHANNEL, r);
const installed: unknown = contextBridge.executeInMainWorld({ func: serviceWorkerGuard, args: [report] });
if (installed !== true) throw new Error('the service-worker guard did not install');
