// The part of the hosted-page guard that must live in the page's own (main) world,
// because that is where the page calls these functions: window.print, service-worker
// registration and the async Clipboard API (which fires no copy event). Electron runs it there with contextBridge.executeInMainWorld, which
// serializes the function: it must not use anything from outside its own body. It
// replaces the functions with non-configurable properties, so the page cannot put the
// originals back. Electron runs no preload in about:blank child frames (electron#31313),
// so the guard also puts its blocks on a same-origin child window the moment the page
// reaches for it through contentWindow or contentDocument; a fresh iframe does not hand
// the page a pristine print() that way.
// Ways out that the request filter does not see are closed here too, in depth below the
// session's network allowlist: without call permissions, RTCPeerConnection, WebTransport
// and SharedWorker are refused; with them, WebRTC may use only TURN relays on the app's
// own hosts (no STUN, no host or reflexive candidates that leak addresses or data), and
// WebTransport and SharedWorker are left to the network allowlist.

export interface MainWorldGuardConfig {
  printing: 'allow' | 'deny';
  uploads: 'allow' | 'deny';
  downloads: 'allow' | 'deny';
  navigationOrigins: readonly string[];
  clipboard: 'blocked' | 'workspace' | 'inbound-only';
  /** 'allow' when the app may use the microphone or camera (calls). */
  calls: 'allow' | 'deny';
  /** Hosts whose TURN servers a call may relay through (the app's own request hosts). */
  iceHosts: readonly string[];
}

/** The part of the guard's configuration the main world needs (never the watermark). */
export function mainWorldConfig({ printing, uploads, downloads, navigationOrigins, clipboard, calls, iceHosts }: MainWorldGuardConfig): MainWorldGuardConfig {
  return { printing, uploads, downloads, navigationOrigins, clipboard, calls, iceHosts };
}

export type MainWorldReport = (report: { block: 'print' | 'service-worker' | 'clipboard' | 'upload'; origin?: string; reason: string }) => void;

