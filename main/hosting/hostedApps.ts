// The practice's approved apps, each hosted in a WebContentsView inside the shell window.
// This module is the only way Cordon creates a hosted view or obtains a hosted session,
// so nothing can be hosted unhardened: every session goes through hardenHostedSession
// once, and every view gets locked-down preferences, its app's navigation and
// window-opening rules, and a place in the app lookup the session consults.
import type { BrowserWindowConstructorOptions, Session, WebContents, WebContentsView, WebContentsViewConstructorOptions, WebPreferences } from 'electron';
import { decideNavigation, decideRequest, decideWindowOpen, hostedAppRules, originsOnlyRules, type HostedAppRules } from '../../common/hosting/hostedAppRules';
import { encodeGuardArgument, guardArgumentFor, type GuardWatermark } from '../../common/hosting/guardProtocol';
import type { AuditSink } from '../../common/audit/auditSink';
import type { Policy } from '../../common/policy/policySchema';
import type { SignInScope } from '../../common/auth/signInNavigation';
import { PRACTICE_PARTITION } from '../auth/workspaceSignIn';
import { lockedDownWebPreferences } from '../shell/lockedDownWebPreferences';
import type { WorkspaceClipboard } from '../clipboard/workspaceClipboard';
import type { NavigationRules } from '../shell/navigationRules';
import { applyNetworkAllowlist, type ProxySession } from '../network/networkAllowlist';
import type { GuardReports } from './guardReports';
import { fetchThroughSession, HostedFetchError, type FetchLimits } from './hostedFetch';
import { SignedOutApps, type SignedOutListener } from './signedOutApps';
import { hardenHostedSession, type HostedSession } from './hostedSessionHardening';
import type { GuardedWorker } from './serviceWorkerGuard';

/** Apps whose policy asks for isolation get their own in-memory partition. */
export function partitionFor(app: { id: string; session: 'shared' | 'isolated' }): string {
  return app.session === 'isolated' ? `cordon-app-${app.id}` : PRACTICE_PARTITION;
}

export interface HostedPreferencesOptions {
  partition: string;
  allowDevTools: boolean;
  /** The guard preload (out/preload/hostedGuard.cjs) and the app whose rules it enforces. */
  guardPreloadPath: string;
  rules: HostedAppRules;
}

export function hostedWebPreferences({ partition, allowDevTools, guardPreloadPath, rules }: HostedPreferencesOptions): WebPreferences {
  return {
    ...lockedDownWebPreferences({ allowDevTools }),
    partition,
    preload: guardPreloadPath,
    // Rules only: the watermark (who is signed in) goes over IPC (guardWatermark.ts), since
    // renderer arguments are readable by any local user in the process list.
    additionalArguments: [encodeGuardArgument(guardArgumentFor(rules))],
    // Runs the guard preload in every frame, iframes included. Node stays off: the
    // sandbox gives sub-frame preloads no Node, exactly as it does the main frame's.
    nodeIntegrationInSubFrames: true,
    // Hosted pages must not autoplay media or keep running unseen behind another tab.
    autoplayPolicy: 'user-gesture-required',
    backgroundThrottling: true,
  };
}

/** Forgets everything a session holds: cookies, storage, caches, HTTP auth. */
export async function wipeSession(session: Pick<Session, 'clearStorageData' | 'clearCache' | 'clearAuthCache'>): Promise<void> {
  await session.clearStorageData();
  await session.clearCache();
  await session.clearAuthCache();
}

/** The Electron pieces this module needs, passed in so it is testable without Electron. */
export interface HostingElectron {
  WebContentsView: new (options: WebContentsViewConstructorOptions) => WebContentsView;
  sessionFor: (partition: string) => HostedSession & ProxySession & Pick<Session, 'clearStorageData' | 'clearCache' | 'clearAuthCache' | 'fetch'>;
}

export interface HostedAppsOptions {
  policy: Policy;
  navigation: NavigationRules;
  audit: AuditSink;
  allowDevTools: boolean;
  guardPreloadPath: string;
  /** out/preload/serviceWorkerGuard.cjs: every hosted session's service workers run it. */
  serviceWorkerGuardPath: string;
  /** Where the guard's reports go; a service worker's come in on its own ipc. */
  reports: Pick<GuardReports, 'listen'>;
  /** Copied text of the hosted apps: wiped with their sessions. */
  clipboard: WorkspaceClipboard;
  /** The watermark for pages opened now: null while nobody is signed in (then nothing opens). */
  watermark: () => GuardWatermark | null;
  electron: HostingElectron;
  /** Told when an app signs the VA out (one of its signed-out pages showed), and when it shows its own pages again. */
  onSignedOut?: SignedOutListener;
}

