// Hiding cannot be cancelled by a page: windows are destroyed, never merely closed.
import { describe, expect, it } from 'vitest';
import { hidePracticeData, windowsBesides } from '../../../main/workspace/hidePracticeData';

/** A window whose page has a beforeunload handler that cancels close(), as Chromium lets it. */
class PopupWithUnsavedChanges {
  readonly calls: string[] = [];
  private gone = false;
  close(): void {
    this.calls.push('close');
    // beforeunload returned a value: Chromium keeps the page, the window stays open.
  }
  destroy(): void {
    this.calls.push('destroy');
    this.gone = true;
  }
  isDestroyed(): boolean {
    return this.gone;
  }
}

describe('hidePracticeData', () => {
  it('detaches views, wipes the clipboard and destroys every other window (no beforeunload can keep it)', () => {
    const steps: string[] = [];
    const popups = [new PopupWithUnsavedChanges(), new PopupWithUnsavedChanges()];
    hidePracticeData({ detachViews: () => steps.push('detach'), wipeClipboard: () => steps.push('wipe'), otherWindows: () => popups });
    expect(steps).toEqual(['detach', 'wipe']);
    for (const popup of popups) {
      expect(popup.calls).toEqual(['destroy']);
      expect(popup.isDestroyed()).toBe(true);
    }
  });

  it('leaves windows already gone alone, and never the shell', () => {
    const shell = new PopupWithUnsavedChanges();
    const gone = new PopupWithUnsavedChanges();
    gone.destroy();
    gone.calls.length = 0;
    hidePracticeData({ detachViews: () => undefined, wipeClipboard: () => undefined, otherWindows: () => windowsBesides([shell, gone], shell) });
    expect(shell.calls).toEqual([]);
    expect(gone.calls).toEqual([]);
  });
});
