// A hosted session's service workers: the guard preload (preload/serviceWorkerGuard.ts)
// registered before any worker of the session starts (Electron gives a worker process
// the preload only if one was registered before it started), and each worker's reports
// taken as it starts. A worker has no webContents: main names it by its session and
// version, never by anything the worker says.
import type { ServiceWorkerMain, ServiceWorkers, Session } from 'electron';

export const SERVICE_WORKER_GUARD_ID = 'cordon-service-worker-guard';

/** The parts of an Electron Session this needs. */
export type ServiceWorkerSession = Pick<Session, 'registerPreloadScript'> & {
  serviceWorkers: Pick<ServiceWorkers, 'on' | 'getWorkerFromVersionID'>;
};

/** A started worker, for whoever takes its reports. */
export type GuardedWorker = Pick<ServiceWorkerMain, 'ipc' | 'versionId'>;

export interface ServiceWorkerGuard {
  /** out/preload/serviceWorkerGuard.cjs (absolute, as Electron requires). */
  preloadPath: string;
  /** Called once per worker version, as it first starts. */
  onWorker: (worker: GuardedWorker) => void;
}

export function guardServiceWorkers(session: ServiceWorkerSession, { preloadPath, onWorker }: ServiceWorkerGuard): void {
  session.registerPreloadScript({ type: 'service-worker', id: SERVICE_WORKER_GUARD_ID, filePath: preloadPath });
  // A restarted worker keeps its ServiceWorkerMain and the listeners on its ipc.
  const known = new Set<number>();
  session.serviceWorkers.on('running-status-changed', ({ versionId, runningStatus }) => {
    if (runningStatus !== 'starting' || known.has(versionId)) return;
    const worker = session.serviceWorkers.getWorkerFromVersionID(versionId);
    if (worker === undefined) return;
    known.add(versionId);
    onWorker(worker);
  });
}
