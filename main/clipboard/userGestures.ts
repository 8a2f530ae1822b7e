// Main's own record of when the VA last pressed a key or clicked in each webContents, so
// a write to the workspace clipboard can require a user gesture without taking the
// page's word for it: a page cannot fake the input events the browser process sends it
// ('input-event', Electron 45). The window matches Chromium's transient user activation
// (about 5 s), which is what a page's own clipboard write needs in a browser.
import type { InputEvent, WebContents } from 'electron';

export const GESTURE_WINDOW_MS = 5_000;

/** Input that grants user activation in Chromium: key presses, clicks, taps (not moves or wheel). */
const ACTIVATING = new Set<InputEvent['type']>(['rawKeyDown', 'keyDown', 'mouseDown', 'mouseUp', 'pointerDown', 'pointerUp', 'touchEnd', 'gestureTap']);

export class UserGestures {
  private readonly last = new Map<number, number>();

  constructor(private readonly now: () => number = Date.now) {}

  watch(contents: Pick<WebContents, 'id' | 'on' | 'once'>): void {
    const { id } = contents;
    contents.on('input-event', (_event, input) => {
      // Escape never grants activation in Chromium.
      if (ACTIVATING.has(input.type) && !('key' in input && input.key === 'Escape')) this.last.set(id, this.now());
    });
    contents.once('destroyed', () => this.last.delete(id));
  }

  /** Whether this webContents had a key press or click within the gesture window. */
  recent(webContentsId: number): boolean {
    const at = this.last.get(webContentsId);
    return at !== undefined && this.now() - at < GESTURE_WINDOW_MS;
  }
}
