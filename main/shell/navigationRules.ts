// Per-webContents navigation decisions. Every webContents is hardened at creation, before
// its owner can say anything about it, so the hardening asks this registry at the moment
// of each navigation: no rule means deny. The shell window never gets a rule; the sign-in
// window and hosted apps get theirs from the code that creates them.

export type NavigationDecision = 'allow' | 'deny' | { intercept: (url: string) => void };
export type NavigationRule = (url: string) => NavigationDecision;

export class NavigationRules {
  private readonly rules = new WeakMap<object, NavigationRule>();

  set(contents: object, rule: NavigationRule): void {
    this.rules.set(contents, rule);
  }

  decide(contents: object, url: string): NavigationDecision {
    return this.rules.get(contents)?.(url) ?? 'deny';
  }
}
