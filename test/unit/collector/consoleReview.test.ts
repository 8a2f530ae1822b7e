// What a supervisor reads in the console, checked against what was really ingested: the
// session list and its paging under concurrent ingest, the four chain states of a
// timeline (from the stored chain, alerts and delivery times), code lookup, review marks,
// and the console's own access log (chained, signed, and an edit in the database shows).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONSOLE_ROUTES, routePath, type SessionRow, type TimelineEvent } from '../../../common/console/consoleApi';
import { ConsoleHttpUser } from '../../support/consoleHttpUser';
import { startConsoleStack, type ConsoleStack } from '../../support/consoleStack';
import type { SeededSession } from '../../../demo/seed/consoleSeed';

let stack: ConsoleStack;
let sam: ConsoleHttpUser;
let cora: ConsoleHttpUser;

beforeAll(async () => {
  stack = await startConsoleStack();
  sam = await ConsoleHttpUser.signedIn(stack, 'sam');
  cora = await ConsoleHttpUser.signedIn(stack, 'cora');
}, 120_000);
afterAll(async () => stack?.close());

const seeded = () => stack.seeded as NonNullable<ConsoleStack['seeded']>;
const timelineOf = async (s: Pick<SeededSession, 'deviceId' | 'code'>) => (await sam.request('GET', routePath(CONSOLE_ROUTES.timeline.path, { deviceId: s.deviceId, code: s.code }))).json as { session: SessionRow; events: TimelineEvent[]; stretches: { status: string; explanation: string; fromSeq: number; toSeq: number }[] };
const editDatabase = (statement: string, ...args: unknown[]) => stack.sql(statement, ...args);

describe('sessions list', () => {
  it('lists every seeded session newest first with its counts, apps and open alerts', async () => {
    const answer = await sam.request('GET', `${CONSOLE_ROUTES.sessions.path}?limit=50`);
    const items = answer.json.items as SessionRow[];
    expect(items.map((s) => s.code)).toEqual([...seeded().sessions].sort((a, b) => b.startedAt - a.startedAt).map((s) => s.code));
    const late = items.find((s) => s.code === seeded().late.code);
    expect(late).toMatchObject({ subject: 'demo-va-0001', apps: ['ehr', 'messages'], blocks: 3, locks: 1, endedAt: null, review: 'not-reviewed', openAlerts: 0 });
    expect(items.find((s) => s.code === seeded().tampered.code)?.openAlerts).toBe(1);
  });

  it('filters by alerts, review status, user, device and time', async () => {
    const query = async (q: string) => ((await sam.request('GET', `${CONSOLE_ROUTES.sessions.path}?${q}`)).json.items as SessionRow[]).map((s) => s.code);
    expect(await query('hasAlerts=true')).toEqual([seeded().tampered.code]);
    expect(await query('hasAlerts=false')).not.toContain(seeded().tampered.code);
    expect(await query('user=demo-va-0001')).toHaveLength(seeded().sessions.length);
    expect(await query('user=someone-else')).toEqual([]);
    expect(await query(`device=${encodeURIComponent(seeded().tampered.deviceName)}`)).toEqual([seeded().tampered.code]);
    expect(await query(`from=${new Date(seeded().late.startedAt - 1000).toISOString()}`)).toEqual([seeded().late.code]);
  });

  it('pages with a cursor that stays stable while devices keep delivering new sessions', async () => {
    const first = await sam.request('GET', `${CONSOLE_ROUTES.sessions.path}?limit=2`);
    const firstCodes = (first.json.items as SessionRow[]).map((s) => s.code);
    // New sessions arrive between the two pages (all newer than any listed so far).
    const { seedConsoleDemo } = await import('../../../demo/seed/consoleSeed');
    await seedConsoleDemo(stack.collector, stack.clock, Date.now() + 100 * 3600_000);
    const second = await sam.request('GET', `${CONSOLE_ROUTES.sessions.path}?limit=2&cursor=${String(first.json.nextCursor)}`);
    const secondCodes = (second.json.items as SessionRow[]).map((s) => s.code);
    const expected = [...seeded().sessions].sort((a, b) => b.startedAt - a.startedAt).map((s) => s.code);
    expect([...firstCodes, ...secondCodes]).toEqual(expected);
  });
});

