// Electron's executeInMainWorld serializes mainWorldGuard: it must work from its source
// text alone. So it is run here from that text, in a fresh V8 context with nothing of
// this module in scope, against stand-ins for the page's window and service workers.
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import { mainWorldGuard, type MainWorldGuardConfig } from '../../../preload/guard/mainWorldGuard';

function pageWorld(printing: 'allow' | 'deny', clipboard: 'blocked' | 'workspace' | 'inbound-only' = 'workspace', overrides: Partial<MainWorldGuardConfig> = {}) {
  const reports: unknown[] = [];
  const registered: string[] = [];
  const context = vm.createContext({ location: { href: 'https://ehr.example.com/chart' }, URL, Promise, DOMException: class extends Error {} });
  vm.runInContext(
    `var window = globalThis; window.print = function print() { printed += 1; }; var printed = 0;
     globalThis.Clipboard = class Clipboard { writeText() { return Promise.resolve('os'); } write() { return Promise.resolve('os'); } readText() { return Promise.resolve('OS TEXT'); } read() { return Promise.resolve([]); } };
     // Web IDL interfaces are properties of the global object, as in a page.
     globalThis.ServiceWorkerContainer = class ServiceWorkerContainer { register(url) { registered.push(String(url)); return Promise.resolve('registered'); } };
     // Ways out the request filter does not see, recording what they were given.
     var peers = [];
     globalThis.RTCPeerConnection = class RTCPeerConnection { constructor(c) { peers.push(c); } setConfiguration(c) { peers.push(c); } };
     globalThis.webkitRTCPeerConnection = globalThis.RTCPeerConnection;
     globalThis.WebTransport = class WebTransport { constructor(url) { opened.push(url); } };
     globalThis.SharedWorker = class SharedWorker { constructor(url) { opened.push(url); } };
     var opened = [];
     for (const picker of ['showOpenFilePicker', 'showSaveFilePicker', 'showDirectoryPicker']) globalThis[picker] = () => Promise.resolve(picker + ' opened');`,
    Object.assign(context, { registered }),
  );
  const run = vm.runInContext(`(${mainWorldGuard.toString()})`, context) as typeof mainWorldGuard;
  const workspace: string[] = [];
  const installed = run({ printing, uploads: 'deny', downloads: 'deny', navigationOrigins: ['https://ehr.example.com'], clipboard, calls: 'deny', iceHosts: ['ehr.example.com', 'turn.ehr.example.com'], ...overrides }, (r) => reports.push(r), (text) => workspace.push(text));
  return { context, installed, reports, registered, workspace, evaluate: (code: string) => vm.runInContext(code, context) as unknown };
}