export class HostedApps {
  private readonly views = new Map<string, WebContentsView>();
  /** webContents id → app rules, for the session's request and permission handlers. */
  private readonly byContents = new Map<number, HostedAppRules>();
  /** Partition → its network allowlist, applied once when the session is hardened. */
  private readonly hardened = new Map<string, Promise<void>>();
  /** Every hosted webContents by id (views and the windows their pages opened). */
  private readonly contents = new Map<number, WebContents>();
  /** Hosted webContents granted the microphone. */
  private readonly microphones = new Set<number>();
  private readonly signedOut: SignedOutApps;

  constructor(private readonly options: HostedAppsOptions) {
    this.signedOut = new SignedOutApps(options.audit, options.onSignedOut ?? (() => undefined));
  }

  /** What the hosted sessions ask about each request: null means deny everything. */
  readonly appFor = (webContentsId: number | undefined): HostedAppRules | null =>
    webContentsId === undefined ? null : (this.byContents.get(webContentsId) ?? null);

  /** The only way to a hosted session: hardened on first use, by one function. */
  session(partition: string) {
    const session = this.options.electron.sessionFor(partition);
    if (!this.hardened.has(partition)) {
      // Service workers and workers have no webContents: they get their partition's rules.
      const lookup = (id: number | undefined) => (id === undefined ? this.workerRules(partition) : this.appFor(id));
      const serviceWorkers = {
        preloadPath: this.options.serviceWorkerGuardPath,
        onWorker: (worker: GuardedWorker) => this.options.reports.listen(worker.ipc, () => ({ key: `worker:${partition}:${worker.versionId}`, rules: this.workerRules(partition) })),
      };
      hardenHostedSession(session, lookup, this.options.audit, serviceWorkers, (id, permission, mediaTypes) => {
        if (permission === 'media' && mediaTypes.includes('audio')) this.microphones.add(id);
      });
      this.hardened.set(partition, applyNetworkAllowlist(session, this.partitionOrigins(partition)));
    }
    return session;
  }

  /**
   * The origins a partition's network allowlist lets out: its apps' origins and the
   * identity provider (single sign-on runs in these sessions), and in the practice
   * session, where the sign-in window runs, the IdP's asset origins.
   */
  private partitionOrigins(partition: string): string[] {
    const { apps, identity } = this.options.policy;
    const own = apps.filter((app) => partitionFor(app) === partition).flatMap((app) => [...app.navigationOrigins, ...app.requestOrigins]);
    return [...own, new URL(identity.issuer).origin, ...(partition === PRACTICE_PARTITION ? identity.requestOrigins : [])];
  }

  /** The view for `appId`, created (and loaded) on first use. */
  view(appId: string): WebContentsView {
    const existing = this.views.get(appId);
    if (existing !== undefined) return existing;
    const app = this.options.policy.apps.find((a) => a.id === appId);
    if (app === undefined) throw new Error(`app ${appId} is not approved by the policy`);
    const partition = partitionFor(app);
    this.session(partition);
    const rules = hostedAppRules(this.options.policy, app);
    const webPreferences = this.preferences(partition, rules);
    if (webPreferences === null) throw new Error('no hosted app opens while nobody is signed in: there is no one to name in its watermark');
    const view = new this.options.electron.WebContentsView({ webPreferences });
    this.adopt(view.webContents, rules, partition);
    this.signedOut.watch(view.webContents, app);
    this.views.set(appId, view);
    this.options.audit.record({ type: 'app.opened', outcome: 'success', appId });
    view.webContents.once('destroyed', () => this.options.audit.record({ type: 'app.closed', outcome: 'success', appId }));
    // Nothing loads before the network allowlist is in place; if it cannot be, nothing loads (fail closed).
    void (this.hardened.get(partition) ?? Promise.reject(new Error('session not hardened'))).then(
      () => view.webContents.loadURL(app.startUrl),
      () => this.options.audit.record({ type: 'request.blocked', outcome: 'blocked', appId, reason: 'network-allowlist-not-applied' }),
    );
    return view;
  }

  /** Loads an open app's start page again (after it signed the VA out: single sign-on, or its own sign-in). */
  reopen(appId: string): void {
    const app = this.options.policy.apps.find((a) => a.id === appId);
    const view = this.views.get(appId);
    // A load that fails shows Chromium's error page in the view, which is answer enough.
    if (app !== undefined && view !== undefined && !view.webContents.isDestroyed()) view.webContents.loadURL(app.startUrl).catch(() => undefined);
  }

