// System-browser sign-in (RFC 8252): a listener on 127.0.0.1 with an ephemeral port,
// open only while one attempt lasts, accepting exactly one GET of the callback path.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AuthError } from '../../common/auth/authErrors';
import { LOOPBACK_REDIRECT_PATH } from '../../common/auth/signInNavigation';
import type { RedirectChannel } from './signInService';

const DONE_PAGE = '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Cordon</title></head><body><p>Sign-in finished. You can close this tab and return to Cordon.</p></body></html>';

export async function openLoopbackChannel({ openBrowser, timeoutMs = 5 * 60_000 }: { openBrowser: (url: string) => Promise<void>; timeoutMs?: number }): Promise<RedirectChannel> {
  let deliver: (url: string) => void = () => undefined;
  const callback = new Promise<string>((resolve) => (deliver = resolve));
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (req.method !== 'GET' || url.pathname !== LOOPBACK_REDIRECT_PATH) {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('Not found');
      return;
    }
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store', 'Content-Security-Policy': "default-src 'none'" }).end(DONE_PAGE);
    deliver(`${redirectUri}${url.search}`);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const redirectUri = `http://127.0.0.1:${(server.address() as AddressInfo).port}${LOOPBACK_REDIRECT_PATH}`;
  let timer: NodeJS.Timeout | undefined;
  const dispose = () => {
    clearTimeout(timer);
    server.closeAllConnections();
    server.close();
  };
  return {
    redirectUri,
    run: async (authorizationUrl) => {
      const timedOut = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new AuthError('cancelled', 'no answer from the browser in time')), timeoutMs);
      });
      await openBrowser(authorizationUrl);
      return Promise.race([callback, timedOut]);
    },
    dispose,
  };
}
