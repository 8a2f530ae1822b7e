// The allowlist below the request filter: a PAC script per hosted session and
// Chromium's host-resolver-rules for the process, both from the policy.
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { policyV1Schema } from '../../../common/policy/policySchema';
import { allowlistPacScript, applyHostResolverRules, CLOSED_PROXY, hostResolverRules, hostsOf, policyOrigins } from '../../../main/network/networkAllowlist';
import { validPolicy } from '../../support/policyFixtures';

const policy = policyV1Schema.parse(validPolicy());

/** Runs the PAC script as Chromium's resolver would: FindProxyForURL(url, host). */
function pacAnswer(pacUrl: string, url: string): string {
  const prefix = 'data:application/x-ns-proxy-autoconfig;base64,';
  expect(pacUrl.startsWith(prefix)).toBe(true);
  const script = Buffer.from(pacUrl.slice(prefix.length), 'base64').toString('utf8');
  return runInNewContext(`${script}; FindProxyForURL(${JSON.stringify(url)}, ${JSON.stringify(new URL(url).hostname)})`) as string;
}

describe('the network allowlist', () => {
  it("covers the apps' origins, the identity provider and the collector", () => {
    expect(hostsOf(policyOrigins(policy))).toEqual(['api.ehr.example.com', 'audit.example.com', 'ehr.example.com', 'login.example.com']);
    // The update feed, when the policy names one, resolves too.
    const withFeed = policyV1Schema.parse(validPolicy({ updates: { channel: 'stable', feedUrl: 'https://updates.practice.example/cordon/' } }));
    expect(hostsOf(policyOrigins(withFeed))).toContain('updates.practice.example');
  });

  it('sends approved hosts DIRECT and everything else to the closed port', () => {
    const pac = allowlistPacScript(['https://ehr.example.com', 'https://login.example.com:8443']);
    expect(pacAnswer(pac, 'https://ehr.example.com/chart')).toBe('DIRECT');
    expect(pacAnswer(pac, 'wss://EHR.example.com/socket')).toBe('DIRECT');
    expect(pacAnswer(pac, 'https://login.example.com/authorize')).toBe('DIRECT');
    for (const url of ['https://evil.example/x', 'https://ehr.example.com.evil.example/', 'https://syn-0001.evil.example/', 'https://example.com/']) {
      expect(pacAnswer(pac, url)).toBe(CLOSED_PROXY);
    }
    expect(CLOSED_PROXY).toBe('PROXY 127.0.0.1:9');
  });

  it('resolves no name but the approved ones', () => {
    expect(hostResolverRules(policyOrigins(policy))).toBe('MAP * ~NOTFOUND , EXCLUDE api.ehr.example.com , EXCLUDE audit.example.com , EXCLUDE ehr.example.com , EXCLUDE login.example.com');
  });

  it('refuses a host that could smuggle another rule into the list', () => {
    expect(() => hostResolverRules(['https://a,b.example'])).toThrow('not a plain host name');
    expect(() => hostResolverRules(['https://a*b.example'])).toThrow('not a plain host name');
    expect(() => allowlistPacScript(['https://ehr"+"x.example.com'])).toThrow('not a plain host name');
  });

  it("appends --host-resolver-rules before 'ready', and never after", () => {
    const appended: [string, string | undefined][] = [];
    const app = (ready: boolean) => ({ isReady: () => ready, commandLine: { appendSwitch: (name: string, value?: string) => void appended.push([name, value]) } });
    expect(applyHostResolverRules(app(true), policy)).toBe('too-late');
    expect(appended).toEqual([]);
    expect(applyHostResolverRules(app(false), policy)).toBe('applied');
    expect(appended).toEqual([['host-resolver-rules', hostResolverRules(policyOrigins(policy))]]);
  });
});
