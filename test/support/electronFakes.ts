// Test doubles for Electron objects (the Electron binary cannot run on this machine).
// They record what main installs so tests can drive the installed handlers directly.
import { EventEmitter } from 'node:events';
import type { AuditEventInput, AuditSink } from '../../common/audit/auditSink';
import type { Policy } from '../../common/policy/policySchema';
import { WorkspaceClipboard } from '../../main/clipboard/workspaceClipboard';
import { createGuardReports } from '../../main/hosting/guardReports';
import type { HostedAppsOptions } from '../../main/hosting/hostedApps';
import { NavigationRules } from '../../main/shell/navigationRules';

export class RecordingAuditSink implements AuditSink {
  readonly events: AuditEventInput[] = [];
  record(event: AuditEventInput): void {
    this.events.push(event);
  }
}

/** Fake of ipcMain: keeps the handler registered per channel. */
export class FakeIpcMain {
  readonly handlers = new Map<string, (event: unknown, ...args: unknown[]) => unknown>();
  handle(channel: string, listener: (event: never, ...args: unknown[]) => unknown): void {
    if (this.handlers.has(channel)) throw new Error(`second handler for ${channel}`);
    this.handlers.set(channel, listener as (event: unknown, ...args: unknown[]) => unknown);
  }
  /** One-way channels (ipcMain.on), e.g. the hosted guard's reports. */
  readonly listeners = new Map<string, (event: { sender: { id: number } }, payload: unknown) => void>();
  on(channel: string, listener: (event: { sender: { id: number } }, payload: unknown) => void): void {
    if (this.listeners.has(channel)) throw new Error(`second listener for ${channel}`);
    this.listeners.set(channel, listener);
  }
  async invoke(channel: string, event: unknown, ...args: unknown[]): Promise<unknown> {
    const handler = this.handlers.get(channel);
    if (handler === undefined) throw new Error(`no handler for ${channel}`);
    return handler(event, ...args);
  }
}

export interface FakeFrame {
  url: string;
  parent: FakeFrame | null;
  isDestroyed(): boolean;
}

export function fakeFrame(url: string, parent: FakeFrame | null = null, destroyed = false): FakeFrame {
  return { url, parent, isDestroyed: () => destroyed };
}

export function fakeInvokeEvent(senderId: number, frame: FakeFrame | null) {
  return { sender: { id: senderId }, senderFrame: frame } as never;
}

/** A cancelable Electron-style event. */
export function fakeEvent<T extends object>(fields: T): T & { defaultPrevented: boolean; preventDefault(): void } {
  const event = {
    ...fields,
    defaultPrevented: false,
    preventDefault() {
      event.defaultPrevented = true;
    },
  };
  return event;
}

/** Fake of WebContents: an EventEmitter that also records the window-open handler. */
let nextWebContentsId = 100;

export class FakeWebContents extends EventEmitter {
  readonly id = nextWebContentsId++;
  windowOpenHandler: ((details: { url: string }) => { action: string; overrideBrowserWindowOptions?: unknown }) | null = null;
  devToolsClosed = 0;
  loaded: string | null = null;
  destroyed = false;
  audible = false;
  isCurrentlyAudible(): boolean {
    return this.audible;
  }
  loadURL(url: string): Promise<void> {
    this.loaded = url;
    return Promise.resolve();
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  close(): void {
    this.destroyed = true;
    this.emit('destroyed');
  }
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string; overrideBrowserWindowOptions?: unknown }): void {
    this.windowOpenHandler = handler;
  }
  closeDevTools(): void {
    this.devToolsClosed += 1;
  }
  webRTCIPHandlingPolicy = 'default';
  setWebRTCIPHandlingPolicy(policy: string): void {
    this.webRTCIPHandlingPolicy = policy;
  }
}

type Handler = (...args: never[]) => unknown;

