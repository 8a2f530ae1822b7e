// The two transports. Electron's: the Electron binary cannot run here, so its session is
// a test double recording what Cordon asks of `ses.fetch` (whose contract is net.fetch's,
// per Electron's API docs), and, for real HTTP, Node's WHATWG fetch stands in for
// Chromium's. Node's: real HTTP and HTTPS servers, with a CA the test controls.
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { electronSyncTransport } from '../../../main/audit/electronSyncTransport';
import { NodeSyncTransport } from '../../../main/audit/nodeSyncTransport';
import { MAX_RESPONSE_BYTES, TransportError } from '../../../main/audit/syncTransport';
import { loopbackCertificate } from '../../support/testTls';

/** Test double for Electron's Session: records each fetch and answers with `respond`. */
class FakeElectronSession {
  readonly calls: { url: string; init: RequestInit }[] = [];
  constructor(private readonly respond: (url: string, init: RequestInit) => Promise<Response>) {}
  fetch = (input: string | Request, init?: RequestInit): Promise<Response> => {
    const url = typeof input === 'string' ? input : input.url;
    this.calls.push({ url, init: init ?? {} });
    return this.respond(url, init ?? {});
  };
}

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => (s.closeAllConnections(), s.close(resolve)))));
});

async function listen(server: Server, handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<number> {
  server.on('request', handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

const request = (url: string) => ({ method: 'POST' as const, url, headers: { 'content-type': 'application/json', 'cordon-device': 'd'.repeat(32) }, body: '{"x":1}' });

describe('Electron transport (session.fetch)', () => {
  it('sends exactly the signed request, refuses redirects, sends no cookies, bounds the wait', async () => {
    const session = new FakeElectronSession(async () => new Response('{"ok":true}', { status: 200, headers: { 'retry-after': '3' } }));
    const answer = await electronSyncTransport(session, { timeoutMs: 5_000 }).send(request('https://collector.example/v1/events'));
    expect(answer).toEqual({ status: 200, body: '{"ok":true}', retryAfter: '3' });
    const [call] = session.calls;
    expect(call?.url).toBe('https://collector.example/v1/events');
    expect(call?.init).toMatchObject({ method: 'POST', body: '{"x":1}', redirect: 'error', credentials: 'omit', headers: { 'cordon-device': 'd'.repeat(32) } });
    expect(call?.init.signal).toBeInstanceOf(AbortSignal);
  });

  it('turns a network failure and an oversized answer into TransportError', async () => {
    const down = new FakeElectronSession(() => Promise.reject(new TypeError('net::ERR_CONNECTION_REFUSED')));
    await expect(electronSyncTransport(down).send(request('https://collector.example/v1/events'))).rejects.toThrow(TransportError);
    const huge = new FakeElectronSession(async () => new Response('x'.repeat(MAX_RESPONSE_BYTES + 1)));
    await expect(electronSyncTransport(huge).send(request('https://collector.example/v1/events'))).rejects.toThrow(/more data/);
    // Refused from its declared length, and while streaming when it declares none.
    let pulled = 0;
    const endless = new ReadableStream<Uint8Array>({ pull: (controller) => { pulled += 1; controller.enqueue(new Uint8Array(64 * 1024)); } });
    const streaming = new FakeElectronSession(async () => new Response(endless));
    await expect(electronSyncTransport(streaming).send(request('https://collector.example/v1/events'))).rejects.toThrow(/more data/);
    expect(pulled).toBeLessThan(MAX_RESPONSE_BYTES / (64 * 1024) + 3);
    const declared = new FakeElectronSession(async () => new Response('{}', { headers: { 'content-length': String(MAX_RESPONSE_BYTES + 1) } }));
    await expect(electronSyncTransport(declared).send(request('https://collector.example/v1/events'))).rejects.toThrow(/more data/);
  });

  it('over real HTTP (Node fetch standing in for Chromium), a redirect is an error, not followed', async () => {
    const hits: string[] = [];
    const port = await listen(createHttpServer(), (req, res) => {
      hits.push(req.url ?? '');
      if (req.url === '/v1/events') res.writeHead(307, { location: '/elsewhere' }).end();
      else res.writeHead(200).end('{}');
    });
    const transport = electronSyncTransport({ fetch: (input, init) => fetch(input, init) });
    await expect(transport.send(request(`http://127.0.0.1:${port}/v1/events`))).rejects.toThrow(TransportError);
    expect(hits).toEqual(['/v1/events']);
  });
});

describe('Node transport (http/https)', () => {
  it('trusts exactly the CA it is given over TLS', async () => {
    const tls = loopbackCertificate();
    const port = await listen(createHttpsServer({ key: tls.key, cert: tls.cert }), (req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ got: body, device: req.headers['cordon-device'] })));
    });
    const url = `https://127.0.0.1:${port}/v1/enroll`;
    const pinned = new NodeSyncTransport({ ca: tls.cert });
    expect(await pinned.send(request(url))).toEqual({ status: 201, body: JSON.stringify({ got: '{"x":1}', device: 'd'.repeat(32) }), retryAfter: null });
    pinned.close();
    // Without the CA the self-signed certificate is refused: no answer, a TransportError.
    const unpinned = new NodeSyncTransport();
    await expect(unpinned.send(request(url))).rejects.toThrow(/self[- ]signed/i);
    unpinned.close();
  });

  it('gives up on a collector that does not answer, and on an oversized answer', async () => {
    const port = await listen(createHttpServer(), (req, res) => {
      if (req.url === '/big') res.writeHead(200).end('x'.repeat(MAX_RESPONSE_BYTES + 10));
      // '/silent' never answers.
    });
    const transport = new NodeSyncTransport({ timeoutMs: 200 });
    await expect(transport.send(request(`http://127.0.0.1:${port}/silent`))).rejects.toThrow(/no answer within 200 ms/);
    await expect(transport.send(request(`http://127.0.0.1:${port}/big`))).rejects.toThrow(TransportError);
    await expect(transport.send(request('http://127.0.0.1:9/v1/events'))).rejects.toThrow(/ECONNREFUSED/);
    transport.close();
  });
});
