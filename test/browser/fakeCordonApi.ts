// Test double for the Electron preload bridge (the Electron binary cannot run here):
// installs `window.cordon` with the contract's methods, answering from canned results
// and recording every call in `window.__cordonCalls`.
import type { Page } from '@playwright/test';
import type { ActionResult, ShellState } from '../../common/ipc/contract';

export interface FakeApiScript {
  state: ShellState | 'reject';
  /** The state main reports after a successful sign-in. */
  afterSignIn?: ShellState;
  signIn?: ActionResult;
  selectApp?: ActionResult;
}

export async function installFakeCordonApi(page: Page, script: FakeApiScript): Promise<void> {
  await page.addInitScript((s: FakeApiScript) => {
    const calls: unknown[][] = [];
    let state = s.state;
    const record = <T>(name: string, args: unknown[], result: T) => {
      calls.push([name, ...args]);
      return Promise.resolve(result);
    };
    Object.defineProperty(window, '__cordonCalls', { value: calls });
    Object.defineProperty(window, 'cordon', {
      value: Object.freeze({
        getShellState: () => (state === 'reject' ? Promise.reject(new Error('Request refused')) : record('getShellState', [], state)),
        signIn: () => {
          const result = s.signIn ?? { ok: true };
          if (result.ok && s.afterSignIn !== undefined) state = s.afterSignIn;
          return record('signIn', [], result);
        },
        signOut: () => {
          state = s.state;
          return record('signOut', [], { ok: true });
        },
        selectApp: (appId: string) => record('selectApp', [appId], s.selectApp ?? { ok: true }),
      }),
    });
  }, script);
}

export function cordonCalls(page: Page): Promise<unknown[][]> {
  return page.evaluate(() => (window as unknown as { __cordonCalls: unknown[][] }).__cordonCalls);
}