/** Fake of Session: records every handler main installs. */
export class FakeSession extends EventEmitter {
  permissionRequestHandler: Handler | null = null;
  permissionCheckHandler: Handler | null = null;
  devicePermissionHandler: Handler | null = null;
  displayMediaRequestHandler: Handler | null = null;
  beforeRequest: Handler | null = null;
  headersReceived: Handler | null = null;
  spellCheckerEnabled = true;
  readonly webRequest = {
    onBeforeRequest: (listener: Handler) => {
      this.beforeRequest = listener;
    },
    onHeadersReceived: (listener: Handler) => {
      this.headersReceived = listener;
    },
  };
  /** The proxy configurations main set, in order. */
  readonly proxies: unknown[] = [];
  setProxy(config: unknown): Promise<void> {
    this.proxies.push(config);
    return Promise.resolve();
  }
  /** How often sign-out wiped this session (storage, cache and auth cache each count once). */
  wipes = 0;
  clearStorageData(): Promise<void> {
    this.wipes += 1;
    return Promise.resolve();
  }
  clearCache(): Promise<void> {
    this.wipes += 1;
    return Promise.resolve();
  }
  clearAuthCache(): Promise<void> {
    this.wipes += 1;
    return Promise.resolve();
  }
  setSpellCheckerEnabled(enabled: boolean) {
    this.spellCheckerEnabled = enabled;
  }
  setPermissionRequestHandler(handler: Handler) {
    this.permissionRequestHandler = handler;
  }
  setPermissionCheckHandler(handler: Handler) {
    this.permissionCheckHandler = handler;
  }
  setDevicePermissionHandler(handler: Handler) {
    this.devicePermissionHandler = handler;
  }
  setDisplayMediaRequestHandler(handler: Handler) {
    this.displayMediaRequestHandler = handler;
  }
  /** What main fetched through this session (ses.fetch), with its options. */
  readonly fetched: { url: string; init: RequestInit | undefined }[] = [];
  /** Node's own fetch stands in for Chromium's network stack; the webRequest filter above does not see it. */
  fetch(url: string, init?: RequestInit): Promise<Response> {
    this.fetched.push({ url, init });
    return globalThis.fetch(url, init);
  }
  /** The preload scripts main registered (service-worker guard). */
  readonly preloadScripts: { type: string; id?: string; filePath: string }[] = [];
  registerPreloadScript(script: { type: string; id?: string; filePath: string }): string {
    this.preloadScripts.push(script);
    return script.id ?? `preload-${this.preloadScripts.length}`;
  }
  /** Fake of session.serviceWorkers: emit 'running-status-changed' to start a worker. */
  readonly serviceWorkers = new FakeServiceWorkers();
}

/** Fake of a ServiceWorkerMain: its own ipc, as Electron gives each worker. */
export class FakeServiceWorker {
  readonly ipc = new FakeIpcMain();
  constructor(readonly versionId: number) {}
}

/** Fake of Session.serviceWorkers. */
export class FakeServiceWorkers extends EventEmitter {
  readonly workers = new Map<number, FakeServiceWorker>();
  /** Electron creates the ServiceWorkerMain on first lookup of a live version. */
  getWorkerFromVersionID(versionId: number): FakeServiceWorker | undefined {
    const worker = this.workers.get(versionId) ?? new FakeServiceWorker(versionId);
    this.workers.set(versionId, worker);
    return worker;
  }
  /** What Electron emits as a worker's status changes. */
  start(versionId: number): FakeServiceWorker {
    this.emit('running-status-changed', { versionId, runningStatus: 'starting' });
    this.emit('running-status-changed', { versionId, runningStatus: 'running' });
    const worker = this.workers.get(versionId);
    if (worker === undefined) throw new Error(`nobody looked up worker ${versionId}`);
    return worker;
  }
}

/** Fake of WebContentsView: a view around a fake webContents. */
export class FakeView {
  readonly webContents = new FakeWebContents();
}

/** HostedApps' options with the fakes above for Electron: every session a FakeSession, kept in `sessions` by partition; someone is signed in (a watermark). */
export function hostedAppsOptions(policy: Policy, audit: AuditSink, sessions = new Map<string, FakeSession>()): HostedAppsOptions {
  return {
    policy,
    navigation: new NavigationRules(),
    audit,
    allowDevTools: false,
    guardPreloadPath: '/app/out/preload/hostedGuard.cjs',
    serviceWorkerGuardPath: '/app/out/preload/serviceWorkerGuard.cjs',
    reports: createGuardReports(audit),
    clipboard: new WorkspaceClipboard(60_000),
    watermark: () => ({ text: 'Valerie Assistant · 7K2M-QX4P · {time}', opacity: 0.12 }),
    electron: {
      WebContentsView: FakeView as never,
      sessionFor: (partition) => {
        const session = sessions.get(partition) ?? new FakeSession();
        sessions.set(partition, session);
        return session as never;
      },
    },
  };
}
