// The shell window: the only BrowserWindow with Cordon's preload and IPC access.
import type { BrowserWindow, BrowserWindowConstructorOptions, WebPreferences } from 'electron';
import { lockedDownWebPreferences } from './lockedDownWebPreferences';
import { SHELL_ENTRY_URL } from './shellProtocol';

export function shellWebPreferences({ preloadPath, allowDevTools }: { preloadPath: string; allowDevTools: boolean }): WebPreferences {
  return { ...lockedDownWebPreferences({ allowDevTools }), preload: preloadPath };
}

export interface ShellWindowOptions {
  preloadPath: string;
  allowDevTools: boolean;
  /** Ask the OS to keep this window out of screenshots and screen sharing. */
  contentProtection: boolean;
  title: string;
}

export function shellWindowOptions(options: ShellWindowOptions): BrowserWindowConstructorOptions {
  return {
    width: 1280,
    height: 820,
    minWidth: 800,
    minHeight: 560,
    show: false,
    title: options.title,
    backgroundColor: '#0f1720',
    autoHideMenuBar: true,
    webPreferences: shellWebPreferences(options),
  };
}

export type BrowserWindowConstructor = new (options: BrowserWindowConstructorOptions) => BrowserWindow;

export function createShellWindow(BrowserWindowClass: BrowserWindowConstructor, options: ShellWindowOptions): BrowserWindow {
  const window = new BrowserWindowClass(shellWindowOptions(options));
  if (options.contentProtection) window.setContentProtection(true);
  window.once('ready-to-show', () => window.show());
  // All shell state lives in main, so a crashed shell page is simply reloaded (the
  // crash itself is audited by the webContents hardening).
  window.webContents.on('render-process-gone', (_event, details) => {
    if (details.reason !== 'clean-exit' && !window.isDestroyed()) window.webContents.reload();
  });
  void window.loadURL(SHELL_ENTRY_URL);
  return window;
}
