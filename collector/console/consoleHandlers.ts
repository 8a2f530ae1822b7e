// What each console route does, once the route layer (consoleRoutes.ts) has checked the
// session, the role and the input. Each answer names what it touched, for the access log.
import type { z } from 'zod';
import { importProblemLine, type AccessChange, type CONSOLE_ROUTES, type ConsoleRouteName, type RouteResult } from '../../common/console/consoleApi';
import { readSessionCode } from '../../common/console/sessionCode';
import { decodeCursor, describeFilters, encodeCursor, isIdCursor, isSessionCursor, type ConsoleStore } from './consoleStore';
import type { AccessLog } from './accessLog';
import type { ConsoleSession } from './consoleSessions';
import { exportEvents, type ExportDependencies } from '../export/exportService';
import { zipArchive } from '../export/zipArchive';
import { accessReview } from '../reports/accessReview';
import { accessReviewFile } from '../reports/accessReviewCsv';
import { placeHold, releaseHold } from '../retention/legalHolds';
import { retentionPanel, type RetentionSettings } from './retentionPanel';
import { compliancePanel } from './compliancePanel';
import type { PracticePolicySource } from '../training/practicePolicy';
import { describeImport, importTraining } from '../training/trainingImport';
import { actorOf } from './consoleRoutes';
import { accessLogTarget, accessPanel, reinstate, revoke, revokedDevices, setUserAccessEnd, type AccessChangeOutcome } from '../access/revocations';
import { latestPosture } from './devicePosture';

export type HandlerAnswer<N extends ConsoleRouteName> =
  | { ok: true; result: RouteResult<N>; target: string | null }
  /** `details`: more of the refusal for the page, beside error and message (a refused import's problems). */
  | { ok: false; status: 400 | 404 | 422; error: string; message: string; target: string | null; details?: Record<string, unknown> };

type Input<N extends ConsoleRouteName> = {
  params: (typeof CONSOLE_ROUTES)[N] extends { params: infer S extends z.ZodType } ? z.output<S> : undefined;
  query: (typeof CONSOLE_ROUTES)[N] extends { query: infer S extends z.ZodType } ? z.output<S> : undefined;
  body: (typeof CONSOLE_ROUTES)[N] extends { body: infer S extends z.ZodType } ? z.output<S> : undefined;
};

export interface HandlerContext {
  user: ConsoleSession;
  now: number;
}

export type ConsoleHandlers = { [N in ConsoleRouteName]: (input: Input<N>, context: HandlerContext) => Promise<HandlerAnswer<N>> };

export interface HandlerDependencies {
  store: ConsoleStore;
  accessLog: AccessLog;
  idleTimeoutSeconds: number;
  issueEnrollmentCode: () => Promise<{ code: string; expiresAt: number }>;
  /** The IdP's logout URL for this session, after the session itself has ended. */
  endSession: (session: ConsoleSession) => Promise<string | null>;
  exports: ExportDependencies;
  /** The practice's name, as report headers print it. */
  practice: () => string;
  /** The collector's retention settings; null when it runs without them. */
  retention: RetentionSettings | null;
  /** The practice's signed policy (agreements and training required); null when the collector was not given one. */
  policy: PracticePolicySource | null;
}

/** A change to access as the route answers it: refused with its words, or what changed. */
function accessChanged(outcome: AccessChangeOutcome, target: string): { ok: true; result: AccessChange; target: string } | { ok: false; status: 400 | 404 | 422; error: string; message: string; target: string } {
  if (outcome.ok) return { ok: true, result: outcome.change, target };
  const refusal = { invalid: [400, 'invalid-request'], 'unknown-device': [404, 'not-found'], unchanged: [422, 'not-changed'] } as const;
  const [status, error] = refusal[outcome.problem];
  return { ok: false, status, error, message: outcome.message, target };
}

const badCursor = (target: string | null) => ({ ok: false as const, status: 400 as const, error: 'invalid-request', message: 'cursor: is not a cursor this console issued for this list', target });

