import { describe, expect, it } from 'vitest';
import { minimalMenuTemplate } from '../../../main/shell/appMenu';
import { shellWebPreferences, shellWindowOptions } from '../../../main/shell/shellWindow';

describe('shell window', () => {
  it('uses Electron security checklist settings', () => {
    const prefs = shellWebPreferences({ preloadPath: '/app/out/preload/index.cjs', allowDevTools: false });
    expect(prefs).toEqual({
      preload: '/app/out/preload/index.cjs',
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      safeDialogs: true,
      devTools: false,
    });
    expect(shellWindowOptions({ preloadPath: 'p', allowDevTools: true, contentProtection: true, title: 't' }).webPreferences?.devTools).toBe(true);
    expect(shellWindowOptions({ preloadPath: 'p', allowDevTools: false, contentProtection: true, title: 't' }).show).toBe(false);
  });

  it('has no menu bar on Windows and Linux and no reload, devtools or help entries on macOS', () => {
    expect(minimalMenuTemplate('win32', 'Cordon')).toBeNull();
    expect(minimalMenuTemplate('linux', 'Cordon')).toBeNull();
    const roles = JSON.stringify(minimalMenuTemplate('darwin', 'Cordon'));
    for (const forbidden of ['reload', 'forceReload', 'toggleDevTools', 'viewMenu', 'help', 'zoom']) expect(roles).not.toContain(`"${forbidden}"`);
    expect(roles).toContain('"quit"');
    expect(roles).toContain('"paste"');
  });
});
