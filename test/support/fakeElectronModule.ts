// A stand-in for the `electron` module (the Electron binary cannot run here): enough of
// app, protocol, session, ipcMain, Menu and BrowserWindow for main/index.ts to run, with
// every call recorded so tests can check what the real wiring installed.
import { EventEmitter } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FakeKeychain } from './authHarness';
import { FakeIpcMain, FakeSession } from './electronFakes';
import { FakePowerMonitor } from './idleFakes';

class FakeWindowContents extends EventEmitter {
  readonly id = 41;
  reloads = 0;
  /** What main pushed to the page: [channel, payload]. */
  readonly sent: [string, unknown][] = [];
  reload() {
    this.reloads += 1;
  }
  send(channel: string, payload: unknown) {
    this.sent.push([channel, payload]);
  }
  isDestroyed() {
    return false;
  }
}

export interface Calls {
  order: string[];
  /** Chromium switches main appended (name, value), in order. */
  switches?: [string, string][];
  windows: FakeWindow[];
  handled: string[];
  menu: unknown;
}

export class FakeWindow {
  static calls: Calls;
  readonly webContents = new FakeWindowContents();
  contentProtection = false;
  loaded: string | null = null;
  static getAllWindows(): FakeWindow[] {
    return FakeWindow.calls.windows;
  }
  constructor(readonly options: { webPreferences: Record<string, unknown> }) {
    FakeWindow.calls.windows.push(this);
  }
  setContentProtection(value: boolean) {
    this.contentProtection = value;
  }
  /** 'close' (a page's beforeunload could cancel it) or 'destroy' (it cannot), as called. */
  readonly ended: string[] = [];
  close() {
    this.ended.push('close');
  }
  destroy() {
    this.ended.push('destroy');
  }
  isDestroyed() {
    return this.ended.includes('destroy');
  }
  once() {}
  on() {}
  loadURL(url: string) {
    this.loaded = url;
    return Promise.resolve();
  }
}

export function fakeElectron(calls: Calls, { gotLock = true, appPath = '/nonexistent-app', keychain = true, userData = mkdtempSync(path.join(tmpdir(), 'cordon-userdata-')) } = {}) {
  let ready!: () => void;
  let isReady = false;
  const readyPromise = new Promise<void>((resolve) => (ready = resolve)).then(() => {
    isReady = true;
  });
  const appEvents = new Map<string, (...args: unknown[]) => void>();
  const ipcMain = new FakeIpcMain();
  const defaultSession = new FakeSession();
  const partitions = new Map<string, FakeSession>();
  FakeWindow.calls = calls;
  const electron = {
    app: {
      name: 'Cordon',
      isPackaged: false,
      enableSandbox: () => calls.order.push('enableSandbox'),
      requestSingleInstanceLock: () => (calls.order.push('requestSingleInstanceLock'), gotLock),
      quit: () => calls.order.push('quit'),
      exit: (code: number) => calls.order.push(`exit ${code}`),
      on: (event: string, listener: (...args: unknown[]) => void) => appEvents.set(event, listener),
      whenReady: () => readyPromise,
      isReady: () => isReady,
      commandLine: {
        appendSwitch: (name: string, value = '') => {
          calls.order.push(`appendSwitch ${name}`);
          (calls.switches ??= []).push([name, value]);
        },
      },
      getAppPath: () => appPath,
      getVersion: () => '0.1.0',
      getPath: () => userData,
    },
    protocol: {
      registerSchemesAsPrivileged: () => calls.order.push('registerSchemesAsPrivileged'),
      handle: (scheme: string) => calls.handled.push(scheme),
    },
    session: {
      defaultSession,
      fromPartition: (partition: string) => {
        const existing = partitions.get(partition) ?? new FakeSession();
        partitions.set(partition, existing);
        return existing;
      },
    },
    // Stand-in for the OS keychain (safeStorage), which cannot exist here: a working one, or none.
    safeStorage: keychain ? new FakeKeychain() : new FakeKeychain('basic_text'),
    crashReporter: { start: () => calls.order.push('crashReporter.start') },
    dialog: { showErrorBox: (title: string) => calls.order.push(`showErrorBox ${title}`) },
    shell: { openExternal: () => Promise.reject(new Error('no system browser in tests')) },
    ipcMain,
    Menu: { setApplicationMenu: (menu: unknown) => (calls.menu = menu), buildFromTemplate: (t: unknown) => t },
    BrowserWindow: FakeWindow,
    powerMonitor: new FakePowerMonitor(),
    // Nothing of Cordon's has keyboard focus in these tests.
    webContents: { getFocusedWebContents: () => null },
    // Hosted views are only created when an app is selected after sign-in.
    WebContentsView: function WebContentsView() {
      throw new Error('no hosted view is expected in these tests');
    },
  };
  return { electron, ready: () => ready(), appEvents, ipcMain, defaultSession, partitions };
}

