// Builds the sign-in service for a policy from Electron's objects (passed in, so this
// wiring is testable without the Electron binary).
import path from 'node:path';
import type { BrowserWindow, BrowserWindowConstructorOptions, Shell, WebContents } from 'electron';
import { isLoopbackHttp, originOf } from '../../common/net/origin';
import type { AuditSink } from '../../common/audit/auditSink';
import type { Policy } from '../../common/policy/policySchema';
import type { NavigationRules } from '../shell/navigationRules';
import { openLoopbackChannel } from './loopbackRedirect';
import { OidcClient, type OidcSettings } from './oidcClient';
import { SignInService } from './signInService';
import { openInSystemBrowser } from './systemBrowser';
import type { SecretCipher } from '../secrets/secretCipher';
import { TokenVault } from './tokenVault';
import { endIdpSessionInWorkspace, workspaceRedirectChannel } from './workspaceSignIn';
import { signInScope, WORKSPACE_POST_LOGOUT_URI, type SignInScope } from '../../common/auth/signInNavigation';

export interface SignInElectron {
  BrowserWindow: new (options: BrowserWindowConstructorOptions) => BrowserWindow;
  shell: Pick<Shell, 'openExternal'>;
  safeStorage: SecretCipher;
  userDataDir: string;
  platform: NodeJS.Platform;
}

/** What sign-in needs from hosting: a place for the sign-in window, and the sessions to wipe. */
export interface SignInHosting {
  registerSignInWindow(contents: WebContents, scope: SignInScope): void;
  wipeAllSessions(): Promise<void>;
}

export function oidcSettingsFor(policy: Policy): OidcSettings {
  const { identity } = policy;
  return {
    issuer: identity.issuer,
    clientId: identity.clientId,
    scopes: identity.scopes,
    acrValues: identity.mfa.acrValues,
    ...(identity.maxAuthAgeSeconds === undefined ? {} : { maxAuthAgeSeconds: identity.maxAuthAgeSeconds }),
    // Plain http only for a demo policy's IdP on this machine (the schema enforces the rest).
    allowInsecureLoopback: policy.environment === 'demo' && isLoopbackHttp(identity.issuer),
  };
}

/** The sign-in window may visit the IdP and the origins IT approved for the apps (federated logins). */
export function signInOrigins(policy: Policy): string[] {
  const origins = new Set(policy.apps.flatMap((app) => app.navigationOrigins));
  const issuer = originOf(policy.identity.issuer);
  if (issuer !== null) origins.add(issuer);
  return [...origins];
}

export function createSignIn(
  policy: Policy,
  electron: SignInElectron,
  options: { navigation: NavigationRules; audit: AuditSink; parent: () => BrowserWindow | null; allowDevTools: boolean; hosting: SignInHosting },
): SignInService {
  // The IdP's CDNs (identity.requestOrigins) may serve the sign-in pages' assets, never be navigated to.
  const scope = signInScope(signInOrigins(policy), policy.identity.requestOrigins);
  const workspace = {
    BrowserWindow: electron.BrowserWindow,
    parent: options.parent,
    navigation: options.navigation,
    allowedOrigins: scope.navigation,
    allowDevTools: options.allowDevTools,
    register: (contents: WebContents) => options.hosting.registerSignInWindow(contents, scope),
  };
  const systemBrowser = policy.identity.signInMode === 'system-browser';
  return new SignInService({
    settings: { ...oidcSettingsFor(policy), rolesClaim: policy.identity.rolesClaim, mfa: policy.identity.mfa },
    connect: (settings) => OidcClient.connect(settings),
    openChannel: async () =>
      systemBrowser ? openLoopbackChannel({ openBrowser: (url) => openInSystemBrowser(electron.shell, url) }) : workspaceRedirectChannel(workspace),
    vault: new TokenVault(electron.safeStorage, path.join(electron.userDataDir, 'session.bin'), electron.platform),
    audit: options.audit,
    // System-browser mode: the IdP session lives in the browser, so logout happens there and
    // the IdP shows its own signed-out page (no redirect back).
    endIdpSession: (url) => (systemBrowser ? openInSystemBrowser(electron.shell, url) : endIdpSessionInWorkspace(workspace, url)),
    wipeSessions: () => options.hosting.wipeAllSessions(),
    postLogoutRedirectUri: systemBrowser ? null : WORKSPACE_POST_LOGOUT_URI,
  });
}
