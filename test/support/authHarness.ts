// Wires a real SignInService to a running demo IdP, with a scripted user agent as the
// browser. Only the OS keychain is a stand-in (FakeKeychain): it cannot exist here.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DEMO_CLIENT_ID } from '../../demo/idp/demoIdp';
import { DEMO_ACR, DEMO_USERS, type DemoUser } from '../../demo/idp/demoUsers';
import { openLoopbackChannel } from '../../main/auth/loopbackRedirect';
import { OidcClient, type OidcSettings, type OidcTestHooks } from '../../main/auth/oidcClient';
import { SignInService, type SignInDependencies } from '../../main/auth/signInService';
import { TokenVault } from '../../main/auth/tokenVault';
import type { SecretCipher } from '../../main/secrets/secretCipher';
import { RecordingAuditSink } from './electronFakes';
import { ScriptedUserAgent } from './scriptedUserAgent';

/** Test double for Electron safeStorage (the OS keychain is not available here). */
export class FakeKeychain implements SecretCipher {
  constructor(private readonly backend = 'gnome_libsecret') {}
  isEncryptionAvailable(): boolean {
    return true;
  }
  getSelectedStorageBackend(): string {
    return this.backend;
  }
  encryptString(plainText: string): Buffer {
    return Buffer.from(Buffer.from(plainText, 'utf8').map((b) => b ^ 0x5a));
  }
  decryptString(encrypted: Buffer): string {
    return Buffer.from(encrypted.map((b) => b ^ 0x5a)).toString('utf8');
  }
}

export function demoUser(username: string): DemoUser {
  const user = DEMO_USERS.find((u) => u.username === username);
  if (user === undefined) throw new Error(`no demo user ${username}`);
  return user;
}

export function settingsFor(issuer: string, overrides: Partial<OidcSettings> = {}): OidcSettings {
  return { issuer, clientId: DEMO_CLIENT_ID, scopes: ['openid', 'profile', 'email', 'roles'], acrValues: [DEMO_ACR.mfa], allowInsecureLoopback: true, ...overrides };
}

export interface Harness {
  service: SignInService;
  deps: SignInDependencies;
  audit: RecordingAuditSink;
  vault: TokenVault;
  /** Who the scripted browser signs in as on the next attempt. */
  user: { current: DemoUser };
  agent: ScriptedUserAgent;
  authorizationUrls: string[];
  loggedOut: string[];
  wiped: { count: number };
}

export function harness(issuer: string, options: { hooks?: OidcTestHooks; settings?: Partial<OidcSettings>; tamperCallback?: (url: string) => string; browser?: (url: string) => Promise<void> } = {}): Harness {
  const audit = new RecordingAuditSink();
  const vault = new TokenVault(new FakeKeychain(), path.join(mkdtempSync(path.join(tmpdir(), 'cordon-vault-')), 'session.bin'), 'linux');
  const user = { current: demoUser('valerie') };
  const agent = new ScriptedUserAgent();
  const authorizationUrls: string[] = [];
  const loggedOut: string[] = [];
  const wiped = { count: 0 };
  const tamper = options.tamperCallback ?? ((url: string) => url);
  const browser =
    options.browser ??
    (async (url: string) => {
      authorizationUrls.push(url);
      const redirectUri = new URL(url).searchParams.get('redirect_uri') ?? '';
      const callback = await agent.signIn(url, redirectUri, user.current);
      // The browser follows the redirect to Cordon's loopback listener.
      await fetch(tamper(callback));
    });
  const deps: SignInDependencies = {
    settings: { ...settingsFor(issuer, options.settings), rolesClaim: 'roles', mfa: { acrValues: [], amrMethods: ['otp'] } },
    connect: (settings) => OidcClient.connect(settings, options.hooks),
    openChannel: () => openLoopbackChannel({ openBrowser: browser, timeoutMs: 5_000 }),
    vault,
    audit,
    endIdpSession: async (url) => {
      loggedOut.push(url);
    },
    wipeSessions: async () => {
      wiped.count += 1;
    },
    postLogoutRedirectUri: null,
    setTimer: () => ({ cancel: () => undefined }),
  };
  return { service: new SignInService(deps), deps, audit, vault, user, agent, authorizationUrls, loggedOut, wiped };
}
