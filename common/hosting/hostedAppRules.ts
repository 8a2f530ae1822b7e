// What a hosted app may do, decided from its policy: deny by default. Pure functions,
// shared by the Electron wiring (main/) and the Chromium conformance host (test/), so
// both enforce exactly the same rules. Origins are compared as parsed values.
import type { AppPolicy, CLIPBOARD_MODES, GrantablePermission, Policy } from '../policy/policySchema';

export type ClipboardMode = (typeof CLIPBOARD_MODES)[number];
import { auditableOrigin } from '../audit/auditSink';
import { isLoopbackHttp, parseUrl } from '../net/origin';

export interface HostedAppRules {
  appId: string;
  navigationOrigins: readonly string[];
  /** Navigation origins plus the app's extra request origins. */
  requestOrigins: readonly string[];
  permissions: readonly GrantablePermission[];
  downloads: 'allow' | 'deny';
  printing: 'allow' | 'deny';
  uploads: 'allow' | 'deny';
  /** The practice-wide clipboard mode, enforced in each app's pages by the guard. */
  clipboard: ClipboardMode;
  /** Plain http/ws to 127.0.0.1 is allowed only under a demo policy. */
  allowLoopbackHttp: boolean;
}

/** What a navigation decision needs: where frames may go, and the transport rule. */
export type NavigationScope = Pick<HostedAppRules, 'navigationOrigins' | 'allowLoopbackHttp'>;

export type Verdict = { allowed: true } | { allowed: false; reason: string; origin: string };

export function hostedAppRules(policy: Policy, app: AppPolicy): HostedAppRules {
  return {
    appId: app.id,
    navigationOrigins: app.navigationOrigins,
    requestOrigins: [...new Set([...app.navigationOrigins, ...app.requestOrigins])],
    permissions: app.permissions,
    downloads: app.downloads,
    printing: app.printing,
    uploads: app.uploads,
    clipboard: policy.clipboard.mode,
    allowLoopbackHttp: policy.environment === 'demo',
  };
}

/** Rules that may reach these origins and nothing more: no permissions, downloads, printing, uploads or clipboard. */
export function originsOnlyRules(appId: string, origins: { navigation: readonly string[]; request: readonly string[] }, allowLoopbackHttp: boolean): HostedAppRules {
  return { appId, navigationOrigins: origins.navigation, requestOrigins: origins.request, permissions: [], downloads: 'deny', printing: 'deny', uploads: 'deny', clipboard: 'blocked', allowLoopbackHttp };
}

const ALLOW: Verdict = { allowed: true };

const deny = (reason: string, url: string): Verdict => ({ allowed: false, reason, origin: auditableOrigin(url) });

/** Transport check: https (wss) everywhere; http (ws) only to loopback under a demo policy. */
function transportVerdict(url: URL, rules: Pick<HostedAppRules, 'allowLoopbackHttp'>): Verdict {
  if (url.protocol === 'https:' || url.protocol === 'wss:') return ALLOW;
  if (url.protocol === 'http:' || url.protocol === 'ws:') {
    const asHttp = `http://${url.host}`;
    return rules.allowLoopbackHttp && isLoopbackHttp(asHttp) ? ALLOW : deny('insecure-transport', url.href);
  }
  return deny('scheme-not-allowed', url.href);
}

/** A websocket URL's origin compares as the http(s) origin of the same host. */
function webOrigin(url: URL): string {
  const protocol = url.protocol === 'wss:' ? 'https:' : url.protocol === 'ws:' ? 'http:' : url.protocol;
  return new URL(`${protocol}//${url.host}`).origin;
}

/** Frame navigations (top level, iframes, redirects, form posts, meta refresh). */
export function decideNavigation(rules: NavigationScope, rawUrl: string): Verdict {
  // Empty frames are how pages build iframes; they carry no content from elsewhere.
  if (rawUrl === 'about:blank' || rawUrl === 'about:srcdoc') return ALLOW;
  const url = parseUrl(rawUrl);
  if (url === null) return deny('invalid-url', rawUrl);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return deny('scheme-not-allowed', rawUrl);
  const transport = transportVerdict(url, rules);
  if (!transport.allowed) return transport;
  return rules.navigationOrigins.includes(url.origin) ? ALLOW : deny('origin-not-approved', rawUrl);
}

/** Subresource requests: fetch, XHR, websockets, beacons, images, scripts, workers. */
export function decideRequest(rules: HostedAppRules, rawUrl: string): Verdict {
  const url = parseUrl(rawUrl);
  if (url === null) return deny('invalid-url', rawUrl);
  // Data the page already holds: no network, nothing leaves.
  if (url.protocol === 'data:' || url.protocol === 'blob:') return ALLOW;
  const transport = transportVerdict(url, rules);
  if (!transport.allowed) return transport;
  return rules.requestOrigins.includes(webOrigin(url)) ? ALLOW : deny('origin-not-approved', rawUrl);
}

/** window.open and target=_blank: only to approved origins, and then inside Cordon. */
export function decideWindowOpen(rules: NavigationScope, rawUrl: string): Verdict {
  return decideNavigation(rules, rawUrl);
}

/** Schemes that would hand the URL to another program (mailto:, tel:, custom schemes). */
export function isExternalProtocol(rawUrl: string): boolean {
  const url = parseUrl(rawUrl);
  if (url === null) return false;
  return !['http:', 'https:', 'ws:', 'wss:', 'data:', 'blob:', 'about:', 'javascript:', 'file:'].includes(url.protocol);
}

/** Electron permission names (and media types) mapped to what a policy can grant. */
export function decidePermission(rules: HostedAppRules, permission: string, mediaTypes: readonly string[] = []): Verdict {
  const denyPermission = (name: string): Verdict => ({ allowed: false, reason: `permission-${name}`, origin: 'permission' });
  if (permission === 'media') {
    if (mediaTypes.length === 0) return denyPermission('media');
    for (const type of mediaTypes) {
      const needed: GrantablePermission | null = type === 'audio' ? 'microphone' : type === 'video' ? 'camera' : null;
      if (needed === null || !rules.permissions.includes(needed)) return denyPermission(needed ?? `media-${type}`);
    }
    return ALLOW;
  }
  const grantable = ['notifications', 'geolocation', 'fullscreen', 'clipboard-sanitized-write'] as const;
  const match = grantable.find((p) => p === permission);
  return match !== undefined && rules.permissions.includes(match) ? ALLOW : denyPermission(permission);
}
