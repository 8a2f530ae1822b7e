// The guard of a hosted app's service workers. A service worker has no window, no VA and
// no view, yet outlives the page; in Electron 45 its WebSockets skip the session's
// request filter (electron#47857) and WebTransport is never filtered. So in a service
// worker both are refused outright, before the worker's own script runs, whatever host
// they aim at: a live connection belongs in the page, where the filter sees it. The
// network allowlist (PAC) stays below this as the layer that holds unapproved hosts.
// Electron runs this in the worker's main world with contextBridge.executeInMainWorld,
// which serializes the function: it must not use anything from outside its own body.

export type ServiceWorkerReport = (report: { block: 'service-worker'; origin?: string; reason: string }) => void;

/** Returns true once both constructors are locked, so the preload can tell an install that never finished. */
export function serviceWorkerGuard(report: ServiceWorkerReport): boolean {
  const scope = globalThis as unknown as Record<string, unknown>;
  const refuse = (name: string, reason: string) => {
    // Non-configurable, not writable: the worker's script cannot put the original back.
    Object.defineProperty(scope, name, {
      configurable: false,
      enumerable: false,
      writable: false,
      value: function refused(url: unknown) {
        let origin = 'invalid-url';
        try {
          origin = new URL(String(url)).origin;
        } catch {
          // Reported as unparsable; refused all the same.
        }
        report({ block: 'service-worker', origin, reason });
        throw new DOMException(`${name} is not available to service workers in Cordon`, 'NotAllowedError');
      },
    });
  };
  refuse('WebSocket', 'websocket');
  refuse('WebTransport', 'webtransport');
  return Object.getOwnPropertyDescriptor(scope, 'WebSocket')?.configurable === false && Object.getOwnPropertyDescriptor(scope, 'WebTransport')?.configurable === false;
}
