// Hardens every webContents Cordon creates (installed from app 'web-contents-created',
// so no path can skip it). Navigation is denied unless the webContents' owner registered
// a rule (NavigationRules); window.open and <webview> are always refused; all audited.
import type { WebContents } from 'electron';
import { auditableOrigin, type AuditSink } from '../../common/audit/auditSink';
import type { NavigationRules } from './navigationRules';

export interface WebContentsHardeningOptions {
  allowDevTools: boolean;
  audit: AuditSink;
  navigation: NavigationRules;
}

export type HardenableWebContents = Pick<WebContents, 'on' | 'setWindowOpenHandler' | 'closeDevTools'>;

export function hardenWebContents(contents: HardenableWebContents, { allowDevTools, audit, navigation }: WebContentsHardeningOptions): void {
  const guard = (event: { url: string; preventDefault(): void }, reason: string) => {
    const decision = navigation.decide(contents, event.url);
    if (decision === 'allow') return;
    event.preventDefault();
    const appId = navigation.appIdOf(contents);
    if (decision === 'deny') audit.record({ type: 'navigation.blocked', outcome: 'blocked', ...(appId === undefined ? {} : { appId }), origin: auditableOrigin(event.url), reason });
    else decision.intercept(event.url);
  };
  // Fires for every frame before `will-navigate`; programmatic loadURL does not trigger it,
  // but the redirects of such a load do reach `will-redirect`.
  contents.on('will-frame-navigate', (event) => guard(event, event.isMainFrame ? 'main-frame' : 'subframe'));
  contents.on('will-redirect', (event) => guard(event, 'redirect'));
  // window.open / target=_blank: refused unless the owner's rule offers a controlled
  // Cordon window (hosted apps, approved origins only; HostedApps binds that window too).
  contents.setWindowOpenHandler(({ url }) => {
    const options = navigation.windowOptions(contents, url);
    if (options !== null) return { action: 'allow', overrideBrowserWindowOptions: options };
    const appId = navigation.appIdOf(contents);
    audit.record({ type: 'window-open.blocked', outcome: 'blocked', ...(appId === undefined ? {} : { appId }), origin: auditableOrigin(url) });
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