  /**
   * A document from an app's approved origin, fetched by main in that app's session once
   * its network allowlist is in place: the app's request rules decide, as for its pages.
   */
  async fetchApproved(url: string, limits: FetchLimits): Promise<Uint8Array> {
    const app = this.options.policy.apps.find((candidate) => decideRequest(hostedAppRules(this.options.policy, candidate), url).allowed);
    if (app === undefined) throw new HostedFetchError('not-approved', 'the address is not on an approved origin of any app');
    const partition = partitionFor(app);
    const session = this.session(partition);
    await this.hardened.get(partition);
    return fetchThroughSession(session, url, limits);
  }

  /**
   * The sign-in window shares the practice session (that is what gives single sign-on),
   * so the session's filter must know it: its frames may go to the IdP and approved
   * origins only; its subresources may also come from the IdP's asset origins.
   */
  registerSignInWindow(contents: WebContents, scope: SignInScope): void {
    this.session(PRACTICE_PARTITION);
    // The IdP's pages get no guard; their WebRTC stays inside the proxy all the same.
    contents.setWebRTCIPHandlingPolicy('disable_non_proxied_udp');
    const rules = originsOnlyRules('sign-in', scope, this.options.policy.environment === 'demo');
    this.byContents.set(contents.id, rules);
    contents.once('destroyed', () => this.byContents.delete(contents.id));
  }

  /**
   * What a worker of a partition may reach: the origins of the apps sharing it, and
   * nothing else (no permissions, downloads, printing, uploads or clipboard).
   */
  private workerRules(partition: string): HostedAppRules | null {
    const apps = this.options.policy.apps.filter((app) => partitionFor(app) === partition);
    if (apps.length === 0) return null;
    const union = (pick: (rules: HostedAppRules) => readonly string[]) => [...new Set(apps.flatMap((app) => pick(hostedAppRules(this.options.policy, app))))];
    const appId = apps.length === 1 && apps[0] !== undefined ? apps[0].id : 'practice-workers';
    return originsOnlyRules(appId, { navigation: union((r) => r.navigationOrigins), request: union((r) => r.requestOrigins) }, this.options.policy.environment === 'demo');
  }

  /**
   * Whether an app holding a granted microphone is playing audio now: Electron reports no
   * live capture, so "microphone granted and the other side audible" stands for a call.
   */
  isInActiveCall(): boolean {
    for (const id of this.microphones) {
      const contents = this.contents.get(id);
      if (contents !== undefined && !contents.isDestroyed() && contents.isCurrentlyAudible()) return true;
    }
    return false;
  }

  /** Closes every view and forgets it (sign-out); sessions are wiped by the caller. */
  destroyAll(): void {
    for (const view of this.views.values()) {
      if (!view.webContents.isDestroyed()) view.webContents.close();
    }
    this.views.clear();
    this.byContents.clear();
    this.contents.clear();
    this.microphones.clear();
    this.signedOut.forgetAll();
  }

  /** The partitions in use, so sign-out can wipe each one. */
  partitions(): string[] {
    return [...new Set([PRACTICE_PARTITION, ...this.options.policy.apps.map(partitionFor)])];
  }

  /** Sign-out: close every view, wipe the workspace clipboard, then clear cookies, storage and caches of every hosted session. */
  async wipeAllSessions(): Promise<void> {
    this.destroyAll();
    this.options.clipboard.wipe();
    await Promise.all(this.partitions().map((partition) => wipeSession(this.options.electron.sessionFor(partition))));
  }

  /** Null while nobody is signed in: no page is hosted without a watermark naming who is looking. */
  private preferences(partition: string, rules: HostedAppRules): WebPreferences | null {
    if (this.options.watermark() === null) return null;
    return hostedWebPreferences({ partition, rules, allowDevTools: this.options.allowDevTools, guardPreloadPath: this.options.guardPreloadPath });
  }

  /** Binds a webContents (a view, or a window a hosted page opened) to its app's rules. */
  private adopt(contents: WebContents, rules: HostedAppRules, partition: string): void {
    // WebRTC may not send UDP outside the proxy: no STUN or peer traffic around the allowlist.
    contents.setWebRTCIPHandlingPolicy('disable_non_proxied_udp');
    this.byContents.set(contents.id, rules);
    this.contents.set(contents.id, contents);
    contents.once('destroyed', () => {
      this.byContents.delete(contents.id);
      this.contents.delete(contents.id);
      this.microphones.delete(contents.id);
    });
    const windowOptions = (url: string): BrowserWindowConstructorOptions | null => {
      const webPreferences = decideWindowOpen(rules, url).allowed ? this.preferences(partition, rules) : null;
      return webPreferences === null ? null : { autoHideMenuBar: true, webPreferences };
    };
    this.options.navigation.set(contents, (url) => (decideNavigation(rules, url).allowed ? 'allow' : 'deny'), windowOptions, rules.appId);
    // A window an approved page opens belongs to the same app: same rules, same lookup.
    contents.on('did-create-window', (window) => this.adopt(window.webContents, rules, partition));
  }
}