/** Returns true once every block is in place, so the preload can tell an install that never finished. */
export function mainWorldGuard(config: MainWorldGuardConfig, report: MainWorldReport, toWorkspaceClipboard: (text: string) => void): boolean {
  type GuardedWindow = Window & typeof globalThis;
  const guarded = new WeakSet<object>();
  /**
   * Defines a property for good. One already fixed (by this frame's own preload, when the
   * page reaches a same-origin frame that has one) keeps its definition: redefining it would
   * throw inside the page's own call.
   */
  const fix = (target: object, name: string, descriptor: PropertyDescriptor) => {
    if (Object.getOwnPropertyDescriptor(target, name)?.configurable === false) return;
    Object.defineProperty(target, name, { ...descriptor, configurable: false, enumerable: true });
  };
  const lock = (target: object, name: string, value: unknown) => fix(target, name, { value, writable: false });

  /** Puts the blocks on one window: this page's, or a same-origin child frame's. */
  const guardWindow = (w: GuardedWindow) => {
    if (guarded.has(w)) return;
    guarded.add(w);

    if (config.printing === 'deny') {
      lock(w, 'print', function print() {
        report({ block: 'print', reason: 'window-print' });
      });
    }

    // The File System Access pickers: open and directory read files into the page, save
    // (and a writable directory) put the page's data on disk without a download.
    const refusePicker = (name: string, reason: string) => {
      if (!(name in w)) return;
      lock(w, name, function picker() {
        report({ block: 'upload', reason });
        return Promise.reject(new w.DOMException('File picker blocked by Cordon', 'AbortError'));
      });
    };
    if (config.uploads === 'deny') refusePicker('showOpenFilePicker', 'file-picker');
    if (config.uploads === 'deny' || config.downloads === 'deny') refusePicker('showDirectoryPicker', 'directory-picker');
    if (config.uploads === 'deny' || config.downloads === 'deny') refusePicker('showSaveFilePicker', 'save-file-picker');

    // Peer-to-peer and QUIC transports, and a worker shared across the app's pages, whose
    // traffic the session's request filter does not see (see the header).
    const refuseConstructor = (name: string, reason: string) => {
      if (!(name in w)) return;
      lock(w, name, function refused() {
        report({ block: 'service-worker', reason });
        throw new w.DOMException(`${name} blocked by Cordon`, 'NotAllowedError');
      });
    };
    const Peer = (w as unknown as { RTCPeerConnection?: typeof RTCPeerConnection }).RTCPeerConnection;
    if (config.calls === 'deny') {
      refuseConstructor('RTCPeerConnection', 'webrtc-not-permitted');
      refuseConstructor('webkitRTCPeerConnection', 'webrtc-not-permitted');
      refuseConstructor('WebTransport', 'webtransport-not-permitted');
      refuseConstructor('SharedWorker', 'shared-worker-not-permitted');
    } else if (Peer !== undefined) {
      /** TURN servers on approved hosts only, relay candidates only. */
      const relayOnly = (configuration?: RTCConfiguration): RTCConfiguration => {
        const approvedUrl = (url: string) => {
          const match = /^turns?:(\[[^\]]+\]|[^:?]+)/i.exec(url);
          return match?.[1] !== undefined && config.iceHosts.includes(match[1].toLowerCase());
        };
        const iceServers = (configuration?.iceServers ?? [])
          .map((server) => ({ ...server, urls: (Array.isArray(server.urls) ? server.urls : [server.urls]).filter(approvedUrl) }))
          .filter((server) => server.urls.length > 0);
        if (iceServers.length < (configuration?.iceServers?.length ?? 0)) report({ block: 'service-worker', reason: 'ice-server-not-approved' });
        return { ...configuration, iceServers, iceTransportPolicy: 'relay' };
      };
      const setConfiguration = Object.getOwnPropertyDescriptor(Peer.prototype, 'setConfiguration')?.value as ((this: RTCPeerConnection, c: RTCConfiguration) => void) | undefined;
      if (setConfiguration !== undefined) {
        lock(Peer.prototype, 'setConfiguration', function (this: RTCPeerConnection, configuration: RTCConfiguration) {
          setConfiguration.call(this, relayOnly(configuration));
        });
      }
      const Guarded = function RTCPeerConnection(configuration?: RTCConfiguration) {
        return new Peer(relayOnly(configuration));
      };
      Guarded.prototype = Peer.prototype;
      lock(w, 'RTCPeerConnection', Guarded);
      if ('webkitRTCPeerConnection' in w) lock(w, 'webkitRTCPeerConnection', Guarded);
    }

    const container = typeof w.ServiceWorkerContainer === 'undefined' ? null : w.ServiceWorkerContainer.prototype;
    if (container !== null) {
      const register = container.register;
      lock(container, 'register', function (this: ServiceWorkerContainer, scriptUrl: string | URL, options?: RegistrationOptions) {
        let origin = 'invalid-url';
        try {
          origin = new URL(String(scriptUrl), w.location.href).origin;
        } catch {
          // An unparsable URL is refused below like any unapproved one.
        }
        if (!config.navigationOrigins.includes(origin)) {
          report({ block: 'service-worker', origin, reason: 'origin-not-approved' });
          return Promise.reject(new w.DOMException('Service worker blocked by Cordon', 'SecurityError'));
        }
        return register.call(this, scriptUrl, options);
      });
    }

    // The async Clipboard API: writes go to the workspace clipboard in workspace mode and
    // nowhere otherwise; reads never reach the OS clipboard (the session denies them too).
    const clipboard = typeof w.Clipboard === 'undefined' ? null : w.Clipboard.prototype;
    if (clipboard !== null) {
      const refuse = (reason: string) => {
        report({ block: 'clipboard', reason });
        return Promise.reject(new w.DOMException('Clipboard blocked by Cordon', 'NotAllowedError'));
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

    // Same-origin child frames (about:blank ones especially, where Electron runs no
    // preload) are guarded the moment the page reaches into them.
    for (const frameClass of [w.HTMLIFrameElement, w.HTMLFrameElement]) {
      if (frameClass === undefined) continue;
      const windowOf = Object.getOwnPropertyDescriptor(frameClass.prototype, 'contentWindow')?.get;
      if (windowOf === undefined) continue;
      for (const name of ['contentWindow', 'contentDocument'] as const) {
        const getter = Object.getOwnPropertyDescriptor(frameClass.prototype, name)?.get;
        if (getter === undefined) continue;
        fix(frameClass.prototype, name, {
          get(this: HTMLIFrameElement) {
            guardChild(windowOf.call(this) as Window | null);
            return getter.call(this) as unknown;
          },
        });
      }
    }
  };

  const guardChild = (child: Window | null) => {
    if (child === null) return;
    try {
      // Throws for a cross-origin frame: that one is its own renderer's, with its own preload.
      void child.document;
    } catch {
      return;
    }
    guardWindow(child as GuardedWindow);
  };

  guardWindow(window);
  return true;
}
