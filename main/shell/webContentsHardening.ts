// Hardens every webContents Cordon creates (installed from app 'web-contents-created',
// so no path can skip it). The shell UI never navigates, opens windows or embeds
// <webview>, so all of that is refused and audited here. Hosted apps (issue 4) get their
// own policy-driven decisions through this same entry point.
import type { WebContents } from 'electron';
import { auditableOrigin, type AuditSink } from '../../common/audit/auditSink';

export interface WebContentsHardeningOptions {
  allowDevTools: boolean;
  audit: AuditSink;
}

export type HardenableWebContents = Pick<WebContents, 'on' | 'setWindowOpenHandler' | 'closeDevTools'>;

export function hardenWebContents(contents: HardenableWebContents, { allowDevTools, audit }: WebContentsHardeningOptions): void {
  // Fires for every frame before `will-navigate`; programmatic loadURL does not trigger it.
  contents.on('will-frame-navigate', (event) => {
    event.preventDefault();
    audit.record({ type: 'navigation.blocked', outcome: 'blocked', origin: auditableOrigin(event.url), reason: event.isMainFrame ? 'main-frame' : 'subframe' });
  });
  contents.on('will-redirect', (event) => {
    event.preventDefault();
    audit.record({ type: 'navigation.blocked', outcome: 'blocked', origin: auditableOrigin(event.url), reason: 'redirect' });
  });
  contents.setWindowOpenHandler(({ url }) => {
    audit.record({ type: 'window-open.blocked', outcome: 'blocked', origin: auditableOrigin(url) });
    return { action: 'deny' };
  });
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
    audit.record({ type: 'webview.blocked', outcome: 'blocked' });
  });
  // A crashed page or a failed guard preload is a security event, never a silent blank.
  contents.on('render-process-gone', (_event, details) => {
    audit.record({ type: 'renderer.gone', outcome: 'failure', reason: details.reason });
  });
  contents.on('preload-error', () => {
    audit.record({ type: 'preload.failed', outcome: 'failure' });
  });
  if (!allowDevTools) {
    contents.on('devtools-opened', () => {
      contents.closeDevTools();
      audit.record({ type: 'devtools.blocked', outcome: 'blocked' });
    });
  }
}
