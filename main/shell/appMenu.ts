// A minimal application menu: no View menu (no reload, no devtools toggle, no zoom
// tricks), no Help links that would open a browser. macOS needs an app menu for Quit
// and an Edit menu for text shortcuts in the shell's own fields; Windows and Linux get
// no menu bar at all (Chromium handles editing shortcuts without one).
import type { MenuItemConstructorOptions } from 'electron';

export function minimalMenuTemplate(platform: NodeJS.Platform, appName: string): MenuItemConstructorOptions[] | null {
  if (platform !== 'darwin') return null;
  return [
    { label: appName, submenu: [{ role: 'about' }, { type: 'separator' }, { role: 'hide' }, { role: 'hideOthers' }, { type: 'separator' }, { role: 'quit' }] },
    { label: 'Edit', submenu: [{ role: 'undo' }, { role: 'redo' }, { type: 'separator' }, { role: 'cut' }, { role: 'copy' }, { role: 'paste' }, { role: 'selectAll' }] },
    { label: 'Window', submenu: [{ role: 'minimize' }, { role: 'close' }] },
  ];
}
