// The steps of an ending, in order, with stand-ins for Electron's pieces (hiding views,
// sign-out) and a delivery that can hang or fail: practice data hidden first, delivery
// before sign-out but never holding it up past its bound, the sentence last for a VA.
import { describe, expect, it } from 'vitest';
import { accessEndedMessage } from '../../../common/gates/accessDecision';
import type { EndedAccess } from '../../../main/gates/accessWatch';
import { endAccess, type AccessEndingSteps } from '../../../main/gates/endAccess';

const ended = (scope: 'device' | 'user'): EndedAccess => ({ state: 'ended', scope, reason: 'revoked', since: 0, message: accessEndedMessage(scope, 'revoked', 0) });

function steps(deliver: () => Promise<unknown>) {
  const order: string[] = [];
  const s: AccessEndingSteps = {
    hideAll: () => order.push('hide'),
    deliver: () => {
      order.push('deliver');
      return deliver().then(() => order.push('delivered'));
    },
    signOut: async () => {
      order.push('sign-out');
    },
    tellSignedOut: (text) => order.push(`tell ${text.slice(0, 20)}`),
    onError: (step, error) => order.push(`error ${step}: ${error instanceof Error ? error.message : String(error)}`),
    deliverTimeoutMs: 50,
  };
  return { order, s };
}

describe('ending access', () => {
  it("hides at once, delivers, signs out, hides again, then tells the VA why", async () => {
    const { order, s } = steps(() => Promise.resolve());
    await endAccess(ended('user'), s);
    expect(order).toEqual(['hide', 'deliver', 'delivered', 'sign-out', 'hide', 'tell The practice ended y']);
  });

  it('a computer ending says nothing on the sign-in screen: its lock screen says it', async () => {
    const { order, s } = steps(() => Promise.resolve());
    await endAccess(ended('device'), s);
    expect(order.at(-1)).toBe('hide');
  });

  it('a delivery that hangs or fails does not keep the VA signed in', async () => {
    const hung = steps(() => new Promise(() => undefined));
    await endAccess(ended('user'), hung.s);
    expect(hung.order).toEqual(['hide', 'deliver', 'error deliver: delivery took longer than 50 ms', 'sign-out', 'hide', 'tell The practice ended y']);
    const failed = steps(() => Promise.reject(new Error('collector unreachable')));
    await endAccess(ended('device'), failed.s);
    expect(failed.order).toEqual(['hide', 'deliver', 'error deliver: collector unreachable', 'sign-out', 'hide']);
  });
});
