// Collector traffic on Electron's network stack (Chromium's, so the system proxy, PAC
// files and the OS certificate store apply, as Electron's `net` docs describe).
//
// Not `net.fetch`: it "will issue requests from the default session" and "will trigger
// webRequest handlers" there (Electron API docs, net.fetch), and Cordon's default session
// is the shell's, which refuses every request but cordon:// (main/shell/sessionHardening.ts).
// So the sync has its own session, `session.fromPartition(AUDIT_SYNC_PARTITION)`: no
// `persist:` prefix, so it keeps no cookies or cache on disk, and `ses.fetch()` has the
// same contract as net.fetch for that session.
import type { Session } from 'electron';
import { DEFAULT_REQUEST_TIMEOUT_MS, MAX_RESPONSE_BYTES, TransportError, type SyncRequest, type SyncResponse, type SyncTransport } from './syncTransport';

export const AUDIT_SYNC_PARTITION = 'cordon-audit-sync';

/** The body as text, refusing (without reading on) one longer than a collector answer can be. */
async function readCapped(response: Response, max: number): Promise<string> {
  const tooLong = () => new TransportError('the collector answered with more data than a collector answer can hold');
  if (Number(response.headers.get('content-length') ?? 0) > max) throw tooLong();
  if (response.body === null) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel();
      throw tooLong();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export function electronSyncTransport(session: Pick<Session, 'fetch'>, { timeoutMs = DEFAULT_REQUEST_TIMEOUT_MS } = {}): SyncTransport {
  return {
    async send(request: SyncRequest): Promise<SyncResponse> {
      let response: Response;
      let body: string;
      try {
        response = await session.fetch(request.url, {
          method: request.method,
          headers: request.headers,
          ...(request.body === undefined ? {} : { body: request.body }),
          // A redirect would carry the device's signed request somewhere it was not signed for.
          redirect: 'error',
          credentials: 'omit',
          signal: AbortSignal.timeout(timeoutMs),
        });
        body = await readCapped(response, MAX_RESPONSE_BYTES);
      } catch (error) {
        throw new TransportError(`the collector could not be reached: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
      }
      return { status: response.status, body, retryAfter: response.headers.get('retry-after') };
    },
  };
}
