// What Cordon does when the practice ends this computer's or the VA's access, in this
// order: practice data out of sight at once (no page can delay it), then the queued audit
// events delivered (the collector takes a revoked device's events, so nothing recorded is
// lost), then sign-out (tokens revoked, the IdP session ended, every hosted session wiped),
// then the sentence saying why. A step that fails does not stop the ones after it.
import type { EndedAccess } from './accessWatch';

/** How long delivery may hold up the sign-out; what is left goes at the next contact. */
export const DELIVER_BEFORE_SIGN_OUT_MS = 15_000;

export interface AccessEndingSteps {
  /** Hosted views detached, the workspace clipboard wiped, every other Cordon window closed. */
  hideAll(): void;
  /** One delivery round of the audit queue. */
  deliver(): Promise<unknown>;
  /** Revokes the tokens, ends the IdP session, wipes every hosted session (also with nobody signed in). */
  signOut(): Promise<void>;
  /** The sentence for the sign-in screen (a VA's ending; a computer's shows on its lock screen). */
  tellSignedOut(text: string): void;
  onError(step: 'deliver' | 'sign-out', error: unknown): void;
  deliverTimeoutMs?: number;
}

function within(promise: Promise<unknown>, ms: number): Promise<unknown> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`delivery took longer than ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export async function endAccess(ended: EndedAccess, steps: AccessEndingSteps): Promise<void> {
  steps.hideAll();
  await within(steps.deliver(), steps.deliverTimeoutMs ?? DELIVER_BEFORE_SIGN_OUT_MS).catch((error: unknown) => steps.onError('deliver', error));
  await steps.signOut().catch((error: unknown) => steps.onError('sign-out', error));
  // Anything opened while delivery ran goes too.
  steps.hideAll();
  if (ended.scope === 'user') steps.tellSignedOut(ended.message);
}
