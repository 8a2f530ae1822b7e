// Test double for the Electron preload bridge (the Electron binary cannot run here):
// installs `window.cordon` with the contract's methods, answering from canned results
// and recording every call in `window.__cordonCalls`. It also stands in for main where
// main acts on its own: tests change its state (`setMainState`), and a person's key or
// pointer press ends an idle countdown, as main's input-event listener does; each change
// is pushed to the page's subscribers, as main pushes it.
import type { Page } from '@playwright/test';
import type { ActionResult, ShellState } from '../../common/ipc/contract';
import { IDLE_TICK_MS } from '../../main/session/idleSources';

export interface FakeApiScript {
  state: ShellState | 'reject';
  /** The state main reports after a successful sign-in. */
  afterSignIn?: ShellState;
  signIn?: ActionResult;
  selectApp?: ActionResult;
  unlock?: ActionResult;
  /** The state main reports after a successful unlock. */
  afterUnlock?: ShellState;
  enrollWithCode?: ActionResult;
  /** The state main reports after a successful enrollment (the step gone). */
  afterEnroll?: ShellState;
  /** The state main reports after signing out (by the button, or by declining an agreement); the first state when absent. */
  afterSignOut?: ShellState;
  acceptAgreement?: ActionResult;
  /** The state main reports after a successful acceptance (the next document, or the workspace). */
  afterAccept?: ShellState;
  /** The state main reports after another try at a document that could not be had. */
  afterRetry?: ShellState;
  /** The state main reports once an app that signed the VA out was opened again. */
  afterReopen?: ShellState;
}

export async function installFakeCordonApi(page: Page, script: FakeApiScript): Promise<void> {
  await page.addInitScript((s: FakeApiScript & { tickMs: number }) => {
    const calls: unknown[][] = [];
    let state = s.state;
    const subscribers = new Set<(next: ShellState) => void>();
    // Main pushes a change it makes itself at once, and one it only notices (input ending
    // a countdown) at its next one-second tick, where it compares with what it last pushed.
    let pushed = JSON.stringify(state);
    const publish = () => {
      if (state === 'reject' || JSON.stringify(state) === pushed) return;
      pushed = JSON.stringify(state);
      for (const subscriber of subscribers) subscriber(state);
    };
    setInterval(publish, s.tickMs);
    const change = (next: ShellState | 'reject') => {
      state = next;
      publish();
    };
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
      value: (next: ShellState) => change(next),
    });
    Object.defineProperty(window, 'cordon', {
      value: Object.freeze({
        getShellState: () => (state === 'reject' ? Promise.reject(new Error('Request refused')) : record('getShellState', [], state)),
        signIn: () => {
          const result = s.signIn ?? { ok: true };
          if (result.ok && s.afterSignIn !== undefined) change(s.afterSignIn);
          return record('signIn', [], result);
        },
        signOut: () => {
          change(s.afterSignOut ?? s.state);
          return record('signOut', [], { ok: true });
        },
        selectApp: (appId: string) => record('selectApp', [appId], s.selectApp ?? { ok: true }),
        reopenApp: (appId: string) => {
          if (s.afterReopen !== undefined) change(s.afterReopen);
          return record('reopenApp', [appId], { ok: true });
        },
        unlock: () => {
          const result = s.unlock ?? { ok: true };
          if (result.ok && s.afterUnlock !== undefined) change(s.afterUnlock);
          return record('unlock', [], result);
        },
        enrollWithCode: (code: string) => {
          const result = s.enrollWithCode ?? { ok: true };
          if (result.ok && s.afterEnroll !== undefined) change(s.afterEnroll);
          return record('enrollWithCode', [code], result);
        },
        acceptAgreement: (documentId: string, version: string) => {
          const result = s.acceptAgreement ?? { ok: true };
          if (result.ok && s.afterAccept !== undefined) change(s.afterAccept);
          return record('acceptAgreement', [documentId, version], result);
        },
        declineAgreement: (documentId: string) => {
          change(s.afterSignOut ?? s.state);
          return record('declineAgreement', [documentId], { ok: true });
        },
        retryAgreement: () => {
          if (s.afterRetry !== undefined) change(s.afterRetry);
          return record('retryAgreement', [], { ok: true });
        },
        onShellStateChanged: (listener: (next: ShellState) => void) => {
          subscribers.add(listener);
          return () => subscribers.delete(listener);
        },
      }),
    });
  }, { ...script, tickMs: IDLE_TICK_MS });
}

export function cordonCalls(page: Page): Promise<unknown[][]> {
  return page.evaluate(() => (window as unknown as { __cordonCalls: unknown[][] }).__cordonCalls);
}

/** Main changing its state on its own (a countdown starting, a lock) and pushing it to the page. */
export function setMainState(page: Page, state: ShellState): Promise<void> {
  return page.evaluate((next) => (window as unknown as { __cordonSetState: (s: ShellState) => void }).__cordonSetState(next), state);
}
