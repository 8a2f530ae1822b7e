// A network allowlist below the request filter. Electron's webRequest does not see every
// way out of a page: WebSockets opened by service and shared workers skip onBeforeRequest
// (electron/electron#47857), WebTransport is never filtered, resource hints preconnect
// (the session's 'preconnect' event) and DNS prefetch resolve hostnames the page chose.
// So Cordon also narrows the network stack itself, from the same policy:
// - per hosted session, a PAC script (session.setProxy) that sends approved hosts DIRECT
//   and everything else to a closed port on loopback;
// - process-wide, Chromium's host-resolver-rules, so an unapproved name is never even
//   looked up (a subdomain is a channel: syn-0001.evil.example reaches evil's DNS).
// Both work by host, not origin: ports and schemes stay the request filter's to decide.
// Chromium never consults either for loopback (127.0.0.1, localhost go DIRECT), so in a
// demo policy on 127.0.0.1 they narrow nothing between local ports.
import type { Policy } from '../../common/policy/policySchema';

/** Where unapproved hosts are sent: the discard port on loopback, which nothing serves. */
export const CLOSED_PROXY = 'PROXY 127.0.0.1:9';

/** Hostname characters a rule may hold: anything else (a comma, a space) could add rules. */
const SAFE_HOST = /^(?:[a-z0-9-]+(?:\.[a-z0-9-]+)*|\[[0-9a-f:.]+\])$/;

/** The hosts of `origins`, lower-case and deduplicated; throws on one that cannot be a plain host. */
export function hostsOf(origins: readonly string[]): string[] {
  const hosts = origins.map((origin) => new URL(origin).hostname.toLowerCase());
  for (const host of hosts) if (!SAFE_HOST.test(host)) throw new Error(`not a plain host name: ${host}`);
  return [...new Set(hosts)].sort();
}

/**
 * Every origin Cordon's Chromium network stack may reach under this policy: the apps'
 * navigation and request origins, the identity provider and its asset origins, the audit
 * collector, and the update feed.
 */
export function policyOrigins(policy: Policy): string[] {
  const { apps, identity, audit, updates } = policy;
  const feed = updates.feedUrl === undefined ? [] : [new URL(updates.feedUrl).origin];
  return [...apps.flatMap((app) => [...app.navigationOrigins, ...app.requestOrigins]), new URL(identity.issuer).origin, ...identity.requestOrigins, new URL(audit.collectorUrl).origin, ...feed];
}

/**
 * The value of Chromium's --host-resolver-rules: every name resolves to "not found"
 * unless it is approved. Chromium checks EXCLUDE entries before any MAP.
 */
export function hostResolverRules(origins: readonly string[]): string {
  return ['MAP * ~NOTFOUND', ...hostsOf(origins).map((host) => `EXCLUDE ${host}`)].join(' , ');
}

/** A PAC script, as the data: URL session.setProxy takes, that lets only the hosts of `origins` out. */
export function allowlistPacScript(origins: readonly string[]): string {
  const approved = JSON.stringify(hostsOf(origins));
  const script = `function FindProxyForURL(url, host) {
  var approved = ${approved};
  var name = host.toLowerCase();
  for (var i = 0; i < approved.length; i++) if (approved[i] === name) return "DIRECT";
  return "${CLOSED_PROXY}";
}`;
  return `data:application/x-ns-proxy-autoconfig;base64,${Buffer.from(script, 'utf8').toString('base64')}`;
}

/** The part of Electron's Session this needs. */
export interface ProxySession {
  setProxy(config: { mode: 'pac_script'; pacScript: string }): Promise<void>;
}

/** Installs the allowlist on a hosted session; resolves once Chromium applied it. */
export function applyNetworkAllowlist(session: ProxySession, origins: readonly string[]): Promise<void> {
  return session.setProxy({ mode: 'pac_script', pacScript: allowlistPacScript(origins) });
}

/** The parts of Electron's app this needs. */
export interface ResolverApp {
  isReady(): boolean;
  commandLine: { appendSwitch(name: string, value?: string): void };
}

/**
 * Appends --host-resolver-rules from the policy. Chromium reads it when its network
 * service starts, so it counts only before 'ready': later, nothing is appended and the
 * caller learns it (the PAC allowlist and the request filter still hold).
 */
export function applyHostResolverRules(app: ResolverApp, policy: Policy): 'applied' | 'too-late' {
  if (app.isReady()) return 'too-late';
  app.commandLine.appendSwitch('host-resolver-rules', hostResolverRules(policyOrigins(policy)));
  return 'applied';
}
