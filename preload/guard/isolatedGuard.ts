// The part of the hosted-page guard that runs in the preload's isolated world, in every
// frame. The page's own script shares the DOM with it but cannot see or remove its
// listeners, and these listeners are registered before any page script runs, so they
// see every attempt first. Main's session handlers stay the primary control; this catches
// what never reaches them (javascript:, data: and file: links are refused inside the
// renderer, and external protocols would otherwise go to the OS).
import { decideNavigation, isExternalProtocol, type Verdict } from '../../common/hosting/hostedAppRules';
import type { GuardConfig, GuardReport } from '../../common/hosting/guardProtocol';
import { auditableOrigin } from '../../common/audit/auditSink';
import { installClipboardGuard, type WorkspaceClipboardPort } from './clipboardGuard';
import { installUploadGuard } from './uploadGuard';
import { installWatermark } from './watermarkGuard';

export type Report = (report: GuardReport) => void;

/** How the guard reaches main: reports, and the workspace clipboard. */
export interface GuardPort {
  report: Report;
  workspaceClipboard: WorkspaceClipboardPort;
}

/** The Navigation API (Chromium 102+); not yet in TypeScript's DOM library. */
interface NavigateEvent extends Event {
  readonly destination: { readonly url: string };
  readonly cancelable: boolean;
  /** The suggested file name when the navigation is a download (`<a download>`), else null. */
  readonly downloadRequest: string | null;
}
interface NavigationTarget {
  addEventListener(type: 'navigate', listener: (event: NavigateEvent) => void): void;
}

/** Schemes a link may carry that never lead to an approved page. */
const INERT_LINK_SCHEMES = ['javascript:', 'data:', 'file:'];

/** The guard's verdict on a navigation, as a report (null: allowed). */
export function navigationBlock(config: GuardConfig, url: string): GuardReport | null {
  if (isExternalProtocol(url)) return { block: 'external-protocol', origin: auditableOrigin(url), reason: 'external-protocol' };
  const verdict: Verdict = decideNavigation(config, url);
  return verdict.allowed ? null : { block: 'navigation', origin: verdict.origin, reason: verdict.reason };
}

function linkTarget(event: Event): HTMLAnchorElement | HTMLAreaElement | null {
  for (const node of event.composedPath()) {
    if (node instanceof HTMLAnchorElement || node instanceof HTMLAreaElement) return node.hasAttribute('href') ? node : null;
  }
  return null;
}

/** Marks a window (in this isolated world only, out of the page's sight) as guarded. */
const GUARDED = '__cordonGuarded';

/**
 * Electron runs no preload in about:blank child frames (electron#31313), where rich-text
 * editors live: the parent's guard adopts every same-origin child frame it sees.
 */
function adoptChildFrames(win: Window, install: (child: Window) => void): void {
  const adopt = (frame: HTMLIFrameElement | HTMLFrameElement) => {
    const tryChild = () => {
      try {
        const child = frame.contentWindow;
        // Throws for a cross-origin frame: that one runs its own preload.
        if (child !== null && child.document !== null) install(child);
      } catch {
        // Cross-origin.
      }
    };
    tryChild();
    frame.addEventListener('load', tryChild);
  };
  new MutationObserver((records) => {
    for (const record of records) {
      record.addedNodes.forEach((node) => {
        if (node instanceof HTMLIFrameElement || node instanceof HTMLFrameElement) adopt(node);
        else if (node instanceof Element) node.querySelectorAll<HTMLIFrameElement | HTMLFrameElement>('iframe, frame').forEach(adopt);
      });
    }
  }).observe(win.document, { childList: true, subtree: true });
}

export function installIsolatedGuard(config: GuardConfig, win: Window & { navigation?: NavigationTarget }, port: GuardPort): void {
  const marks = win as unknown as Record<string, boolean>;
  if (marks[GUARDED] === true) return;
  marks[GUARDED] = true;
  const { report, workspaceClipboard } = port;
  adoptChildFrames(win, (child) => installIsolatedGuard(config, child, port));
  installClipboardGuard(config.clipboard, win, report, workspaceClipboard);
  // Only the top frame draws it: it covers the whole view, sub-frames included.
  if (win.top === win) installWatermark(win, config.watermark, report);

  // Every navigation the frame starts itself: link, form, script, meta refresh.
  win.navigation?.addEventListener('navigate', (event) => {
    // Downloads are the session's will-download handler's to decide, by the app's policy.
    if (event.downloadRequest !== null) return;
    const block = navigationBlock(config, event.destination.url);
    if (block === null || !event.cancelable) return;
    event.preventDefault();
    report(block);
  });

  // Links the renderer would refuse or run before any navigate event fires.
  const onLink = (event: MouseEvent) => {
    const link = linkTarget(event);
    if (link === null) return;
    const href = link.href;
    const scheme = INERT_LINK_SCHEMES.find((s) => href.toLowerCase().startsWith(s));
    if (scheme === undefined) return;
    event.preventDefault();
    event.stopImmediatePropagation();
    report({ block: 'navigation', origin: scheme, reason: 'scheme-not-allowed' });
  };
  win.addEventListener('click', onLink, true);
  win.addEventListener('auxclick', onLink, true);

  if (config.uploads === 'deny') installUploadGuard(win, report);

  if (config.printing === 'deny') {
    // Printing that got past the main-world block: blank every printed page, and say so.
    win.addEventListener('beforeprint', () => {
      const style = win.document.createElement('style');
      style.textContent = '@media print { html { display: none !important; } }';
      win.document.documentElement.append(style);
      report({ block: 'print', reason: 'print-bypass' });
    });
  }
}
