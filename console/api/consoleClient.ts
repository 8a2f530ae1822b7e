// The console's one way to reach the collector: a call by route name from the shared
// contract (common/console/consoleApi.ts), so a path, method or result shape cannot drift
// from what the server registers. Every answer is checked against the route's result schema.
import {
  CONSOLE_ROUTES,
  CSRF_HEADER,
  routePath,
  type ConsoleRouteName,
  type RouteBody,
  type RouteParams,
  type RouteQuery,
  type RouteResult,
} from '../../common/console/consoleApi';

/** A refusal or failure, with the server's own words when it sent some. */
export class ConsoleApiError extends Error {
  constructor(
    readonly status: number,
    /** The server's `error` code (`signed-out`, `session-expired`, `no-console-role`, …), or a local one. */
    readonly code: string,
    message: string,
    /** Extra fields of the error body, e.g. a CSRF token sent with a refusal. */
    readonly body: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'ConsoleApiError';
  }
}

export interface CallInput<N extends ConsoleRouteName> {
  params?: RouteParams<N>;
  query?: RouteQuery<N>;
  body?: RouteBody<N>;
}

let csrfToken: string | null = null;
let onUnauthenticated: ((error: ConsoleApiError) => void) | null = null;

/** The token every POST must carry; it comes with /me, once per console session. */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** Any 401 from any call ends the console session on screen: one place decides what shows. */
export function whenUnauthenticated(listener: ((error: ConsoleApiError) => void) | null): void {
  onUnauthenticated = listener;
}

function queryString(query: object | undefined): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
  }
  const text = search.toString();
  return text === '' ? '' : `?${text}`;
}

async function readError(response: Response): Promise<ConsoleApiError> {
  const body: unknown = await response.json().catch(() => null);
  if (typeof body === 'object' && body !== null && 'message' in body && typeof body.message === 'string') {
    const code = 'error' in body && typeof body.error === 'string' ? body.error : `http-${response.status}`;
    return new ConsoleApiError(response.status, code, body.message, body as Record<string, unknown>);
  }
  return new ConsoleApiError(response.status, `http-${response.status}`, `The collector answered ${response.status} ${response.statusText} without an explanation.`);
}

export async function call<N extends ConsoleRouteName>(name: N, input: CallInput<N> = {}): Promise<RouteResult<N>> {
  const route = CONSOLE_ROUTES[name];
  const url = routePath(route.path, (input.params ?? {}) as Record<string, string | number>) + queryString(input.query ?? undefined);
  const headers: Record<string, string> = { accept: 'application/json' };
  let body: string | undefined;
  if (route.method === 'POST') {
    headers['content-type'] = 'application/json';
    if (csrfToken !== null) headers[CSRF_HEADER] = csrfToken;
    body = JSON.stringify(input.body ?? {});
  }

  let response: Response;
  try {
    response = await fetch(url, { method: route.method, headers, body, credentials: 'same-origin', cache: 'no-store' });
  } catch {
    throw new ConsoleApiError(0, 'unreachable', 'The collector did not answer. Check your connection and try again.');
  }
  if (!response.ok) {
    const error = await readError(response);
    if (response.status === 401) onUnauthenticated?.(error);
    throw error;
  }
  const parsed = route.result.safeParse(await response.json().catch(() => undefined));
  if (!parsed.success) {
    throw new ConsoleApiError(response.status, 'unexpected-answer', 'The collector sent an answer this console does not understand. It may be a different version; reload the page.');
  }
  // The schema is the route's own; TypeScript cannot follow the generic index to it.
  return parsed.data as RouteResult<N>;
}

/** The address of a route that answers with a file (an export), for a download link: the browser saves it, with the session cookie. */
export function downloadUrl<N extends ConsoleRouteName>(name: N, input: Pick<CallInput<N>, 'query'>): string {
  return CONSOLE_ROUTES[name].path + queryString(input.query ?? undefined);
}
