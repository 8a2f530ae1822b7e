// The periodic access review on SQLite and PostgreSQL, from a synthetic month delivered
// through the real collector: sessions of three VAs on three devices (and some just
// outside the period), blocks of every kind, chain alerts resolved after known delays,
// review marks. Every figure the report gives is derived here from the dataset's own
// definition; the CSV is read back with Python's csv module, as a spreadsheet would.
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { alertSeverity } from '../../../collector/console/alertSeverity';
import { ACCESS_REVIEW_COLUMNS } from '../../../collector/reports/accessReviewCsv';
import { BLOCK_KIND_NAMES, CONSOLE_ROUTES, routePath, type AccessReview, type AlertRow, type BlockKind, type ReviewFigures } from '../../../common/console/consoleApi';
import { ConsoleHttpUser } from '../../support/consoleHttpUser';
import { startConsoleStack, type ConsoleStack } from '../../support/consoleStack';
import { describeOnEachStorage } from './collectorHarness';
import { TestDevice } from './collectorTestDevice';
import { body } from './rulesStream';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
/** January 2025 in Chicago: the console turns the viewer's dates into these instants. */
const FROM = '2025-01-01T00:00:00-06:00';
const TO = '2025-02-01T00:00:00-06:00';
const from = Date.parse(FROM);
const to = Date.parse(TO);

interface Block {
  type: string;
  /** What the dataset means the block to be; `other` for a block of no named kind. */
  kind: BlockKind;
  outcome?: 'blocked' | 'success';
}
interface SessionSpec {
  va: string;
  device: 0 | 1 | 2;
  code: string;
  start: number;
  minutes: number;
  blocks: Block[];
  /** Signed out at the end; otherwise its last event is at the end. */
  ended: boolean;
  review: 'reviewed' | 'flagged' | null;
  /** One chain alert per entry, detected `detectAfter` minutes after the session: resolved after `resolveAfter` minutes, acknowledged only, or left open. */
  alerts: { detectAfter: number; resolveAfter: number | 'acknowledged' | 'open' }[];
}

const copy: Block = { type: 'clipboard.blocked', kind: 'copy' };
const SESSIONS: SessionSpec[] = [
  // Before the period, with an alert detected inside it: the practice's, no VA's.
  { va: 'va-alpha', device: 0, code: 'PRE0-0001', start: from - DAY, minutes: 120, blocks: [copy, copy], ended: true, review: 'reviewed', alerts: [{ detectAfter: 22 * 60 + 60, resolveAfter: 45 }] },
  {
    va: 'va-alpha',
    device: 0,
    code: 'AAAA-0001',
    start: from + DAY + 9 * HOUR,
    minutes: 480,
    // A copy event that was not refused is no block.
    blocks: [copy, copy, copy, { type: 'print.blocked', kind: 'print' }, { type: 'clipboard.blocked', kind: 'copy', outcome: 'success' }],
    ended: true,
    review: 'reviewed',
    alerts: [{ detectAfter: 5, resolveAfter: 30 }],
  },
  {
    va: 'va-alpha',
    device: 1,
    code: 'AAAA-0002',
    start: from + 2 * DAY + 8 * HOUR,
    minutes: 240,
    blocks: [
      { type: 'download.blocked', kind: 'download' },
      { type: 'download.blocked', kind: 'download' },
      { type: 'navigation.blocked', kind: 'navigation' },
      { type: 'window-open.blocked', kind: 'navigation' },
      { type: 'devtools.blocked', kind: 'other' },
    ],
    ended: true,
    review: 'flagged',
    alerts: [
      { detectAfter: 5, resolveAfter: 120 },
      { detectAfter: 6, resolveAfter: 'acknowledged' },
    ],
  },
  {
    va: 'va-beta',
    device: 0,
    code: 'BBBB-0001',
    start: from + 3 * DAY + 10 * HOUR,
    minutes: 300,
    blocks: [
      { type: 'upload.blocked', kind: 'upload' },
      { type: 'capture.blocked', kind: 'capture' },
      { type: 'permission.denied', kind: 'permission' },
    ],
    ended: false,
    review: null,
    alerts: [
      { detectAfter: 5, resolveAfter: 10 },
      { detectAfter: 6, resolveAfter: 50 },
      { detectAfter: 7, resolveAfter: 90 },
    ],
  },
  { va: 'va-beta', device: 2, code: 'BBBB-0002', start: from + 10 * DAY, minutes: 60, blocks: [], ended: true, review: 'reviewed', alerts: [] },
  // A subject a spreadsheet would read as a formula.
  { va: '=gamma', device: 2, code: 'CCCC-0001', start: from + 20 * DAY, minutes: 200, blocks: [copy, copy], ended: true, review: null, alerts: [{ detectAfter: 5, resolveAfter: 'open' }] },
  // Starts the instant the period ends: the next period's.
  { va: 'va-beta', device: 1, code: 'P5ST-0001', start: to, minutes: 90, blocks: [copy], ended: true, review: 'reviewed', alerts: [{ detectAfter: 5, resolveAfter: 15 }] },
];
/** A device that never enrolled sends a batch, in the period: an alert about no session. */
const UNKNOWN_DEVICE_AT = from + 5 * DAY;

