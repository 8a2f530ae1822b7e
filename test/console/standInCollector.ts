// A STAND-IN for the collector, for the console's browser tests: it serves the built UI the
// way the collector does (/console/assets/*, index.html for every other non-API path under
// /console/, the collector's CSP) and answers the console API from in-test fixtures. Every
// request is checked against the contract (method, path, roles, params, query and body
// schemas, the CSRF header on POSTs) and every answer is parsed with the route's result
// schema. It records what it received, so tests can assert on it. It is not the collector:
// sign-in, sessions and the access log's chain are the real collector's, tested against it.
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { test } from '@playwright/test';
import type { z } from 'zod';
import { CONSOLE_API_BASE, CONSOLE_ROUTES, CSRF_HEADER, exportFileSchema, mayCall, type AccessRevocationRow, type AlertRow, type ConsoleRole, type ConsoleRouteName, type LegalHoldRow, type SessionRow, type TrainingImportSummary } from '../../common/console/consoleApi';
import { readSessionCode } from '../../common/console/sessionCode';
import { buildConsoleUi } from './consoleBuild';
import * as fixtures from './consoleFixtures';

/** The collector's console CSP, as the brief for the collector fixes it. */
export const CONSOLE_CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

export interface RecordedRequest {
  route: ConsoleRouteName;
  method: string;
  path: string;
  query: Record<string, string>;
  headers: IncomingMessage['headers'];
  body: unknown;
}

type ErrorBody = { error: string; message: string };

export interface StandInState {
  /** Who /me says is signed in, or the refusal every API call gets. */
  auth: { roles: ConsoleRole[]; name?: string } | { status: 401 | 403; body: ErrorBody };
  sessions: SessionRow[];
  alerts: AlertRow[];
  holds: LegalHoldRow[];
  revocations: AccessRevocationRow[];
  trainingImports: TrainingImportSummary[];
  accessChain: { intact: boolean; problem: string | null };
  /** Answers given instead of the normal ones, per route, once each. */
  forced: Map<ConsoleRouteName, { status: number; body: ErrorBody }>;
  requests: RecordedRequest[];
}

export function freshState(auth: StandInState['auth']): StandInState {
  return { auth, sessions: fixtures.allSessions(), alerts: fixtures.allAlerts(), holds: fixtures.legalHolds(), revocations: fixtures.accessRevocations(), trainingImports: fixtures.trainingImports(), accessChain: { intact: true, problem: null }, forced: new Map(), requests: [] };
}

const CONTENT_TYPES: Record<string, string> = { '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8', '.html': 'text/html; charset=utf-8', '.svg': 'image/svg+xml' };

const encodeCursor = (offset: number) => Buffer.from(`o${offset}`).toString('base64url');
const decodeCursor = (cursor: string | undefined) => (cursor === undefined ? 0 : Number(Buffer.from(cursor, 'base64url').toString().slice(1)));

function page<T>(items: readonly T[], cursor: string | undefined, limit: number) {
  const start = decodeCursor(cursor);
  const end = start + limit;
  return { items: items.slice(start, end), nextCursor: end < items.length ? encodeCursor(end) : null };
}

