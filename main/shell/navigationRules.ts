// Per-webContents navigation and window-opening decisions. Every webContents is hardened
// at creation, before its owner can say anything about it, so the hardening asks this
// registry at the moment of each navigation or window.open: no rule means deny. The
// shell window never gets a rule; the sign-in window and hosted apps get theirs from the
// code that creates them.
import type { BrowserWindowConstructorOptions } from 'electron';

export type NavigationDecision = 'allow' | 'deny' | { intercept: (url: string) => void };
export type NavigationRule = (url: string) => NavigationDecision;
/** Options for the controlled Cordon window a page may open, or null to refuse it. */
export type WindowOpenRule = (url: string) => BrowserWindowConstructorOptions | null;

export class NavigationRules {
  private readonly navigation = new WeakMap<object, NavigationRule>();
  private readonly windows = new WeakMap<object, WindowOpenRule>();
  private readonly apps = new WeakMap<object, string>();
  private appsMayShow: () => boolean = () => true;

  /**
   * Hosted views keep running while hidden (idle lock, audit lock, capture tool), and a
   * page may call window.open from a timer: while this says no, every window is refused.
   */
  gateWindows(appsMayShow: () => boolean): void {
    this.appsMayShow = appsMayShow;
  }

  set(contents: object, rule: NavigationRule, windowOpen?: WindowOpenRule, appId?: string): void {
    this.navigation.set(contents, rule);
    if (windowOpen !== undefined) this.windows.set(contents, windowOpen);
    if (appId !== undefined) this.apps.set(contents, appId);
  }

  decide(contents: object, url: string): NavigationDecision {
    return this.navigation.get(contents)?.(url) ?? 'deny';
  }

  windowOptions(contents: object, url: string): BrowserWindowConstructorOptions | null {
    if (!this.appsMayShow()) return null;
    return this.windows.get(contents)?.(url) ?? null;
  }

  appIdOf(contents: object): string | undefined {
    return this.apps.get(contents);
  }
}