interface StoredAlert {
  spec: SessionSpec;
  detectedAt: number;
  resolveAfter: SessionSpec['alerts'][number]['resolveAfter'];
  deviceId: string;
  seq: number;
}

function median(values: number[]): number | null {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return null;
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/** What the review must say for these sessions and their alerts, from the definitions above. */
function expectedFigures(sessions: SessionSpec[], alerts: StoredAlert[]): ReviewFigures {
  const blocks = sessions.flatMap((s) => s.blocks.filter((b) => (b.outcome ?? 'blocked') === 'blocked'));
  const mine = alerts.filter((a) => sessions.includes(a.spec));
  const delays = mine.flatMap((a) => (typeof a.resolveAfter === 'number' ? [a.resolveAfter * MIN] : []));
  return {
    sessions: sessions.length,
    workedMs: sessions.reduce((sum, s) => sum + s.minutes * MIN, 0),
    devices: new Set(sessions.map((s) => s.device)).size,
    blocks: Object.fromEntries(BLOCK_KIND_NAMES.map((kind) => [kind, blocks.filter((b) => b.kind === kind).length])) as Record<BlockKind, number>,
    blocksTotal: blocks.length,
    alerts: { raised: mine.length, resolved: delays.length, medianResolutionMs: median(delays), maxResolutionMs: delays.length === 0 ? null : Math.max(...delays) },
    reviewed: sessions.filter((s) => s.review === 'reviewed').length,
    flagged: sessions.filter((s) => s.review === 'flagged').length,
    notReviewed: sessions.filter((s) => s.review === null).length,
  };
}

/** Python's csv module reads the file as a spreadsheet would; one leading ' (the formula guard) is taken off. */
function readCsv(bytes: string): string[][] {
  const rows = JSON.parse(execFileSync('/usr/bin/python3', ['-c', 'import csv, io, json, sys; print(json.dumps(list(csv.reader(io.StringIO(sys.stdin.read(), newline="")))))'], { input: bytes, encoding: 'utf8' })) as string[][];
  return rows.map((row) => row.map((cell) => cell.replace(/^'(?=[=+\-@\t\r'])/, '')));
}

