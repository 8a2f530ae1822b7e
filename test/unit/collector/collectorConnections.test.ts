// Idle TCP connections against a real collector: one address cannot hold more than its
// share, the total is bounded, idle sockets are closed by the server, and meanwhile a
// client from another address is served. (Connections do not touch storage: SQLite only.)
import { request } from 'node:http';
import { connect, type Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { STORAGES, startTestCollector } from './collectorHarness';

const sqlite = STORAGES.find((s) => s.name === 'sqlite') as (typeof STORAGES)[number];

/** An idle TCP connection from `localAddress` and a promise of its close. */
async function idleSocket(url: string, localAddress: string): Promise<{ socket: Socket; closed: Promise<void> }> {
  const { hostname, port } = new URL(url);
  const socket = connect({ host: hostname, port: Number(port), localAddress });
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  socket.on('error', () => undefined);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  return { socket, closed };
}

/** GET /health over a fresh connection from `localAddress`. */
function healthFrom(url: string, localAddress: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}/health`, { localAddress, agent: false, timeout: 10_000 }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('timeout', () => req.destroy(new Error('no answer within 10 s')));
    req.on('error', reject);
    req.end();
  });
}

/** How many of `closes` happened: as soon as `enough` have, or after `ms` at most. */
async function closedWithin(closes: Promise<void>[], enough: number, ms: number): Promise<number> {
  let count = 0;
  let timer: NodeJS.Timeout | undefined;
  await new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
    for (const close of closes) {
      void close.then(() => {
        count += 1;
        if (count >= enough) resolve();
      });
    }
  });
  clearTimeout(timer);
  return count;
}

describe('collector connection limits', () => {
  it('closes idle connections over the per-address and total bounds and after the idle timeout, and serves other addresses meanwhile', async () => {
    const server = await startTestCollector(sqlite, { connections: { maxPerAddress: 5, maxTotal: 8, headersTimeoutMs: 8_000, inactivityTimeoutMs: 8_000, idleTimeoutMs: 8_000 } });
    const sockets: Socket[] = [];
    try {
      const fromOne = await Promise.all(Array.from({ length: 10 }, () => idleSocket(server.url, '127.0.0.1')));
      sockets.push(...fromOne.map((s) => s.socket));
      // Five over the per-address bound are closed by the server at once.
      expect(await closedWithin(fromOne.map((s) => s.closed), 5, 4_000)).toBeGreaterThanOrEqual(5);
      // Another address still gets an answer while those five sit idle.
      expect(await healthFrom(server.url, '127.0.0.2')).toBe(200);
      const fromThree = await Promise.all(Array.from({ length: 5 }, () => idleSocket(server.url, '127.0.0.3')));
      sockets.push(...fromThree.map((s) => s.socket));
      // 5 + 5 open would exceed the total of 8: at least two are dropped (the first five stay open for 8 s of idleness).
      expect(await closedWithin(fromThree.map((s) => s.closed), 2, 4_000)).toBeGreaterThanOrEqual(2);
      // And every idle connection is closed by the server, not kept until the client leaves.
      expect(await closedWithin([...fromOne, ...fromThree].map((s) => s.closed), 15, 20_000)).toBe(15);
      expect(await healthFrom(server.url, '127.0.0.1')).toBe(200);
    } finally {
      for (const socket of sockets) socket.destroy();
      await server.stop();
    }
  });
});
