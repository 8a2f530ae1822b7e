// Which hosted apps have signed the VA out: each app's view is watched for top-frame
// navigations (full page loads and in-page route changes) to one of the signed-out pages
// its policy lists. Going there is audited, by origin, within a budget per app (a page
// could flip its route in a loop); leaving for any other page (the VA signed in again)
// ends it. The caller hears each change to tell the VA.
import type { WebContents } from 'electron';
import { auditableOrigin, type AuditSink } from '../../common/audit/auditSink';
import { isSignedOutPage } from '../../common/hosting/signedOutUrls';
import type { AppPolicy } from '../../common/policy/policySchema';
import { WindowBudget, type Overflow } from '../throttle/windowBudget';

/** At most this many sign-outs of one app are audited per window; the rest are counted in one summary. */
export const SIGNED_OUT_AUDIT_LIMIT = 5;
export const SIGNED_OUT_AUDIT_WINDOW_MS = 10 * 60 * 1000;

/** Called when an app signs the VA out, or shows a page of its own again. */
export type SignedOutListener = (appId: string, signedOut: boolean) => void;

export class SignedOutApps {
  private readonly out = new Set<string>();
  private readonly budget = new WindowBudget<string>(SIGNED_OUT_AUDIT_LIMIT, SIGNED_OUT_AUDIT_WINDOW_MS, (appId) => appId);

  constructor(
    private readonly audit: AuditSink,
    private readonly listener: SignedOutListener,
    private readonly now: () => number = Date.now,
  ) {}

  /** Watches an app's view; an app without signed-out pages is never said to be signed out. */
  watch(contents: Pick<WebContents, 'on'>, app: Pick<AppPolicy, 'id' | 'signedOutUrls'>): void {
    if (app.signedOutUrls.length === 0) return;
    // 'did-navigate' is the main frame's alone; 'did-navigate-in-page' comes from every frame.
    contents.on('did-navigate', (_event, url) => this.shown(app, url));
    contents.on('did-navigate-in-page', (_event, url, isMainFrame) => {
      if (isMainFrame) this.shown(app, url);
    });
  }

  /** Every view closed (sign-out): no app is signed out any more. */
  forgetAll(): void {
    for (const appId of [...this.out]) this.change(appId, false);
  }

  private shown(app: Pick<AppPolicy, 'id' | 'signedOutUrls'>, url: string): void {
    const signedOut = isSignedOutPage(app.signedOutUrls, url);
    if (signedOut === this.out.has(app.id)) return;
    if (signedOut && this.budget.take(app.id, this.now(), (overflow) => this.summarise(overflow))) {
      this.audit.record({ type: 'app.signed-out', outcome: 'success', appId: app.id, origin: auditableOrigin(url) });
    }
    this.change(app.id, signedOut);
  }

  private summarise({ key, suppressed }: Overflow<string>): void {
    this.audit.record({ type: 'app.signed-out', outcome: 'success', appId: key, reason: `repeated:${suppressed}` });
  }

  private change(appId: string, signedOut: boolean): void {
    if (signedOut) this.out.add(appId);
    else this.out.delete(appId);
    this.listener(appId, signedOut);
  }
}
