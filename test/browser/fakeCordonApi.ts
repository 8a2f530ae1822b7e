// Test double for the Electron preload bridge (the Electron binary cannot run here):
// installs `window.cordon` with the contract's methods, answering from canned results
// and recording every call in `window.__cordonCalls`. It also stands in for main where
// main acts on its own: tests change its state (`setMainState`), and a person's key or
// pointer press ends an idle countdown, as main's input-event listener does.
import type { Page } from '@playwright/test';
import type { ActionResult, ShellState } from '../../common/ipc/contract';

export interface FakeApiScript {
  state: ShellState | 'reject';
  /** The state main reports after a successful sign-in. */
  afterSignIn?: ShellState;
  signIn?: ActionResult;
  selectApp?: ActionResult;
  unlock?: ActionResult;
  /** The state main reports after a successful unlock. */
  afterUnlock?: ShellState;
}

export async function installFakeCordonApi(page: Page, script: FakeApiScript): Promise<void> {
  await page.addInitScript((s: FakeApiScript) => {
    const calls: unknown[][] = [];
    let state = s.state;
    const record = <T>(name: string, args: unknown[], result: T) => {
      calls.push([name, ...args]);
      return Promise.resolve(result);
    };
    const answerCountdown = () => {
      if (state !== 'reject' && state.kind === 'workspace' && state.idleWarning !== undefined) state = { ...state, idleWarning: undefined };
    };
    window.addEventListener('keydown', answerCountdown, true);
    window.addEventListener('pointerdown', answerCountdown, true);
    Object.defineProperty(window, '__cordonCalls', { value: calls });
    Object.defineProperty(window, '__cordonSetState', {
      value: (next: ShellState) => {
        state = next;
      },
    });
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
        unlock: () => {
          const result = s.unlock ?? { ok: true };
          if (result.ok && s.afterUnlock !== undefined) state = s.afterUnlock;
          return record('unlock', [], result);
        },
      }),
    });
  }, script);
}

export function cordonCalls(page: Page): Promise<unknown[][]> {
  return page.evaluate(() => (window as unknown as { __cordonCalls: unknown[][] }).__cordonCalls);
}

/** Main changing its state on its own (a countdown starting, a lock); the page learns it at its next refresh. */
export function setMainState(page: Page, state: ShellState): Promise<void> {
  return page.evaluate((next) => (window as unknown as { __cordonSetState: (s: ShellState) => void }).__cordonSetState(next), state);
}
