// Workspace-mode sign-in: the IdP's pages open in a Cordon window inside the practice's
// in-memory session, so the IdP's cookie is where the hosted apps will look for it
// (single sign-on). The redirect back is intercepted before any page can load it.
import type { BrowserWindow, BrowserWindowConstructorOptions, WebContents } from 'electron';
import { AuthError } from '../../common/auth/authErrors';
import { signInNavigation, WORKSPACE_POST_LOGOUT_URI, WORKSPACE_REDIRECT_URI } from '../../common/auth/signInNavigation';
import { lockedDownWebPreferences } from '../shell/lockedDownWebPreferences';
import type { NavigationRules } from '../shell/navigationRules';
import type { RedirectChannel } from './signInService';

/** The practice's shared session: no "persist:" prefix, so nothing is written to disk. */
export const PRACTICE_PARTITION = 'cordon-practice';

export function signInWindowOptions({ parent, allowDevTools }: { parent: BrowserWindow | null; allowDevTools: boolean }): BrowserWindowConstructorOptions {
  return {
    ...(parent === null ? {} : { parent, modal: true }),
    width: 520,
    height: 720,
    title: 'Sign in',
    autoHideMenuBar: true,
    // No preload: IdP pages get no bridge to Cordon.
    webPreferences: { ...lockedDownWebPreferences({ allowDevTools }), partition: PRACTICE_PARTITION },
  };
}

export interface WorkspaceSignInOptions {
  BrowserWindow: new (options: BrowserWindowConstructorOptions) => BrowserWindow;
  parent: () => BrowserWindow | null;
  navigation: NavigationRules;
  /** Origins the sign-in pages may visit: the IdP's, plus those IT approved for the apps. */
  allowedOrigins: readonly string[];
  allowDevTools: boolean;
  /** Lets the practice session's request filter know this window and what it may reach. */
  register: (contents: WebContents) => void;
}

/** Loads `url` in a practice-session window until Cordon catches `redirectUri`. */
function visitUntilRedirect(options: WorkspaceSignInOptions, url: string, redirectUri: string, { show }: { show: boolean }): Promise<string> {
  return new Promise((resolve, reject) => {
    const window = new options.BrowserWindow({ ...signInWindowOptions({ parent: options.parent(), allowDevTools: options.allowDevTools }), show });
    let settled = false;
    options.register(window.webContents);
    options.navigation.set(window.webContents, (target) => {
      const decision = signInNavigation(target, { redirectUris: [redirectUri], allowedOrigins: options.allowedOrigins });
      if (decision !== 'callback') return decision;
      return {
        intercept: (callbackUrl) => {
          settled = true;
          resolve(callbackUrl);
          window.close();
        },
      };
    });
    window.on('closed', () => {
      if (!settled) reject(new AuthError('cancelled', 'the sign-in window was closed'));
    });
    window.loadURL(url).catch(() => {
      // A failed load (IdP went away mid-attempt) must not leave the promise hanging.
      if (!settled && !window.isDestroyed()) window.close();
    });
  });
}

export function workspaceRedirectChannel(options: WorkspaceSignInOptions): RedirectChannel {
  return {
    redirectUri: WORKSPACE_REDIRECT_URI,
    run: (authorizationUrl) => visitUntilRedirect(options, authorizationUrl, WORKSPACE_REDIRECT_URI, { show: true }),
    dispose: () => undefined,
  };
}

/** RP-initiated logout in the practice session, out of sight; gives up after `timeoutMs`. */
export async function endIdpSessionInWorkspace(options: WorkspaceSignInOptions, endSessionUrl: string, timeoutMs = 10_000): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    visitUntilRedirect(options, endSessionUrl, WORKSPACE_POST_LOGOUT_URI, { show: false }).catch(() => undefined),
    new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs))),
  ]);
  clearTimeout(timer);
}