export function createConsoleHandlers(deps: HandlerDependencies): ConsoleHandlers {
  const { store } = deps;
  const review = (period: { from: string; to: string }, { user, now }: HandlerContext) => accessReview(deps.exports.db, { ...period, practice: deps.practice(), generatedBy: actorOf(user), now });
  return {
    me: async (_input, { user }) => ({
      ok: true,
      target: null,
      result: { subject: user.subject, name: user.name, email: user.email, roles: user.roles, mfa: user.mfa, csrfToken: user.csrfToken, idleTimeoutSeconds: deps.idleTimeoutSeconds, expiresAt: new Date(user.expiresAt).toISOString() },
    }),
    signOut: async (_input, { user }) => ({ ok: true, target: null, result: { endSessionUrl: await deps.endSession(user) } }),
    overview: async ({ query }, { now }) => ({ ok: true, target: `last ${query.days} days`, result: await store.overview(query.days, now) }),
    sessions: async ({ query }) => {
      const { user, device, from, to, hasAlerts, notReviewed } = query;
      const filters = { user, device, from, to, hasAlerts, notReviewed };
      const target = describeFilters(filters);
      const cursor = query.cursor === undefined ? null : decodeCursor(query.cursor, isSessionCursor);
      if (query.cursor !== undefined && cursor === null) return badCursor(target);
      const page = await store.sessions(filters, cursor, query.limit);
      return { ok: true, target, result: { items: page.items, nextCursor: page.next === null ? null : encodeCursor(page.next) } };
    },
    timeline: async ({ params }) => {
      const target = `session ${params.code} on device ${params.deviceId}`;
      const timeline = await store.timeline(params.deviceId, params.code);
      if (timeline === null) return { ok: false, status: 404, error: 'not-found', message: `no session ${params.code} on that device`, target };
      return { ok: true, target, result: timeline };
    },
    review: async ({ params, body }, { user, now }) => {
      const target = `session ${params.code} on device ${params.deviceId}: ${body.status}`;
      const marked = await store.review(params.deviceId, params.code, body.status, body.note, user.subject, now);
      const session = marked ? await store.session(params.deviceId, params.code) : null;
      if (session === null) return { ok: false, status: 404, error: 'not-found', message: `no session ${params.code} on that device`, target };
      return { ok: true, target, result: session };
    },
    lookup: async ({ query }) => {
      const reading = readSessionCode(query.code);
      if (!reading.ok) return { ok: true, target: 'an unreadable code', result: { normalized: null, matches: [], problem: reading.problem } };
      const matches = await store.sessionsByCode(reading.code);
      return {
        ok: true,
        target: `code ${reading.code}`,
        result: { normalized: reading.code, matches, problem: matches.length === 0 ? `No session has the code ${reading.code}. Check the photo again: the code is the last part of the watermark.` : null },
      };
    },
    alerts: async ({ query }) => {
      const cursor = query.cursor === undefined ? null : decodeCursor(query.cursor, isIdCursor);
      const target = query.status === undefined ? 'all alerts' : `${query.status} alerts`;
      if (query.cursor !== undefined && cursor === null) return badCursor(target);
      const page = await store.alerts(query.status, cursor?.id ?? null, query.limit);
      return { ok: true, target, result: { items: page.items, nextCursor: page.next === null ? null : encodeCursor({ id: page.next }) } };
    },
    handleAlert: async ({ params, body }, { user, now }) => {
      const target = `alert ${params.id}: ${body.status}`;
      const alert = await store.handleAlert(params.id, body.status, body.note, user.subject, now);
      if (alert === null) return { ok: false, status: 404, error: 'not-found', message: `no alert ${params.id}`, target };
      return { ok: true, target, result: alert };
    },
    devices: async (_input, { now }) => {
      const [devices, revoked, posture] = await Promise.all([store.devices(), revokedDevices(deps.exports.db, now), latestPosture(deps.exports.db)]);
      const items = devices.map((d) => {
        const since = revoked.get(d.deviceId);
        return { ...d, chain: d.chainAlerts === 0 ? ('intact' as const) : ('alerts' as const), revokedSince: since === undefined ? null : new Date(since).toISOString(), posture: posture.get(d.deviceId) ?? [] };
      });
      return { ok: true, target: null, result: { items } };
    },
    issueCode: async () => {
      const issued = await deps.issueEnrollmentCode();
      // The code itself stays out of the log: it is a credential until used.
      return { ok: true, target: `code expiring ${new Date(issued.expiresAt).toISOString()}`, result: { code: issued.code, expiresAt: new Date(issued.expiresAt).toISOString() } };
    },
    accessLog: async ({ query }) => {
      const cursor = query.cursor === undefined ? null : decodeCursor(query.cursor, isIdCursor);
      if (query.cursor !== undefined && cursor === null) return badCursor(null);
      const page = await deps.accessLog.page(cursor?.id ?? null, query.limit);
      return { ok: true, target: null, result: { items: page.items, nextCursor: page.next === null ? null : encodeCursor({ id: page.next }), chain: await deps.accessLog.verify() } };
    },
    exportEvents: async ({ query }, { user, now }) => {
      const { format, ...filters } = query;
      const exported = await exportEvents(deps.exports, { format, filters, actor: { subject: user.subject, display: actorOf(user) }, now });
      if (!exported.ok) return { ok: false, status: 422, error: 'not-exportable', message: exported.message, target: exported.summary };
      const { output, name } = exported;
      // A browser saves one file: the package's folder travels as a ZIP of that folder.
      const file = output.kind === 'file' ? output : { contentType: 'application/zip', content: zipArchive(new Map([...output.files].map(([file, bytes]) => [`${name}/${file}`, bytes])), new Date(now)) };
      return { ok: true, target: exported.summary, result: { fileName: `${name}.${exported.extension}`, contentType: file.contentType, content: file.content } };
    },
    accessReview: async ({ query }, context) => ({ ok: true, target: `period ${query.from} to ${query.to}`, result: await review(query, context) }),
    accessReviewCsv: async ({ query }, context) => {
      const report = await review(query, context);
      return { ok: true, target: `CSV of period ${query.from} to ${query.to} (${report.vas.length} VAs)`, result: accessReviewFile(report) };
    },
    retention: async (_input, { now }) => ({ ok: true, target: null, result: await retentionPanel(deps.exports.db, deps.retention, now) }),
    placeHold: async ({ body }, { user, now }) => {
      // The reason stays out of the access log: it may name a legal matter; the hold itself keeps it.
      const target = `legal hold on ${body.kind} ${body.target}`;
      const placed = await placeHold(deps.exports.db, { ...body, by: actorOf(user) }, now);
      if (!placed.ok) return { ok: false, status: 422, error: 'not-placed', message: placed.message, target };
      return { ok: true, target: `legal hold #${placed.hold.id} on ${body.kind} ${body.target}`, result: placed.hold };
    },
    compliance: async (_input, { now }) => ({ ok: true, target: null, result: await compliancePanel(deps.exports.db, deps.policy, now) }),
    importTraining: async ({ body }, { user, now }) => {
      const outcome = await importTraining(deps.exports.db, deps.policy, { text: body.text, source: body.fileName, by: actorOf(user), now });
      const target = describeImport(body.fileName, outcome);
      if (outcome.ok) return { ok: true, target, result: outcome.summary };
      const [first] = outcome.problems;
      const count = outcome.problems.length + outcome.moreProblems;
      const message = `Nothing was imported from ${body.fileName}: ${count === 1 ? 'one problem' : `${count} problems`} to fix first.${first === undefined ? '' : ` The first: ${importProblemLine(first)}.`}`;
      return { ok: false, status: 422, error: 'not-imported', message, target, details: { problems: outcome.problems, moreProblems: outcome.moreProblems } };
    },
    access: async (_input, { now }) => ({ ok: true, target: null, result: await accessPanel(deps.exports.db, now) }),
    revokeDevice: async ({ params }, { user, now }) => accessChanged(await revoke(deps.exports.db, 'device', params.deviceId, user.subject, now), accessLogTarget('device', params.deviceId)),
    reinstateDevice: async ({ params }, { user, now }) => accessChanged(await reinstate(deps.exports.db, 'device', params.deviceId, user.subject, now), accessLogTarget('device', params.deviceId)),
    revokeUser: async ({ body }, { user, now }) => accessChanged(await revoke(deps.exports.db, 'user', body.subject, user.subject, now), accessLogTarget('user', body.subject)),
    reinstateUser: async ({ body }, { user, now }) => accessChanged(await reinstate(deps.exports.db, 'user', body.subject, user.subject, now), accessLogTarget('user', body.subject)),
    setUserAccessEnd: async ({ body }, { user, now }) => {
      const endsAt = body.endsAt === null ? null : Date.parse(body.endsAt);
      return accessChanged(await setUserAccessEnd(deps.exports.db, body.subject, endsAt, user.subject, now), accessLogTarget('user', body.subject, endsAt));
    },
    releaseHold: async ({ params }, { user, now }) => {
      const released = await releaseHold(deps.exports.db, params.id, actorOf(user), now);
      if (!released.ok) return { ok: false, status: 422, error: 'not-released', message: released.message, target: `legal hold #${params.id}` };
      return { ok: true, target: `legal hold #${params.id} on ${released.hold.kind} ${released.hold.target} released`, result: released.hold };
    },
  };
}
