// Hiding practice data, the one way every lock, sign-out and capture alarm does it:
// hosted views detached, the workspace clipboard wiped, and every Cordon window other
// than the shell (hosted popups, the sign-in window) destroyed. destroy(), not close():
// close() runs the page's beforeunload, which can cancel it, so a popup with "unsaved
// changes" would survive the lock. destroy() skips beforeunload and unload and always
// ends in 'closed' (Electron 45 docs, BrowserWindow win.destroy()).
import type { BrowserWindow } from 'electron';

export type DestroyableWindow = Pick<BrowserWindow, 'destroy' | 'isDestroyed'>;

export interface PracticeDataTargets {
  detachViews(): void;
  wipeClipboard(): void;
  /** Every window Cordon has open except the shell. */
  otherWindows(): readonly DestroyableWindow[];
}

export function hidePracticeData({ detachViews, wipeClipboard, otherWindows }: PracticeDataTargets): void {
  detachViews();
  wipeClipboard();
  for (const window of otherWindows()) if (!window.isDestroyed()) window.destroy();
}

/** The windows to destroy: all but the shell. */
export function windowsBesides<W>(all: readonly W[], shell: W | null): W[] {
  return all.filter((window) => window !== shell);
}