function matchRoute(method: string, pathname: string): { name: ConsoleRouteName; params: Record<string, string> } | null {
  for (const [name, route] of Object.entries(CONSOLE_ROUTES) as [ConsoleRouteName, (typeof CONSOLE_ROUTES)[ConsoleRouteName]][]) {
    if (route.method !== method) continue;
    const names: string[] = [];
    const pattern = new RegExp(`^${route.path.replace(/:([A-Za-z]+)/g, (_m, n: string) => (names.push(n), '([^/]+)'))}$`);
    const match = pattern.exec(pathname);
    if (match !== null) return { name, params: Object.fromEntries(names.map((n, i) => [n, decodeURIComponent(match[i + 1] ?? '')])) };
  }
  return null;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function answer(state: StandInState, name: ConsoleRouteName, params: Record<string, unknown>, query: Record<string, unknown>, body: Record<string, unknown>): { status: number; body: unknown } {
  const roles = 'roles' in state.auth ? state.auth.roles : [];
  switch (name) {
    case 'me':
      return { status: 200, body: fixtures.meFor(roles, 'roles' in state.auth ? state.auth.name : undefined) };
    case 'signOut':
      return { status: 200, body: { endSessionUrl: null } };
    case 'overview':
      return { status: 200, body: fixtures.overview };
    case 'sessions': {
      const rows = state.sessions.filter(
        (s) =>
          (query.user === undefined || s.subject === query.user) &&
          (query.device === undefined || s.deviceName === query.device || s.deviceId === query.device) &&
          (query.from === undefined || Date.parse(s.startedAt) >= Date.parse(String(query.from))) &&
          (query.to === undefined || Date.parse(s.startedAt) <= Date.parse(String(query.to))) &&
          (query.hasAlerts !== true || s.openAlerts > 0) &&
          (query.notReviewed !== true || s.review === 'not-reviewed'),
      );
      return { status: 200, body: page(rows, query.cursor as string | undefined, query.limit as number) };
    }
    case 'timeline': {
      const row = state.sessions.find((s) => s.deviceId === params.deviceId && s.code === params.code);
      if (row === undefined) return { status: 404, body: { error: 'not-found', message: `No session ${String(params.code)} on that device.` } };
      return { status: 200, body: row.code === fixtures.MAIN_CODE ? fixtures.mainTimeline(row) : fixtures.simpleTimeline(row) };
    }
    case 'review': {
      const row = state.sessions.find((s) => s.deviceId === params.deviceId && s.code === params.code);
      if (row === undefined) return { status: 404, body: { error: 'not-found', message: 'No such session.' } };
      row.review = body.status as SessionRow['review'];
      row.reviewNote = String(body.note);
      return { status: 200, body: row };
    }
    case 'lookup': {
      const reading = readSessionCode(String(query.code));
      if (!reading.ok) return { status: 200, body: { normalized: null, matches: [], problem: reading.problem } };
      const matches = state.sessions.filter((s) => s.code === reading.code);
      return { status: 200, body: { normalized: reading.code, matches, problem: matches.length === 0 ? `No session with the code ${reading.code} has reached this collector.` : null } };
    }
    case 'alerts':
      return { status: 200, body: page(state.alerts.filter((a) => query.status === undefined || a.status === query.status), query.cursor as string | undefined, query.limit as number) };
    case 'handleAlert': {
      const alert = state.alerts.find((a) => a.id === params.id);
      if (alert === undefined) return { status: 404, body: { error: 'not-found', message: 'No such alert.' } };
      Object.assign(alert, { status: body.status, note: body.note, handledBy: 'sam' });
      return { status: 200, body: alert };
    }
    case 'devices':
      return { status: 200, body: { items: fixtures.devices.map((d) => ({ ...d, revokedSince: fixtures.accessPanelOf(state.revocations).revoked.find((r) => r.target === d.deviceId)?.effectiveAt ?? null })) } };
    case 'issueCode':
      return { status: 200, body: { code: 'ENR-4KQ9-TX2M', expiresAt: '2027-03-02T22:00:00Z' } };
    case 'accessLog':
      return { status: 200, body: { ...page(fixtures.accessLog(), query.cursor as string | undefined, query.limit as number), chain: { ...state.accessChain, entries: fixtures.accessLog().length } } };
    case 'exportEvents':
      // The stand-in says what it was asked for; what an export holds is the real collector's (exportEvents.test).
      return { status: 200, body: { fileName: `stand-in-${String(query.format)}.txt`, contentType: 'text/plain; charset=utf-8', content: new TextEncoder().encode(JSON.stringify(query)) } };
    case 'accessReview':
      return { status: 200, body: fixtures.accessReviewFor(String(query.from), String(query.to)) };
    case 'accessReviewCsv':
      // The figures and the CSV itself are the real collector's (consoleAccessReview.test).
      return { status: 200, body: { fileName: 'stand-in-access-review.csv', contentType: 'text/csv; charset=utf-8', content: new TextEncoder().encode(JSON.stringify(query)) } };
    case 'retention':
      return { status: 200, body: fixtures.retentionPanelWith(state.holds) };
    case 'placeHold': {
      const hold = { id: Math.max(0, ...state.holds.map((h) => h.id)) + 1, kind: body.kind as LegalHoldRow['kind'], target: String(body.target), reason: String(body.reason), placedBy: 'Cora Compliance [cora]', placedAt: '2027-03-01T22:05:00.000Z', releasedBy: null, releasedAt: null };
      state.holds.push(hold);
      return { status: 200, body: hold };
    }
    case 'compliance':
      return { status: 200, body: fixtures.complianceStatusWith(state.trainingImports) };
    case 'importTraining': {
      // The stand-in refuses the one file its fixtures describe; checking a CSV is the real collector's (trainingCsv.test, consoleCompliance.test).
      if (body.fileName === 'malformed.csv') return { status: 422, body: { error: 'not-imported', message: 'Nothing was imported from malformed.csv: 2 problems to fix first.', problems: fixtures.MALFORMED_PROBLEMS, moreProblems: 0 } };
      const rows = String(body.text).trim().split('\n').length - 1;
      const summary = { id: Math.max(0, ...state.trainingImports.map((i) => i.id)) + 1, source: String(body.fileName), importedAt: fixtures.COMPLIANCE_NOW, importedBy: 'Cora Compliance [cora]', rows, added: rows, updated: 0, unchanged: 0, revoked: 0 };
      state.trainingImports.unshift(summary);
      return { status: 200, body: summary };
    }
    case 'access':
      return { status: 200, body: fixtures.accessPanelOf(state.revocations) };
    // Changes as the stand-in keeps them: refusals and what the collector records are the real one's (accessRevocation.test, consoleAccess.test).
    case 'revokeDevice':
    case 'revokeUser':
    case 'setUserAccessEnd': {
      const kind = name === 'revokeDevice' ? 'device' : 'user';
      const target = String(kind === 'device' ? params.deviceId : body.subject);
      const lifted = name === 'setUserAccessEnd' ? state.revocations.filter((r) => r.target === target && r.liftedAt === null && r.reason === 'access-ended') : [];
      for (const r of lifted) Object.assign(r, { liftedAt: fixtures.COMPLIANCE_NOW, liftedBy: 'demo-adm-0001' });
      const effectiveAt = name === 'setUserAccessEnd' ? (body.endsAt as string | null) : fixtures.COMPLIANCE_NOW;
      const added: AccessRevocationRow[] =
        effectiveAt === null
          ? []
          : [{ id: Math.max(0, ...state.revocations.map((r) => r.id)) + 1, kind, target, deviceName: fixtures.devices.find((d) => d.deviceId === target)?.deviceName ?? null, reason: name === 'setUserAccessEnd' ? 'access-ended' : 'revoked', effectiveAt, createdAt: fixtures.COMPLIANCE_NOW, createdBy: 'demo-adm-0001', liftedAt: null, liftedBy: null }];
      state.revocations.push(...added);
      return { status: 200, body: { changed: [...lifted, ...added], note: null } };
    }
    case 'reinstateDevice':
    case 'reinstateUser': {
      const target = String(name === 'reinstateDevice' ? params.deviceId : body.subject);
      const lifted = fixtures.accessPanelOf(state.revocations).revoked.filter((r) => r.target === target).map((r) => state.revocations.find((s) => s.id === r.id) as AccessRevocationRow);
      if (lifted.length === 0) return { status: 422, body: { error: 'not-changed', message: `${target} is not revoked` } };
      for (const r of lifted) Object.assign(r, { liftedAt: fixtures.COMPLIANCE_NOW, liftedBy: 'demo-adm-0001' });
      return { status: 200, body: { changed: lifted, note: null } };
    }
    case 'releaseHold': {
      const hold = state.holds.find((h) => h.id === params.id && h.releasedAt === null);
      if (hold === undefined) return { status: 422, body: { error: 'not-released', message: `there is no legal hold ${String(params.id)}` } };
      Object.assign(hold, { releasedBy: 'Cora Compliance [cora]', releasedAt: '2027-03-01T22:10:00.000Z' });
      return { status: 200, body: hold };
    }
  }
}

async function handleApi(state: StandInState, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  const send = (status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
    res.end(JSON.stringify(body));
  };
  const method = req.method ?? 'GET';
  const matched = matchRoute(method, url.pathname);
  if (matched === null) return send(404, { error: 'not-found', message: `No console route ${method} ${url.pathname}.` });
  const route = CONSOLE_ROUTES[matched.name];
  const raw = await readBody(req);
  const query = Object.fromEntries(url.searchParams);
  state.requests.push({ route: matched.name, method, path: url.pathname, query, headers: req.headers, body: raw === '' ? undefined : (JSON.parse(raw) as unknown) });

  if (!('roles' in state.auth)) return send(state.auth.status, state.auth.body);
  const forced = state.forced.get(matched.name);
  if (forced !== undefined) {
    state.forced.delete(matched.name);
    return send(forced.status, forced.body);
  }
  if (!mayCall(route, state.auth.roles)) return send(403, { error: 'forbidden', message: `Your roles may not ${route.action}.` });
  if (method === 'POST') {
    if (req.headers[CSRF_HEADER] !== fixtures.meFor([]).csrfToken) return send(403, { error: 'csrf', message: 'The request did not carry this session’s CSRF token.' });
    if (!String(req.headers['content-type']).startsWith('application/json')) return send(415, { error: 'unsupported-media-type', message: 'Send JSON.' });
  }
  const parse = (schema: z.ZodType | undefined, value: unknown) => (schema === undefined ? { success: true as const, data: {} } : schema.safeParse(value));
  const params = parse('params' in route ? route.params : undefined, matched.params);
  const parsedQuery = parse('query' in route ? route.query : undefined, query);
  const body = parse('body' in route ? route.body : undefined, raw === '' ? {} : JSON.parse(raw));
  for (const [part, result] of [['params', params], ['query', parsedQuery], ['body', body]] as const) {
    if (!result.success) return send(400, { error: 'bad-request', message: `The ${part} is not valid: ${result.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}` });
  }
  const result = answer(state, matched.name, params.data as Record<string, unknown>, parsedQuery.data as Record<string, unknown>, body.data as Record<string, unknown>);
  if (result.status === 200 && 'download' in route) {
    const file = exportFileSchema.parse(result.body);
    res.writeHead(200, { 'content-type': file.contentType, 'content-disposition': `attachment; filename="${file.fileName}"`, 'cache-control': 'no-store' });
    return void res.end(Buffer.from(file.content));
  }
  // The stand-in may only say what the contract lets the collector say.
  send(result.status, result.status === 200 ? route.result.parse(result.body) : result.body);
}

export async function startStandInCollector(uiDir: string, initial: StandInState): Promise<{ origin: string; state: StandInState; reset: (next: StandInState) => void; close: () => Promise<void> }> {
  const holder = { state: initial };
  const index = readFileSync(path.join(uiDir, 'index.html'));
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://stand-in');
    res.setHeader('content-security-policy', CONSOLE_CSP);
    res.setHeader('x-content-type-options', 'nosniff');
    res.setHeader('referrer-policy', 'no-referrer');
    if (url.pathname.startsWith(`${CONSOLE_API_BASE}/`)) {
      handleApi(holder.state, req, res, url).catch((error: unknown) => {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: 'stand-in-failed', message: String(error) }));
      });
      return;
    }
    if (url.pathname.startsWith('/console/assets/')) {
      const file = path.join(uiDir, path.normalize(decodeURIComponent(url.pathname).slice('/console/'.length)));
      try {
        if (!file.startsWith(path.join(uiDir, 'assets'))) throw new Error('outside the assets folder');
        const content = readFileSync(file);
        res.writeHead(200, { 'content-type': CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream' });
        res.end(content);
      } catch {
        res.writeHead(404).end();
      }
      return;
    }
    if (url.pathname === '/console' || url.pathname.startsWith('/console/')) {
      res.writeHead(200, { 'content-type': CONTENT_TYPES['.html'] ?? 'text/html' });
      res.end(index);
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    get state() {
      return holder.state;
    },
    reset: (next) => {
      holder.state = next;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

type StandIn = Awaited<ReturnType<typeof startStandInCollector>>;

/**
 * A spec file's stand-in: the built UI served from before its first test to after its last.
 * `as(...roles)` starts a test with fresh fixtures for someone with those roles.
 */
export function useStandInCollector(): Pick<StandIn, 'origin' | 'state' | 'reset'> & { as(...roles: ConsoleRole[]): void } {
  let running: StandIn | null = null;
  const current = () => {
    if (running === null) throw new Error('the stand-in collector starts in beforeAll');
    return running;
  };
  test.beforeAll(async () => {
    // The first spec to run builds the console for production.
    test.setTimeout(150_000);
    running = await startStandInCollector(buildConsoleUi(), freshState({ roles: ['supervisor'] }));
  });
  test.afterAll(async () => {
    await running?.close();
  });
  return {
    get origin() {
      return current().origin;
    },
    get state() {
      return current().state;
    },
    reset: (next) => current().reset(next),
    as: (...roles) => current().reset(freshState({ roles })),
  };
}
