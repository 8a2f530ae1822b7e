// Registers every console API route from the one contract (common/console/consoleApi)
// through one pipeline: session → role (the route's own list, nothing else) → CSRF for
// state changes → input → handler → result checked → access log. Refusals are 4xx with
// { error, message } and each one is written to the access log.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { CONSOLE_API_BASE, CONSOLE_ROUTES, CSRF_HEADER, exportFileSchema, mayCall, type ConsoleRouteName } from '../../common/console/consoleApi';
import { describeIssues } from '../validationMessage';
import type { AccessLog, AccessLogInput } from './accessLog';
import type { ConsoleHandlers, HandlerAnswer } from './consoleHandlers';
import { sameSecret } from '../sameSecret';
import { SESSION_COOKIE, type ConsoleSession, type ConsoleSessions } from './consoleSessions';

export interface RouteDependencies {
  sessions: ConsoleSessions;
  accessLog: AccessLog;
  handlers: ConsoleHandlers;
  /** The console's origin as browsers see it: a state change from anywhere else is refused. */
  publicOrigin: () => string;
  cookieOptions: { path: string; httpOnly: boolean; secure: boolean; sameSite: 'strict' };
  now?: () => number;
}

export const actorOf = (user: Pick<ConsoleSession, 'name' | 'subject'>) => `${user.name} [${user.subject}]`;

const REFUSAL_MESSAGES = {
  'signed-out': 'You are not signed in to the console.',
  'session-expired': 'Your console session ended (automatic logoff after inactivity, or its maximum length). Sign in again.',
} as const;

/** The body as JSON (bodies arrive as bytes: the device routes need them that way). */
function jsonBody(body: unknown): { ok: true; value: unknown } | { ok: false } {
  if (body === undefined || body === null) return { ok: true, value: {} };
  if (!Buffer.isBuffer(body)) return { ok: false };
  try {
    return { ok: true, value: body.length === 0 ? {} : (JSON.parse(body.toString('utf8')) as unknown) };
  } catch {
    return { ok: false };
  }
}

export function registerConsoleRoutes(app: FastifyInstance, deps: RouteDependencies): void {
  const now = deps.now ?? Date.now;
  const log = (entry: AccessLogInput) => deps.accessLog.append(entry, now());

  for (const [name, route] of Object.entries(CONSOLE_ROUTES) as [ConsoleRouteName, (typeof CONSOLE_ROUTES)[ConsoleRouteName]][]) {
    const handler = deps.handlers[name] as (input: { params: unknown; query: unknown; body: unknown }, context: { user: ConsoleSession; now: number }) => Promise<HandlerAnswer<ConsoleRouteName>>;
    const action = route.action ?? name;

    app.route({
      method: route.method,
      url: route.path,
      handler: async (request: FastifyRequest, reply: FastifyReply) => {
        const refuse = async (status: number, error: string, message: string, actor: string, target: string | null = null, details: Record<string, unknown> = {}) => {
          await log({ actor, action, outcome: 'refused', target: target === null ? error : `${error}: ${target}` });
          return reply.code(status).send({ ...details, error, message });
        };

        const found = await deps.sessions.resolve(request.cookies[SESSION_COOKIE], now());
        if (!found.ok) {
          if (found.reason !== 'signed-out') reply.clearCookie(SESSION_COOKIE, deps.cookieOptions);
          if (found.reason === 'forged') return refuse(401, 'signed-out', REFUSAL_MESSAGES['signed-out'], 'unknown (a session cookie that names no session)');
          if (found.reason === 'session-expired') return refuse(401, 'session-expired', REFUSAL_MESSAGES['session-expired'], 'unknown (an ended session)');
          return reply.code(401).send({ error: 'signed-out', message: REFUSAL_MESSAGES['signed-out'] });
        }
        const user = found.session;
        const actor = actorOf(user);
        if (!mayCall(route, user.roles)) return refuse(403, 'forbidden', `This needs the ${route.roles.join(' or ')} role; you have ${user.roles.join(', ')}.`, actor);
        if (route.method === 'POST') {
          const origin = request.headers.origin;
          const fetchSite = request.headers['sec-fetch-site'];
          const token = request.headers[CSRF_HEADER];
          if ((origin !== undefined && origin !== deps.publicOrigin()) || (fetchSite !== undefined && fetchSite !== 'same-origin') || !sameSecret(typeof token === 'string' ? token : undefined, user.csrfToken)) {
            return refuse(403, 'csrf', 'This request did not come from the console page (missing or wrong CSRF token, or another origin).', actor);
          }
        }

        const input: Record<'params' | 'query' | 'body', unknown> = { params: undefined, query: undefined, body: undefined };
        for (const part of ['params', 'query', 'body'] as const) {
          const schema = (route as Partial<Record<typeof part, z.ZodType>>)[part];
          if (schema === undefined) continue;
          const raw = part === 'body' ? jsonBody(request.body) : { ok: true as const, value: part === 'params' ? request.params : request.query };
          if (!raw.ok) return refuse(400, 'invalid-request', 'The request body must be JSON (content-type: application/json).', actor, 'body');
          const parsed = schema.safeParse(raw.value);
          if (!parsed.success) return refuse(400, 'invalid-request', describeIssues(parsed.error, 'messages'), actor, part);
          input[part] = parsed.data;
        }

        const answer = await handler(input, { user, now: now() });
        if (!answer.ok) return refuse(answer.status, answer.error, answer.message, actor, answer.target, answer.details);
        const result = (route.result as z.ZodType).parse(answer.result);
        if (route.action !== null) await log({ actor, action, outcome: 'success', target: answer.target });
        if (name === 'signOut') reply.clearCookie(SESSION_COOKIE, deps.cookieOptions);
        reply.code(200).header('cache-control', 'no-store');
        if ('download' in route) {
          const file = exportFileSchema.parse(result);
          return reply.header('content-type', file.contentType).header('content-disposition', `attachment; filename="${file.fileName}"`).send(Buffer.from(file.content));
        }
        return reply.send(result);
      },
    });
  }

  // An API path no route serves: a JSON 404, never the UI's page.
  app.all(`${CONSOLE_API_BASE}/*`, async (request, reply) => reply.code(404).send({ error: 'not-found', message: `no ${request.method} ${new URL(request.url, 'http://x').pathname} in the console API` }));
}
