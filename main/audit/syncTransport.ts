// How collector requests leave the device, injected so the same protocol client runs on
// Electron's network stack in the app (electronSyncTransport.ts) and on Node's in tests,
// the benchmark and anything headless (nodeSyncTransport.ts).

export interface SyncRequest {
  method: 'GET' | 'POST';
  url: string;
  headers: Readonly<Record<string, string>>;
  body?: string;
}

export interface SyncResponse {
  status: number;
  body: string;
  /** The Retry-After header, if the collector sent one. */
  retryAfter: string | null;
}

export interface SyncTransport {
  send(request: SyncRequest): Promise<SyncResponse>;
}

/** Collector answers are small JSON documents; anything larger is refused unread. */
export const MAX_RESPONSE_BYTES = 64 * 1024;
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

/** The request did not get an HTTP answer (no route, refused, TLS failure, timeout, too large). */
export class TransportError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TransportError';
  }
}
