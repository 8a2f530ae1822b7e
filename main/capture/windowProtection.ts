// Asks the OS to keep every Cordon window out of screenshots, recordings and screen
// sharing from the moment it exists: the shell (whose hosted views live inside it), the
// sign-in window and hosted apps' popups, whichever module creates them.
import type { App } from 'electron';

export function protectEveryWindow(app: Pick<App, 'on'>): void {
  app.on('browser-window-created', (_event, window) => window.setContentProtection(true));
}
