// Electron's executeInMainWorld serializes serviceWorkerGuard: it must work from its
// source text alone. So it runs here from that text, in a fresh V8 context standing for a
// service worker's global scope (its real behaviour in Chromium is in
// test/conformance/networkPaths.spec.ts).
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import { serviceWorkerGuard } from '../../../preload/guard/serviceWorkerGuard';

function workerScope() {
  const reports: unknown[] = [];
  const context = vm.createContext({ URL, DOMException: class DOMException extends Error {} });
  vm.runInContext(
    `var opened = [];
     // Web IDL interfaces are writable, configurable properties of the global object.
     globalThis.WebSocket = class WebSocket { constructor(url) { opened.push(url); } };
     globalThis.WebTransport = class WebTransport { constructor(url) { opened.push(url); } };`,
    context,
  );
  const run = vm.runInContext(`(${serviceWorkerGuard.toString()})`, context) as typeof serviceWorkerGuard;
  const installed = run((r) => reports.push(r));
  return { installed, reports, evaluate: (code: string) => vm.runInContext(code, context) as unknown };
}

describe('service-worker guard', () => {
  it('refuses WebSocket and WebTransport to any host, reporting the origin only', () => {
    const { installed, reports, evaluate } = workerScope();
    expect(installed).toBe(true);
    expect(() => evaluate(`new WebSocket('wss://ehr.example.com/live?mrn=SYN-0001')`)).toThrow(/not available to service workers/);
    expect(() => evaluate(`new WebTransport('https://evil.example:4433/x')`)).toThrow(/not available to service workers/);
    expect(() => evaluate(`WebSocket('not a url')`)).toThrow();
    expect(evaluate('opened')).toEqual([]);
    expect(reports).toEqual([
      { block: 'service-worker', origin: 'wss://ehr.example.com', reason: 'websocket' },
      { block: 'service-worker', origin: 'https://evil.example:4433', reason: 'webtransport' },
      { block: 'service-worker', origin: 'invalid-url', reason: 'websocket' },
    ]);
  });

  it("cannot be undone by the worker's script", () => {
    const { evaluate } = workerScope();
    expect(() => evaluate(`'use strict'; globalThis.WebSocket = function () {};`)).toThrow(/read only/);
    expect(() => evaluate(`Object.defineProperty(globalThis, 'WebTransport', { value: function () {} })`)).toThrow(/redefine/);
    expect(evaluate(`delete globalThis.WebSocket`)).toBe(false);
    expect(() => evaluate(`new WebSocket('wss://evil.example/')`)).toThrow(/not available/);
  });
});