describe('timeline chain status', () => {
  it('marks an ordinary, live-delivered session verified', async () => {
    const yesterday = seeded().sessions[0] as SeededSession;
    const timeline = await timelineOf(yesterday);
    expect(timeline.stretches.map((s) => s.status)).toEqual(['verified']);
    expect(timeline.events.map((e) => e.type)).toEqual(['sign-in.succeeded', 'app.opened', 'app.opened', 'clipboard.blocked', 'navigation.blocked', 'session.locked', 'reauth.succeeded', 'session.unlocked', 'print.blocked', 'sign-out']);
  });

  it('tells an offline stretch delivered late, chain intact, from the live part', async () => {
    const timeline = await timelineOf(seeded().late);
    expect(timeline.stretches.map((s) => s.status)).toEqual(['verified', 'delivered-late']);
    const late = timeline.stretches[1];
    expect(late?.explanation).toMatch(/offline and received 2 h \d+ min later; the chain is intact/);
    expect(timeline.events.filter((e) => e.chain === 'delivered-late').map((e) => e.type)).toEqual(['session.locked', 'reauth.succeeded', 'session.unlocked', 'print.blocked']);
  });

  it('marks the event a device later tried to rewrite as tampered (from the stored alert)', async () => {
    const timeline = await timelineOf(seeded().tampered);
    const tampered = timeline.events.filter((e) => e.chain === 'tampered');
    expect(tampered.map((e) => e.type)).toEqual(['clipboard.blocked']);
    expect(timeline.stretches.find((s) => s.status === 'tampered')?.explanation).toMatch(/different version of this history \(edit/);
  });

  it('marks history edited in the database tampered, and removed history a gap', async () => {
    const spare = seeded().sessions[3] as SeededSession;
    const before = await timelineOf(spare);
    expect(before.stretches.map((s) => s.status)).toEqual(['verified']);
    const seqs = before.events.map((e) => e.seq);
    await editDatabase(`update events set body = replace(body, 'app.opened', 'app.closed') where device_id = ? and seq = ?`, spare.deviceId, seqs[1]);
    const edited = await timelineOf(spare);
    expect(edited.events.map((e) => e.chain)).toEqual(['verified', 'tampered', 'tampered']);

    const yesterday = seeded().sessions[0] as SeededSession;
    const full = await timelineOf(yesterday);
    await editDatabase('delete from events where device_id = ? and seq = ?', yesterday.deviceId, full.events[4]?.seq);
    const holed = await timelineOf(yesterday);
    expect(holed.stretches.map((s) => s.status)).toEqual(['verified', 'gap']);
    expect(holed.stretches[1]?.explanation).toMatch(/Gap: entry \d+ is missing/);
  });
});

describe('lookup, review and the access log', () => {
  it('finds a session from a code as read off a photo (case, hyphen, O for 0, I/L for 1)', async () => {
    const code = seeded().late.code;
    const sloppy = code.toLowerCase().replace('-', ' ').replace(/0/g, 'o').replace(/1/g, 'l');
    const answer = await sam.request('GET', `${CONSOLE_ROUTES.lookup.path}?code=${encodeURIComponent(sloppy)}`);
    expect(answer.json.normalized).toBe(code);
    expect((answer.json.matches as SessionRow[]).map((s) => s.deviceId)).toEqual([seeded().late.deviceId]);
  });

  it('records a review mark with its note and shows it in the list', async () => {
    const late = seeded().late;
    const marked = await sam.request('POST', routePath(CONSOLE_ROUTES.review.path, { deviceId: late.deviceId, code: late.code }), { body: { status: 'flagged', note: 'Ask Valerie about the offline hour' } });
    expect(marked.json).toMatchObject({ review: 'flagged', reviewNote: 'Ask Valerie about the offline hour' });
    const unreviewed = ((await sam.request('GET', `${CONSOLE_ROUTES.sessions.path}?notReviewed=true`)).json.items as SessionRow[]).map((s) => s.code);
    expect(unreviewed).not.toContain(late.code);
  });

  it('acknowledges and resolves an alert with a note, and the inbox shows who did', async () => {
    const open = (await sam.request('GET', `${CONSOLE_ROUTES.alerts.path}?status=open`)).json.items as { id: number; kind: string; deviceName: string; subject: string }[];
    expect(open[0]).toMatchObject({ kind: 'edit', deviceName: seeded().tampered.deviceName, subject: 'demo-va-0001', sourceAddress: '127.0.0.1', occurrences: 1 });
    const id = open[0]?.id ?? 0;
    const resolved = await sam.request('POST', routePath(CONSOLE_ROUTES.handleAlert.path, { id }), { body: { status: 'resolved', note: 'Laptop reimaged by IT' } });
    expect(resolved.json).toMatchObject({ status: 'resolved', note: 'Laptop reimaged by IT', handledBy: 'demo-sup-0001' });
    const stillOpen = (await sam.request('GET', `${CONSOLE_ROUTES.alerts.path}?status=open`)).json.items as { id: number }[];
    expect(stillOpen.map((a) => a.id)).not.toContain(id);
    const resolvedList = (await sam.request('GET', `${CONSOLE_ROUTES.alerts.path}?status=resolved`)).json.items as { id: number }[];
    expect(resolvedList.map((a) => a.id)).toEqual([id]);
  });

  it("shows compliance every sign-in, view, search, lookup and review mark, on an intact chain", async () => {
    const log = await cora.request('GET', `${CONSOLE_ROUTES.accessLog.path}?limit=200`);
    expect(log.json.chain).toMatchObject({ intact: true, problem: null });
    const entries = log.json.items as { actor: string; action: string; outcome: string; target: string | null }[];
    const sams = entries.filter((e) => e.actor === 'Sam Supervisor [demo-sup-0001]').map((e) => e.action);
    for (const action of ['sign-in', 'search-sessions', 'view-session', 'lookup-code', 'review-session', 'handle-alert', 'view-alerts']) expect(sams).toContain(action);
    expect(entries).toContainEqual(expect.objectContaining({ action: 'lookup-code', target: `code ${seeded().late.code}` }));
  });

  it('shows IT each device with its software version (from its latest start), head and open alerts', async () => {
    const ada = await ConsoleHttpUser.signedIn(stack, 'ada');
    const devices = (await ada.request('GET', CONSOLE_ROUTES.devices.path)).json.items as { deviceId: string; softwareVersion: string | null; headSeq: number }[];
    const laptop = devices.find((d) => d.deviceId === seeded().late.deviceId);
    // Today's session is the laptop's last: its last event is the queue head.
    const lastSeq = (await timelineOf(seeded().late)).events.at(-1)?.seq;
    expect(laptop).toMatchObject({ softwareVersion: 'production 0.1.0', headSeq: lastSeq });
    expect(devices.every((d) => d.softwareVersion === 'production 0.1.0')).toBe(true);
  });
});
