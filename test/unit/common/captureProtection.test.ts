// The one decision behind capture protection: what each OS enforces (per Electron's
// setContentProtection docs) and whether hosted apps may show under each policy.
import { describe, expect, it } from 'vitest';
import { captureSupport, decideCapture } from '../../../common/capture/captureProtection';

describe('capture protection decision', () => {
  it('knows what each OS enforces: Windows fully, macOS partly (ScreenCaptureKit), Linux not at all', () => {
    expect(captureSupport('win32')).toBe('full');
    expect(captureSupport('darwin')).toBe('partial');
    expect(captureSupport('linux')).toBe('none');
    expect(captureSupport('freebsd')).toBe('none');
  });

  it('shows hosted apps under `required` only where the OS fully enforces it', () => {
    expect(decideCapture('win32', 'required')).toEqual({ support: 'full', protectWindows: true, appsHidden: null });
    expect(decideCapture('linux', 'required')).toMatchObject({ protectWindows: true, appsHidden: { code: 'capture-protection-unavailable' } });
    expect(decideCapture('darwin', 'required')).toMatchObject({ protectWindows: true, appsHidden: { code: 'capture-protection-partial' } });
    expect(decideCapture('linux', 'required').appsHidden?.message).toMatch(/^Practice apps are hidden: .*cannot keep windows out of screenshots.*Tell IT\.$/);
    expect(decideCapture('darwin', 'required').appsHidden?.message).toContain('macOS lets current screen-recording and meeting apps capture any window');
  });

  it('`preferred` protects where it can and shows the apps everywhere', () => {
    for (const platform of ['win32', 'darwin', 'linux']) {
      expect(decideCapture(platform, 'preferred')).toMatchObject({ protectWindows: true, appsHidden: null });
    }
  });

  it('`off` neither protects the windows nor hides the apps', () => {
    for (const platform of ['win32', 'darwin', 'linux']) {
      expect(decideCapture(platform, 'off')).toMatchObject({ protectWindows: false, appsHidden: null });
    }
  });
});
