// Fetching a document (an agreement's text) in main through a hosted app's own session,
// so the app's request filter and network allowlist decide where it may come from. No
// cookies go with it, a redirect fails rather than being followed, and the body is read
// no further than the limit. Each failure has a code for the audit trail.
import type { Session } from 'electron';
import { readCappedBytes } from '../network/cappedBody';

export type HostedFetchProblem = 'not-approved' | 'unreachable' | 'too-large' | `http-${number}`;

export class HostedFetchError extends Error {
  constructor(
    readonly code: HostedFetchProblem,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'HostedFetchError';
  }
}

export interface FetchLimits {
  maxBytes: number;
  timeoutMs: number;
}

export async function fetchThroughSession(session: Pick<Session, 'fetch'>, url: string, { maxBytes, timeoutMs }: FetchLimits): Promise<Uint8Array> {
  let body: Uint8Array | null;
  try {
    const response = await session.fetch(url, { redirect: 'error', credentials: 'omit', cache: 'no-store', signal: AbortSignal.timeout(timeoutMs) });
    if (response.status !== 200) {
      await response.body?.cancel();
      throw new HostedFetchError(`http-${response.status}`, `the site answered ${response.status}`);
    }
    body = await readCappedBytes(response, maxBytes);
  } catch (error) {
    if (error instanceof HostedFetchError) throw error;
    throw new HostedFetchError('unreachable', `the site could not be reached: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  if (body === null) throw new HostedFetchError('too-large', `the document is longer than ${maxBytes} bytes`);
  return body;
}
