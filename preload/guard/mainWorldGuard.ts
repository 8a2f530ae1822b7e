// The part of the hosted-page guard that must live in the page's own (main) world,
// because that is where the page calls these functions: window.print, service-worker
// registration and the async Clipboard API (which fires no copy event). Electron runs it there with contextBridge.executeInMainWorld, which
// serializes the function: it must not use anything from outside its own body. It
// replaces the functions with non-configurable properties, so the page cannot put the
// originals back, and it runs in every frame (about:blank ones included), so a fresh
// iframe does not hand the page a pristine copy.

export interface MainWorldGuardConfig {
  printing: 'allow' | 'deny';
  uploads: 'allow' | 'deny';
  navigationOrigins: readonly string[];
  clipboard: 'blocked' | 'workspace' | 'inbound-only';
}

export type MainWorldReport = (report: { block: 'print' | 'service-worker' | 'clipboard' | 'upload'; origin?: string; reason: string }) => void;

export function mainWorldGuard(config: MainWorldGuardConfig, report: MainWorldReport, toWorkspaceClipboard: (text: string) => void): void {
  const lock = (target: object, name: string, value: unknown) => {
    Object.defineProperty(target, name, { value, writable: false, configurable: false, enumerable: true });
  };

  if (config.printing === 'deny') {
    lock(window, 'print', function print() {
      report({ block: 'print', reason: 'window-print' });
    });
  }

  if (config.uploads === 'deny' && 'showOpenFilePicker' in window) {
    lock(window, 'showOpenFilePicker', function showOpenFilePicker() {
      report({ block: 'upload', reason: 'file-picker' });
      return Promise.reject(new DOMException('File picker blocked by Cordon', 'AbortError'));
    });
  }

  const container = typeof ServiceWorkerContainer === 'undefined' ? null : ServiceWorkerContainer.prototype;
  if (container !== null) {
    const register = container.register;
    lock(container, 'register', function (this: ServiceWorkerContainer, scriptUrl: string | URL, options?: RegistrationOptions) {
      let origin = 'invalid-url';
      try {
        origin = new URL(String(scriptUrl), location.href).origin;
      } catch {
        // An unparsable URL is refused below like any unapproved one.
      }
      if (!config.navigationOrigins.includes(origin)) {
        report({ block: 'service-worker', origin, reason: 'origin-not-approved' });
        return Promise.reject(new DOMException('Service worker blocked by Cordon', 'SecurityError'));
      }
      return register.call(this, scriptUrl, options);
    });
  }

  // The async Clipboard API: writes go to the workspace clipboard in workspace mode and
  // nowhere otherwise; reads never reach the OS clipboard (the session denies them too).
  const clipboard = typeof Clipboard === 'undefined' ? null : Clipboard.prototype;
  if (clipboard !== null) {
    const refuse = (reason: string) => {
      report({ block: 'clipboard', reason });
      return Promise.reject(new DOMException('Clipboard blocked by Cordon', 'NotAllowedError'));
    };
    lock(clipboard, 'writeText', function writeText(text: string) {
      if (config.clipboard !== 'workspace') return refuse('clipboard-api-write');
      toWorkspaceClipboard(String(text));
      return Promise.resolve();
    });
    lock(clipboard, 'write', function write() {
      return refuse('clipboard-api-write');
    });
    lock(clipboard, 'readText', function readText() {
      return refuse('clipboard-api-read');
    });
    lock(clipboard, 'read', function read() {
      return refuse('clipboard-api-read');
    });
  }
}