describe('main-world guard (from its serialized source)', () => {
  it('refuses WebRTC, WebTransport and SharedWorker, for good, in an app without call permissions', () => {
    const page = pageWorld('deny');
    for (const attempt of ['new RTCPeerConnection({ iceServers: [{ urls: "stun:evil.example:3478" }] })', 'new webkitRTCPeerConnection({})', 'new WebTransport("https://evil.example:4433/")', 'new SharedWorker("/worker.js")']) {
      expect(() => page.evaluate(attempt)).toThrow(/blocked by Cordon/);
    }
    expect(page.evaluate('peers.length + opened.length')).toBe(0);
    expect(page.reports).toEqual([
      { block: 'service-worker', reason: 'webrtc-not-permitted' },
      { block: 'service-worker', reason: 'webrtc-not-permitted' },
      { block: 'service-worker', reason: 'webtransport-not-permitted' },
      { block: 'service-worker', reason: 'shared-worker-not-permitted' },
    ]);
    expect(() => page.evaluate('"use strict"; window.RTCPeerConnection = function () {}')).toThrow();
    expect(page.evaluate('delete window.WebTransport')).toBe(false);
  });

  it('lets a calling app use WebRTC only through TURN relays on its own hosts', () => {
    const page = pageWorld('deny', 'workspace', { calls: 'allow' });
    page.evaluate(`new RTCPeerConnection({ iceServers: [
      { urls: 'stun:stun.evil.example:3478' },
      { urls: ['turns:turn.ehr.example.com:443?transport=tcp', 'turn:evil.example:3478'], username: 'u', credential: 'c' },
    ], iceTransportPolicy: 'all' })`);
    page.evaluate(`new RTCPeerConnection().setConfiguration({ iceServers: [{ urls: 'turn:TURN.ehr.example.com' }] })`);
    expect(JSON.parse(JSON.stringify(page.evaluate('peers')))).toEqual([
      { iceServers: [{ urls: ['turns:turn.ehr.example.com:443?transport=tcp'], username: 'u', credential: 'c' }], iceTransportPolicy: 'relay' },
      { iceServers: [], iceTransportPolicy: 'relay' },
      { iceServers: [{ urls: ['turn:TURN.ehr.example.com'] }], iceTransportPolicy: 'relay' },
    ]);
    expect(page.evaluate('new RTCPeerConnection() instanceof RTCPeerConnection')).toBe(true);
    expect(page.reports).toEqual([{ block: 'service-worker', reason: 'ice-server-not-approved' }]);
  });

  it('keeps all three File System Access pickers closed when uploads and downloads are denied', async () => {
    const page = pageWorld('deny');
    for (const picker of ['showOpenFilePicker', 'showSaveFilePicker', 'showDirectoryPicker']) {
      await expect(page.evaluate(`${picker}()`) as Promise<unknown>).rejects.toThrow(/blocked by Cordon/);
      expect(page.evaluate(`Object.getOwnPropertyDescriptor(window, '${picker}').configurable`)).toBe(false);
    }
    expect(page.reports).toEqual([
      { block: 'upload', reason: 'file-picker' },
      { block: 'upload', reason: 'save-file-picker' },
      { block: 'upload', reason: 'directory-picker' },
    ]);
  });

  it('leaves the save and directory pickers alone only when both uploads and downloads are allowed', async () => {
    const page = pageWorld('deny', 'workspace', { uploads: 'allow', downloads: 'allow' });
    await expect(page.evaluate('showSaveFilePicker()') as Promise<unknown>).resolves.toBe('showSaveFilePicker opened');
    await expect(page.evaluate('showDirectoryPicker()') as Promise<unknown>).resolves.toBe('showDirectoryPicker opened');
    const downloadsDenied = pageWorld('deny', 'workspace', { uploads: 'allow', downloads: 'deny' });
    await expect(downloadsDenied.evaluate('showSaveFilePicker()') as Promise<unknown>).rejects.toThrow(/blocked by Cordon/);
    await expect(downloadsDenied.evaluate('showOpenFilePicker()') as Promise<unknown>).resolves.toBe('showOpenFilePicker opened');
  });

  it('replaces print with a report, and the page cannot put the original back', () => {
    const page = pageWorld('deny');
    // The preload checks this answer and fails loudly without it.
    expect(page.installed).toBe(true);
    page.evaluate('window.print()');
    expect(page.evaluate('printed')).toBe(0);
    expect(page.reports).toEqual([{ block: 'print', reason: 'window-print' }]);
    expect(() => page.evaluate('"use strict"; window.print = function () { printed += 1; }')).toThrow();
    expect(() => page.evaluate('Object.defineProperty(window, "print", { value: () => {} })')).toThrow();
    expect(page.evaluate('delete window.print')).toBe(false);
  });

  it('leaves print alone when the policy allows printing', () => {
    const page = pageWorld('allow');
    page.evaluate('window.print()');
    expect(page.evaluate('printed')).toBe(1);
    expect(page.reports).toEqual([]);
  });

  it('refuses service workers from unapproved origins and registers approved ones', async () => {
    const page = pageWorld('deny');
    await expect(page.evaluate('new ServiceWorkerContainer().register("https://evil.example/sw.js")') as Promise<unknown>).rejects.toThrow(/blocked by Cordon/);
    await expect(page.evaluate('new ServiceWorkerContainer().register("/sw.js")') as Promise<unknown>).resolves.toBe('registered');
    expect(page.registered).toEqual(['/sw.js']);
    expect(page.reports).toEqual([{ block: 'service-worker', origin: 'https://evil.example', reason: 'origin-not-approved' }]);
  });

  it('sends Clipboard API writes to the workspace clipboard in workspace mode, and refuses reads', async () => {
    const page = pageWorld('deny', 'workspace');
    await expect(page.evaluate('new Clipboard().writeText("555-0100")') as Promise<unknown>).resolves.toBeUndefined();
    expect(page.workspace).toEqual(['555-0100']);
    await expect(page.evaluate('new Clipboard().readText()') as Promise<unknown>).rejects.toThrow(/blocked by Cordon/);
    await expect(page.evaluate('new Clipboard().write([])') as Promise<unknown>).rejects.toThrow(/blocked by Cordon/);
    expect(page.reports).toEqual([
      { block: 'clipboard', reason: 'clipboard-api-read' },
      { block: 'clipboard', reason: 'clipboard-api-write' },
    ]);
  });

  it.each(['blocked', 'inbound-only'] as const)('refuses Clipboard API writes in %s mode', async (mode) => {
    const page = pageWorld('deny', mode);
    await expect(page.evaluate('new Clipboard().writeText("555-0100")') as Promise<unknown>).rejects.toThrow(/blocked by Cordon/);
    expect(page.workspace).toEqual([]);
    expect(page.reports).toEqual([{ block: 'clipboard', reason: 'clipboard-api-write' }]);
  });

  it('guards a window a second time without throwing (a same-origin frame whose own preload ran), whatever the policy', () => {
    for (const printing of ['allow', 'deny'] as const) {
      const page = pageWorld(printing);
      const again = vm.runInContext(`(${mainWorldGuard.toString()})`, page.context) as typeof mainWorldGuard;
      expect(() => again({ printing, uploads: 'deny', downloads: 'deny', navigationOrigins: ['https://ehr.example.com'], clipboard: 'workspace', calls: 'deny', iceHosts: [] }, () => undefined, () => undefined)).not.toThrow();
      // The first guard's locks stay in force.
      expect(page.evaluate('Object.getOwnPropertyDescriptor(Clipboard.prototype, "writeText").configurable')).toBe(false);
    }
  });
});
