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
import { readCappedBytes } from '../network/cappedBody';

export const AUDIT_SYNC_PARTITION = 'cordon-audit-sync';

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
        const bytes = await readCappedBytes(response, MAX_RESPONSE_BYTES);
        if (bytes === null) throw new TransportError('the collector answered with more data than a collector answer can hold');
        body = Buffer.from(bytes).toString('utf8');
      } catch (error) {
        throw new TransportError(`the collector could not be reached: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
      }
      return { status: response.status, body, retryAfter: response.headers.get('retry-after') };
    },
  };
}
