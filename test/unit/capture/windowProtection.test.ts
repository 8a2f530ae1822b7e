import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { protectEveryWindow } from '../../../main/capture/windowProtection';

describe('window capture protection', () => {
  it('protects every BrowserWindow as it is created, whichever module creates it', () => {
    const app = new EventEmitter();
    protectEveryWindow(app as never);
    const windows = [0, 1, 2].map(() => ({ protectedWith: [] as boolean[], setContentProtection(enable: boolean) { this.protectedWith.push(enable); } }));
    for (const window of windows) app.emit('browser-window-created', {}, window);
    expect(windows.map((w) => w.protectedWith)).toEqual([[true], [true], [true]]);
  });
});