describeOnEachStorage('console: periodic access review', (storage) => {
  let stack: ConsoleStack;
  let removeStorage: () => Promise<void>;
  let cora: ConsoleHttpUser;
  const stored: StoredAlert[] = [];

  beforeAll(async () => {
    const created = await storage.create();
    removeStorage = created.remove;
    stack = await startConsoleStack({ storage: created.storage, seed: false });
    cora = await ConsoleHttpUser.signedIn(stack, 'cora');
    const sam = await ConsoleHttpUser.signedIn(stack, 'sam');
    const devices = [0, 1, 2].map((i) => new TestDevice(stack.collector.url, `VA-LT-20${i}`));
    /** Sends as the device would at `at`: the collector's clock is there too. */
    const deliver = async (device: TestDevice, events: ReturnType<TestDevice['record']>, at: number) => {
      stack.clock.travelTo(at);
      return (await device.sendBatch(events, {}, { timestamp: new Date(at).toISOString() })).status;
    };
    try {
      for (const device of devices) {
        stack.clock.travelTo(from - 3 * DAY);
        await device.enrollWithCode(stack.collector);
      }
      for (const spec of SESSIONS) {
        const device = devices[spec.device] as TestDevice;
        const end = spec.start + spec.minutes * MIN;
        const session = { subject: spec.va, session: spec.code, appId: 'ehr' };
        const steps: { type: string; outcome: 'blocked' | 'success'; at: number }[] = [
          { type: 'sign-in.succeeded', outcome: 'success', at: spec.start },
          ...spec.blocks.map((b, i) => ({ type: b.type, outcome: b.outcome ?? 'blocked', at: spec.start + (i + 1) * MIN })),
          { type: spec.ended ? 'sign-out' : 'app.closed', outcome: 'success', at: end },
        ];
        const events = device.record(steps.length, (i) => {
          const step = steps[i] as (typeof steps)[number];
          return body({ ...step, at: new Date(step.at).toISOString(), ...session });
        });
        expect(await deliver(device, events, end + MIN)).toBe(200);
        // Each alert: a copy of the session with one more of its events edited, sent later.
        for (const [i, alert] of spec.alerts.entries()) {
          const detectedAt = end + alert.detectAfter * MIN;
          const edited = events.map((e, j) => (j === i + 1 ? { ...e, body: e.body.replace('"appId":"ehr"', '"appId":"emr"') } : e));
          expect(await deliver(device, edited, detectedAt)).toBe(409);
          stored.push({ spec, detectedAt, resolveAfter: alert.resolveAfter, deviceId: device.deviceId, seq: (events[i + 1] as (typeof events)[number]).seq });
        }
        if (spec.review !== null) {
          stack.clock.travelTo(null);
          const marked = await sam.request('POST', routePath(CONSOLE_ROUTES.review.path, { deviceId: device.deviceId, code: spec.code }), { body: { status: spec.review, note: '' } });
          expect(marked.status).toBe(200);
        }
      }
      const stranger = new TestDevice(stack.collector.url, 'never enrolled');
      expect(await deliver(stranger, stranger.record(1, () => body({ type: 'app.started', at: new Date(UNKNOWN_DEVICE_AT).toISOString() })), UNKNOWN_DEVICE_AT)).toBe(401);

      stack.clock.travelTo(null);
      const inbox = (await sam.request('GET', `${CONSOLE_ROUTES.alerts.path}?limit=200`)).json.items as AlertRow[];
      for (const alert of stored) {
        const row = inbox.find((a) => a.kind === 'edit' && a.deviceId === alert.deviceId && a.seq === alert.seq);
        expect(row?.detectedAt).toBe(new Date(alert.detectedAt).toISOString());
        if (alert.resolveAfter === 'open') continue;
        const status = alert.resolveAfter === 'acknowledged' ? 'acknowledged' : 'resolved';
        // The supervisor handles it that long after it was detected (the collector's clock says when).
        stack.clock.travelTo(alert.detectedAt + (typeof alert.resolveAfter === 'number' ? alert.resolveAfter * MIN : 3 * MIN));
        expect((await sam.request('POST', routePath(CONSOLE_ROUTES.handleAlert.path, { id: row?.id ?? 0 }), { body: { status, note: '' } })).status).toBe(200);
      }
    } finally {
      stack.clock.travelTo(null);
    }
  }, 180_000);
  afterAll(async () => {
    await stack?.close();
    await removeStorage?.();
  });

  const inPeriod = SESSIONS.filter((s) => s.start >= from && s.start < to);
  const report = async () => {
    const answer = await cora.request('GET', `${CONSOLE_ROUTES.accessReview.path}?from=${encodeURIComponent(FROM)}&to=${encodeURIComponent(TO)}`);
    expect(answer.status).toBe(200);
    return answer.json as unknown as AccessReview;
  };

  it('gives each VA the figures of their sessions that started in the period, and the totals of all', async () => {
    const review = await report();
    expect(review.period).toEqual({ from: new Date(from).toISOString(), to: new Date(to).toISOString() });
    expect(review.generatedBy).toBe('Cora Compliance [demo-cmp-0001]');
    // The demo console names its practice (CORDON_CONSOLE_PRACTICE_NAME for a real one).
    expect(review.practice).toBe('Sunrise Family Medicine (demo)');
    const vas = [...new Set(inPeriod.map((s) => s.va))].sort((a, b) => a.localeCompare(b));
    expect(review.vas.map((v) => v.subject)).toEqual(vas);
    for (const va of vas) {
      const { subject, ...figures } = review.vas.find((v) => v.subject === va) as AccessReview['vas'][number];
      expect({ subject, ...figures }).toEqual({ subject: va, ...expectedFigures(inPeriod.filter((s) => s.va === va), stored) });
    }
    expect(review.totals).toEqual(expectedFigures(inPeriod, stored));
    // The dataset is worth its name: every kind of block and review, alerts resolved and not.
    expect(BLOCK_KIND_NAMES.filter((kind) => review.totals.blocks[kind] === 0)).toEqual([]);
    expect(review.totals.alerts.resolved).toBeLessThan(review.totals.alerts.raised);
  });

  it("counts the practice's every alert detected in the period, whichever session it is about, or none", async () => {
    const review = await report();
    const detected = stored.filter((a) => a.detectedAt >= from && a.detectedAt < to);
    const delays = detected.flatMap((a) => (typeof a.resolveAfter === 'number' ? [a.resolveAfter * MIN] : []));
    const unknown = UNKNOWN_DEVICE_AT >= from && UNKNOWN_DEVICE_AT < to ? 1 : 0;
    expect(review.practiceAlerts).toEqual({
      raised: detected.length + unknown,
      resolved: delays.length,
      medianResolutionMs: median(delays),
      maxResolutionMs: Math.max(...delays),
      byKind: [
        { kind: 'edit', severity: alertSeverity('edit'), raised: detected.length, resolved: delays.length },
        { kind: 'unknown-device', severity: alertSeverity('unknown-device'), raised: unknown, resolved: 0 },
      ],
    });
    // The alert detected in the period about a session before it is the practice's, not a VA's.
    expect(review.practiceAlerts.raised).toBeGreaterThan(review.totals.alerts.raised + unknown);
  });

  it('is empty, not wrong, for a period with nothing in it', async () => {
    const answer = await cora.request('GET', `${CONSOLE_ROUTES.accessReview.path}?from=2024-06-01T00:00:00Z&to=2024-07-01T00:00:00Z`);
    const review = answer.json as unknown as AccessReview;
    expect(review.vas).toEqual([]);
    expect(review.totals).toEqual(expectedFigures([], []));
    expect(review.practiceAlerts).toEqual({ raised: 0, resolved: 0, medianResolutionMs: null, maxResolutionMs: null, byKind: [] });
  });

  it('downloads as CSV that a spreadsheet reads back to the same figures, formula-safe', async () => {
    const review = await report();
    const answer = await cora.request('GET', `${CONSOLE_ROUTES.accessReviewCsv.path}?from=${encodeURIComponent(FROM)}&to=${encodeURIComponent(TO)}`);
    expect(answer.status).toBe(200);
    const [header, ...rows] = readCsv(answer.text);
    expect(header).toEqual([...ACCESS_REVIEW_COLUMNS]);
    const byColumn = rows.map((row) => Object.fromEntries(ACCESS_REVIEW_COLUMNS.map((column, i) => [column, row[i]])));
    const minutes = (ms: number | null) => (ms === null ? '' : (ms / MIN).toFixed(1));
    const asCells = (figures: ReviewFigures) => ({
      sessions: String(figures.sessions),
      hours_worked: (figures.workedMs / HOUR).toFixed(2),
      devices: String(figures.devices),
      blocks_total: String(figures.blocksTotal),
      ...Object.fromEntries(BLOCK_KIND_NAMES.map((kind) => [`blocks_${kind}`, String(figures.blocks[kind])])),
      alerts_raised: String(figures.alerts.raised),
      alerts_resolved: String(figures.alerts.resolved),
      resolution_median_minutes: minutes(figures.alerts.medianResolutionMs),
      resolution_max_minutes: minutes(figures.alerts.maxResolutionMs),
      sessions_reviewed: String(figures.reviewed),
      sessions_flagged: String(figures.flagged),
      sessions_not_reviewed: String(figures.notReviewed),
    });
    const period = { period_from: review.period.from, period_to: review.period.to };
    expect(byColumn).toEqual([
      ...review.vas.map((va) => ({ scope: 'va', va: va.subject, ...period, ...asCells(va) })),
      { scope: 'all-vas', va: '', ...period, ...asCells(review.totals) },
      expect.objectContaining({ scope: 'practice-alerts', sessions: '', alerts_raised: String(review.practiceAlerts.raised), resolution_median_minutes: minutes(review.practiceAlerts.medianResolutionMs) }),
    ]);
    // The subject that starts with = is stored with the guard a spreadsheet needs.
    expect(answer.text).toContain(`"'=gamma"`);
  });

  it('records both in the access log, with the period', async () => {
    const log = (await cora.request('GET', `${CONSOLE_ROUTES.accessLog.path}?limit=200`)).json.items as { actor: string; action: string; target: string | null }[];
    const mine = log.filter((e) => e.actor === 'Cora Compliance [demo-cmp-0001]');
    expect(mine).toContainEqual(expect.objectContaining({ action: 'view-access-review', target: `period ${FROM} to ${TO}` }));
    expect(mine).toContainEqual(expect.objectContaining({ action: 'export-access-review', target: `CSV of period ${FROM} to ${TO} (${new Set(inPeriod.map((s) => s.va)).size} VAs)` }));
  });
});
