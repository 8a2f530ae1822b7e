// What main does with a refused start, before 'ready': leave the marker for the next
// start's audit, tell the VA, and exit at once. Electron runs the main script before
// Chromium starts its message loop (and with it the --remote-debugging-port listener),
// and app.exit() before the loop ends the process directly, so nothing is served.
// Telling the VA: dialog.showErrorBox is the one UI Electron allows before 'ready'. It
// shows a dialog on Windows and macOS; on Linux it prints to stderr only. Waiting for
// 'ready' to show a window would let Chromium act on the very switches refused, so on
// Linux the VA learns why from the next start's audit and from IT.
import type { LaunchRefusal } from './launchGuard';
import { describeRefusal } from './launchGuard';
import { writeRefusedLaunchMarker } from './refusedLaunchMarker';

export interface RefuseLaunchDeps {
  app: { exit(code: number): void };
  dialog: { showErrorBox(title: string, content: string): void };
  markerFile: string;
  now: () => Date;
}

export function refuseLaunch(refused: readonly LaunchRefusal[], { app, dialog, markerFile, now }: RefuseLaunchDeps): void {
  try {
    writeRefusedLaunchMarker(markerFile, refused, now());
  } catch {
    // No marker (read-only profile): the start is still refused.
  }
  dialog.showErrorBox('Cordon did not start', describeRefusal(refused));
  app.exit(1);
}
