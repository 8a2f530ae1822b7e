// Serves the built shell renderer over http://127.0.0.1 with exactly the headers the
// cordon:// protocol handler sends (same function), so the CSP is tested as shipped.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { test } from '@playwright/test';
import { createShellRequestHandler } from '../../main/shell/shellProtocol';
import { BROWSER_BUILD_OUT } from './globalSetup';

async function startShellPageServer(): Promise<{ origin: string; close: () => Promise<void> }> {
  const handle = createShellRequestHandler(path.join(BROWSER_BUILD_OUT, 'renderer'));
  const server: Server = createServer((req, res) => {
    void handle(new Request(`cordon://app${req.url ?? '/'}`, { method: req.method })).then(async (response) => {
      res.writeHead(response.status, Object.fromEntries(response.headers));
      res.end(Buffer.from(await response.arrayBuffer()));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { origin: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** For a spec file: one server from before its first test to after its last; `origin` is set once it runs. */
export function serveShellPage(): { readonly origin: string } {
  const served = { origin: '', close: () => Promise.resolve() };
  test.beforeAll(async () => {
    Object.assign(served, await startShellPageServer());
  });
  test.afterAll(() => served.close());
  return served;
}
