// The Chromium host's entry for the service-worker guard, bundled by esbuild and put in
// front of each service-worker script by the host's request interception, so it runs
// before the worker's first line, as Electron runs preload/serviceWorkerGuard.ts. The
// host wraps this bundle in a scope that declares `cordonServiceWorker`: where to report,
// a secret URL the host answers itself. The worker's script cannot reach that URL or this
// fetch (both are held in this closure), so it cannot forge reports. Any throw fails the
// host's run: a guard that did not install must never look like one that blocked.
import { serviceWorkerGuard } from '../../preload/guard/serviceWorkerGuard';

declare const cordonServiceWorker: { reportUrl: string };

const send = globalThis.fetch.bind(globalThis);
const { reportUrl } = cordonServiceWorker;
const post = (name: 'report' | 'failed', value: string) => void send(`${reportUrl}?${name}=${encodeURIComponent(value)}`, { mode: 'no-cors' }).catch(() => undefined);
try {
  if (serviceWorkerGuard((r) => post('report', JSON.stringify(r))) !== true) throw new Error('the service-worker guard did not finish');
} catch (error) {
  post('failed', `service worker: ${error instanceof Error ? error.message : String(error)}`);
}
