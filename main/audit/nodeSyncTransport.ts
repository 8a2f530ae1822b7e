// Collector traffic on Node's http/https: for tests, the benchmark and headless use.
// `ca` replaces Node's default trust store, so a test can pin its own certificate
// authority. Connections are kept alive between batches.
import http from 'node:http';
import https from 'node:https';
import { DEFAULT_REQUEST_TIMEOUT_MS, MAX_RESPONSE_BYTES, TransportError, type SyncRequest, type SyncResponse, type SyncTransport } from './syncTransport';

export class NodeSyncTransport implements SyncTransport {
  private readonly httpAgent = new http.Agent({ keepAlive: true });
  private readonly httpsAgent: https.Agent;
  private readonly timeoutMs: number;

  constructor({ ca, timeoutMs = DEFAULT_REQUEST_TIMEOUT_MS }: { ca?: string | Buffer; timeoutMs?: number } = {}) {
    this.httpsAgent = new https.Agent({ keepAlive: true, ...(ca === undefined ? {} : { ca }) });
    this.timeoutMs = timeoutMs;
  }

  send(request: SyncRequest): Promise<SyncResponse> {
    const url = new URL(request.url);
    const secure = url.protocol === 'https:';
    return new Promise((resolve, reject) => {
      const fail = (message: string, cause?: unknown) => reject(new TransportError(`the collector could not be reached: ${message}`, { cause }));
      const outgoing = (secure ? https : http).request(
        url,
        { method: request.method, headers: request.headers, agent: secure ? this.httpsAgent : this.httpAgent, timeout: this.timeoutMs },
        (incoming) => {
          const chunks: Buffer[] = [];
          let size = 0;
          incoming.on('data', (chunk: Buffer) => {
            size += chunk.length;
            if (size > MAX_RESPONSE_BYTES) incoming.destroy(new Error('the answer is larger than a collector answer can be'));
            else chunks.push(chunk);
          });
          incoming.on('error', (error) => fail(error.message, error));
          incoming.on('end', () => {
            const retryAfter = incoming.headers['retry-after'];
            resolve({ status: incoming.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), retryAfter: typeof retryAfter === 'string' ? retryAfter : null });
          });
        },
      );
      outgoing.on('timeout', () => outgoing.destroy(new Error(`no answer within ${this.timeoutMs} ms`)));
      outgoing.on('error', (error) => fail(error.message, error));
      outgoing.end(request.body);
    });
  }

  /** Closes the kept-alive connections. */
  close(): void {
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
  }
}
