// Every console route against every console role (and nobody), generated from the one
// route table: the server must answer exactly what the table says, on SQLite and on
// PostgreSQL. Plus bad input on each route: a clear 4xx and an access-log line, never a 5xx.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { CONSOLE_API_BASE, CONSOLE_ROUTES, CONSOLE_ROLES, MAX_PAGE_SIZE, routePath, type ConsoleRole, type ConsoleRouteName } from '../../../common/console/consoleApi';
import { ConsoleHttpUser } from '../../support/consoleHttpUser';
import { startConsoleStack, type ConsoleStack } from '../../support/consoleStack';
import { describeOnEachStorage } from './collectorHarness';

const SIGNED_IN_AS: Record<ConsoleRole, string> = { supervisor: 'sam', compliance: 'cora', admin: 'ada' };

describeOnEachStorage('console authorisation', (storage) => {
  let stack: ConsoleStack;
  let removeStorage: () => Promise<void>;
  const users = new Map<ConsoleRole, ConsoleHttpUser>();

  beforeAll(async () => {
    const created = await storage.create();
    removeStorage = created.remove;
    stack = await startConsoleStack({ storage: created.storage });
    for (const role of CONSOLE_ROLES) users.set(role, await ConsoleHttpUser.signedIn(stack, SIGNED_IN_AS[role]));
  }, 120_000);
  afterAll(async () => {
    await stack?.close();
    await removeStorage?.();
  });

  /** One valid request per route: a route without one fails to compile. */
  const sample = (): Record<ConsoleRouteName, { params?: Record<string, string | number>; query?: string; body?: unknown }> => {
    const session = stack.seeded?.late ?? { deviceId: '', code: '' };
    return {
      me: {},
      signOut: { body: {} },
      overview: { query: 'days=7' },
      sessions: { query: 'limit=5&hasAlerts=false' },
      timeline: { params: { deviceId: session.deviceId, code: session.code } },
      review: { params: { deviceId: session.deviceId, code: session.code }, body: { status: 'reviewed', note: 'checked the offline stretch' } },
      lookup: { query: `code=${session.code.toLowerCase().replace('-', '')}` },
      alerts: { query: 'status=open' },
      handleAlert: { params: { id: 1 }, body: { status: 'acknowledged', note: 'looking into it' } },
      devices: {},
      issueCode: { body: {} },
      accessLog: { query: 'limit=10' },
      exportEvents: { query: 'format=csv&hasAlerts=true' },
      accessReview: { query: 'from=2026-01-01T00:00:00-06:00&to=2026-04-01T00:00:00-05:00' },
      accessReviewCsv: { query: 'from=2026-01-01T00:00:00Z&to=2026-02-01T00:00:00Z' },
      retention: {},
      placeHold: { body: { kind: 'user', target: 'demo-va-0001', reason: 'Records request R-2207' } },
      // The hold compliance placed just before (the first hold of this collector).
      releaseHold: { params: { id: 1 }, body: {} },
      compliance: {},
      importTraining: { body: { fileName: 'training-2026-03.csv', text: 'subject,course,completed_on\ndemo-va-0001,hipaa-privacy,2026-03-10\n' } },
      access: {},
      // Each change once, by the admin, in table order: revoked before reinstated.
      revokeDevice: { params: { deviceId: session.deviceId }, body: {} },
      reinstateDevice: { params: { deviceId: session.deviceId }, body: {} },
      revokeUser: { body: { subject: 'demo-va-0002' } },
      setUserAccessEnd: { body: { subject: 'demo-va-0003', endsAt: '2099-01-01T00:00:00Z' } },
      reinstateUser: { body: { subject: 'demo-va-0002' } },
    };
  };

  const call = (user: ConsoleHttpUser, name: ConsoleRouteName) => {
    const route = CONSOLE_ROUTES[name];
    const request = sample()[name];
    const path = routePath(route.path, request.params) + (request.query === undefined ? '' : `?${request.query}`);
    return user.request(route.method, path, route.method === 'POST' ? { body: request.body } : {});
  };

  // Sign-out ends the session it runs in: it goes last.
  const names = (Object.keys(CONSOLE_ROUTES) as ConsoleRouteName[]).sort((a, b) => Number(a === 'signOut') - Number(b === 'signOut'));

  it('answers every route for every role exactly as the route table says', async () => {
    const matrix: string[] = [];
    for (const name of names) {
      for (const role of CONSOLE_ROLES) {
        const allowed = (CONSOLE_ROUTES[name].roles as readonly ConsoleRole[]).includes(role);
        const answer = await call(users.get(role) as ConsoleHttpUser, name);
        matrix.push(`${name} ${role} ${answer.status}`);
        expect(`${name} ${role} ${answer.status}`).toBe(`${name} ${role} ${allowed ? 200 : 403}`);
        if (!allowed) expect(answer.json.error).toBe('forbidden');
      }
    }
    expect(matrix).toHaveLength(names.length * CONSOLE_ROLES.length);
  });

  it('answers 401 to nobody on every route, before looking at anything else', async () => {
    const nobody = new ConsoleHttpUser(stack.collector.url);
    for (const name of names) {
      const answer = await call(nobody, name);
      expect(`${name} ${answer.status} ${String(answer.json.error)}`).toBe(`${name} 401 signed-out`);
    }
  });

  it('keeps the table to its purpose: admins see no timelines, supervisors no access log, nobody edits the log', () => {
    const may = (name: ConsoleRouteName, role: ConsoleRole) => (CONSOLE_ROUTES[name].roles as readonly ConsoleRole[]).includes(role);
    expect(may('timeline', 'admin')).toBe(false);
    expect(may('sessions', 'admin')).toBe(false);
    expect(may('accessLog', 'supervisor')).toBe(false);
    expect(may('accessLog', 'compliance')).toBe(true);
    expect(may('devices', 'supervisor')).toBe(false);
    expect(may('issueCode', 'admin')).toBe(true);
    // The access review audits the supervisors' own reviews: compliance's alone.
    for (const name of ['accessReview', 'accessReviewCsv'] as const) expect(CONSOLE_ROUTES[name].roles).toEqual(['compliance']);
    // Only compliance places or releases legal holds; IT may only see them.
    for (const name of ['placeHold', 'releaseHold'] as const) expect(CONSOLE_ROUTES[name].roles).toEqual(['compliance']);
    expect(may('retention', 'admin')).toBe(true);
    expect(may('retention', 'supervisor')).toBe(false);
    // Training records are compliance's to keep; supervisors see who is due, IT neither.
    expect(CONSOLE_ROUTES.importTraining.roles).toEqual(['compliance']);
    expect(may('compliance', 'supervisor')).toBe(true);
    expect(may('compliance', 'admin')).toBe(false);
    // Ending and restoring access is IT's alone, like enrolling devices.
    for (const name of ['access', 'revokeDevice', 'reinstateDevice', 'revokeUser', 'setUserAccessEnd', 'reinstateUser'] as const) expect(CONSOLE_ROUTES[name].roles).toEqual(['admin']);
    const logRoutes = Object.values(CONSOLE_ROUTES).filter((r) => r.path.includes('access-log'));
    expect(logRoutes.map((r) => r.method)).toEqual(['GET']);
  });

  it('offers no way to change or delete the access log, whatever the role', async () => {
    for (const role of CONSOLE_ROLES) {
      for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) {
        const answer = await (users.get(role) as ConsoleHttpUser).request(method, `${CONSOLE_API_BASE}/access-log`, { body: {} });
        expect(`${role} ${method} ${answer.status}`).toBe(`${role} ${method} 404`);
      }
    }
  });

  it('refuses bad input with a clear 4xx and logs it, never a 5xx', async () => {
    const cora = await ConsoleHttpUser.signedIn(stack, 'cora');
    const session = stack.seeded?.late ?? { deviceId: '', code: '' };
    const cases: [string, string, unknown, number, RegExp][] = [
      ['GET', `${CONSOLE_ROUTES.sessions.path}?limit=${MAX_PAGE_SIZE + 1}`, undefined, 400, /limit/],
      ['GET', `${CONSOLE_ROUTES.sessions.path}?limit=-3`, undefined, 400, /limit/],
      ['GET', `${CONSOLE_ROUTES.sessions.path}?from=yesterday`, undefined, 400, /from/],
      ['GET', `${CONSOLE_ROUTES.sessions.path}?from=2026-12-02T00:00:00Z&to=2026-12-01T00:00:00Z`, undefined, 400, /to: must not be before from/],
      ['GET', `${CONSOLE_ROUTES.sessions.path}?hasAlerts=maybe`, undefined, 400, /hasAlerts/],
      ['GET', `${CONSOLE_ROUTES.sessions.path}?user=a&user=b`, undefined, 400, /user/],
      ['GET', `${CONSOLE_ROUTES.sessions.path}?sort=evil`, undefined, 400, /Unrecognized key/i],
      ['GET', `${CONSOLE_ROUTES.sessions.path}?cursor=bm90LWEtY3Vyc29y`, undefined, 400, /cursor/],
      ['GET', `${CONSOLE_ROUTES.sessions.path}?cursor=${'%27%3B--'}`, undefined, 400, /cursor/],
      ['GET', `${CONSOLE_ROUTES.alerts.path}?cursor=eyJpZCI6Inh4In0`, undefined, 400, /cursor/],
      ['GET', routePath(CONSOLE_ROUTES.timeline.path, { deviceId: session.deviceId, code: 'ZZZZ-ZZZZ' }), undefined, 404, /no session ZZZZ-ZZZZ/],
      ['GET', routePath(CONSOLE_ROUTES.timeline.path, { deviceId: 'not-a-device', code: session.code }), undefined, 400, /deviceId/],
      ['GET', `${CONSOLE_API_BASE}/sessions/${session.deviceId}/not-a-code`, undefined, 400, /code/],
      ['GET', `${CONSOLE_ROUTES.lookup.path}`, undefined, 400, /code/],
      ['POST', routePath(CONSOLE_ROUTES.review.path, { deviceId: session.deviceId, code: session.code }), { status: 'deleted', note: '' }, 400, /status/],
      ['POST', routePath(CONSOLE_ROUTES.review.path, { deviceId: session.deviceId, code: session.code }), { status: 'reviewed', note: 'x'.repeat(3000) }, 400, /note/],
      ['POST', routePath(CONSOLE_ROUTES.handleAlert.path, { id: 999_999 }), { status: 'resolved', note: '' }, 404, /no alert/],
      ['POST', routePath(CONSOLE_ROUTES.handleAlert.path, { id: 'x' }), { status: 'resolved', note: '' }, 400, /id/],
      ['GET', `${CONSOLE_ROUTES.accessReview.path}?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z`, undefined, 400, /to: must be after from/],
      ['GET', `${CONSOLE_ROUTES.accessReview.path}?from=2025-01-01T00:00:00Z&to=2026-06-01T00:00:00Z`, undefined, 400, /to: must be at most 367 days after from/],
      ['GET', `${CONSOLE_ROUTES.accessReviewCsv.path}?from=2026-01-01&to=2026-02-01`, undefined, 400, /from/],
      ['GET', `${CONSOLE_ROUTES.accessReviewCsv.path}?from=2026-01-01T00:00:00Z`, undefined, 400, /to/],
      ['POST', CONSOLE_ROUTES.placeHold.path, { kind: 'vendor', target: 'x', reason: 'y' }, 400, /kind/],
      ['POST', CONSOLE_ROUTES.placeHold.path, { kind: 'user', target: 'demo-va-0001', reason: '  ' }, 400, /reason/],
      ['POST', CONSOLE_ROUTES.placeHold.path, { kind: 'device', target: 'not-a-device', reason: 'Litigation hold' }, 422, /a device hold names a device id/],
      ['POST', CONSOLE_ROUTES.placeHold.path, { kind: 'device', target: 'f'.repeat(32), reason: 'Litigation hold' }, 422, /no enrolled device has the id f{32}/],
      ['POST', routePath(CONSOLE_ROUTES.releaseHold.path, { id: 999_999 }), {}, 422, /there is no legal hold 999999/],
      ['POST', CONSOLE_ROUTES.importTraining.path, { fileName: '../etc/passwd', text: 'x' }, 400, /fileName: must be a file name without folders/],
      ['POST', CONSOLE_ROUTES.importTraining.path, { fileName: 'big.csv', text: 'x'.repeat(1_000_001) }, 400, /text: must be at most 1,000,000 characters/],
      ['POST', CONSOLE_ROUTES.importTraining.path, { fileName: 'bad.csv', text: 'subject,course\nva,phishing\n' }, 422, /^Nothing was imported from bad\.csv: one problem to fix first\. The first: row 1, completed_on: the column completed_on is missing/],
    ];
    for (const [method, path, body, status, message] of cases) {
      const answer = await cora.request(method, path, body === undefined ? {} : { body });
      expect(`${method} ${path} ${answer.status}`).toBe(`${method} ${path} ${status}`);
      expect(String(answer.json.message)).toMatch(message);
    }
    const raw = await cora.request('POST', routePath(CONSOLE_ROUTES.review.path, { deviceId: session.deviceId, code: session.code }), { rawBody: '{"status":' });
    expect(raw.status).toBe(400);
    // An unreadable code is an answer, not an error: the person is told what a code looks like.
    const lookup = await cora.request('GET', `${CONSOLE_ROUTES.lookup.path}?code=hello`);
    expect(lookup.status).toBe(200);
    expect(lookup.json).toMatchObject({ normalized: null, matches: [] });
    expect(String(lookup.json.problem)).toMatch(/8 letters and digits/);

    const log = await cora.request('GET', `${CONSOLE_ROUTES.accessLog.path}?limit=200`);
    const refusals = (log.json.items as { actor: string; outcome: string }[]).filter((e) => e.actor === 'Cora Compliance [demo-cmp-0001]' && e.outcome === 'refused');
    expect(refusals.length).toBeGreaterThanOrEqual(cases.length + 1);
  });

  it('keeps an access log whose chain verifies, and shows an edit in the database even with its links recomputed', async () => {
    // The matrix above signed everyone out: a fresh session.
    const cora = await ConsoleHttpUser.signedIn(stack, 'cora');
    const intact = await cora.request('GET', `${CONSOLE_ROUTES.accessLog.path}?limit=200`);
    expect(intact.json.chain).toMatchObject({ intact: true, problem: null });
    const entries = intact.json.items as { seq: number; action: string }[];
    expect(entries.length).toBeGreaterThan(10);
    const signIn = entries.find((e) => e.action === 'sign-in') as { seq: number };
    await stack.sql(`update access_log set body = replace(body, '"sign-in"', '"sign-on"') where seq = ?`, signIn.seq);
    const edited = (await cora.request('GET', `${CONSOLE_ROUTES.accessLog.path}?limit=1`)).json.chain as { intact: boolean; problem: string };
    expect(edited.intact).toBe(false);
    expect(edited.problem).toMatch(new RegExp(`entry ${signIn.seq} does not match its chain link`));
    // An insider who also recomputes every link still cannot sign them with the collector's key.
    const { createHash } = await import('node:crypto');
    const rows = (await stack.sql('select seq, body from access_log order by seq')) as { seq: number; body: string }[];
    expect(rows.length).toBeGreaterThan(10);
    let link = '0'.repeat(64);
    for (const row of rows) {
      link = createHash('sha256').update(Buffer.from(link, 'hex')).update(row.body, 'utf8').digest('hex');
      await stack.sql('update access_log set link = ? where seq = ?', link, row.seq);
    }
    const relinked = (await cora.request('GET', `${CONSOLE_ROUTES.accessLog.path}?limit=1`)).json.chain as { intact: boolean; problem: string };
    expect(relinked.intact).toBe(false);
    expect(relinked.problem).toMatch(/is not signed by this collector's key/);
  });
});
