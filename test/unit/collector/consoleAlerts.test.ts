// Rule alerts as the console shows them, on SQLite and PostgreSQL: the severity the rule
// stored (not a guess from the kind), the count and window a rule folded its findings
// into, a chain flag on the devices list that only the device's history raises, and a
// plain-language name for every rule id the collector has. The alerts come from the real
// rule engine over the real collector's database, fed the very events the device sent.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ALERT_KINDS } from '../../../collector/alerts';
import { parseRulesText } from '../../../collector/rules/rulesFile';
import { CONSOLE_ROUTES, routePath, type AlertRow } from '../../../common/console/consoleApi';
import { alertKindLabel, alertWindow } from '../../../console/alertKinds';
import { ConsoleHttpUser } from '../../support/consoleHttpUser';
import { startConsoleStack, type ConsoleStack } from '../../support/consoleStack';
import { describeOnEachStorage } from './collectorHarness';
import { TestDevice } from './collectorTestDevice';
import { rulesBeside, type RulesBeside } from './consoleRuleEngine';
import { body, type StreamEvent } from './rulesStream';

const ZONE = 'Pacific/Auckland';
const BURST = { count: 3, withinMinutes: 10 };
// Working hours of one minute a week: any other sign-in is off-hours.
const RULES = parseRulesText(
  `
version: 1
practice: { timezone: ${ZONE}, workingHours: { sun: ["00:00-00:01"] } }
rules:
  off-hours-sign-in: {}
  blocked-burst: { severity: critical, count: ${BURST.count}, withinMinutes: ${BURST.withinMinutes} }
`,
  'rules.yaml',
);

const MIN = 60_000;
const WINDOW_MS = BURST.withinMinutes * MIN;
/** The start of a burst bucket two hours ago: the test's events all fall in it. */
const BASE = Math.floor(Date.now() / WINDOW_MS) * WINDOW_MS - 2 * 3_600_000;
const at = (minutes: number) => new Date(BASE + minutes * MIN).toISOString();
const practiceDate = (ms: number) => new Intl.DateTimeFormat('en-CA', { timeZone: ZONE, year: 'numeric', month: '2-digit', day: '2-digit' }).format(ms);

describeOnEachStorage('console: rule alerts', (storage) => {
  let stack: ConsoleStack;
  let rules: RulesBeside;
  let removeStorage: () => Promise<void>;
  let sam: ConsoleHttpUser;
  let ada: ConsoleHttpUser;
  let ruled: TestDevice;
  let edited: TestDevice;
  const session = { subject: 'va-rules', session: 'RAA7-0001' };
  const copies = [2, 3, 4, 5, 6].map((m): StreamEvent => ({ type: 'clipboard.blocked', outcome: 'blocked', at: at(m), appId: 'ehr', reason: 'copy-out-of-workspace', ...session }));
  const stream: StreamEvent[] = [{ type: 'sign-in.succeeded', at: at(1.5), ...session }, ...copies, { type: 'sign-out', at: at(8), ...session }];

  beforeAll(async () => {
    const created = await storage.create();
    removeStorage = created.remove;
    stack = await startConsoleStack({ storage: created.storage, seed: false });
    rules = await rulesBeside(created.storage, RULES);
    ruled = new TestDevice(stack.collector.url, 'VA-LT-101 (rules)');
    edited = new TestDevice(stack.collector.url, 'VA-LT-102 (edited)');
    for (const device of [ruled, edited]) await device.enrollWithCode(stack.collector);
    // Two batches: the second's finding is counted on the alert the first opened.
    for (const part of [stream.slice(0, 5), stream.slice(5)]) {
      const events = ruled.record(part.length, (i) => body(part[i] as StreamEvent));
      expect((await ruled.sendBatch(events)).status).toBe(200);
      await rules.ingested(ruled.deviceId, events);
    }

    // The other device later sends an edited copy of an acknowledged event: a chain alert.
    const other = { subject: 'va-chain', session: 'RBB7-0002' };
    const sent = edited.record(3, (i) => body({ type: i === 0 ? 'sign-in.succeeded' : 'app.opened', at: at(20 + i), appId: 'ehr', ...other }));
    expect((await edited.sendBatch(sent)).status).toBe(200);
    const altered = sent.map((e, i) => (i === 1 ? { ...e, body: e.body.replace('app.opened', 'app.closed') } : e));
    expect((await edited.sendBatch(altered)).status).toBe(409);

    sam = await ConsoleHttpUser.signedIn(stack, 'sam');
    ada = await ConsoleHttpUser.signedIn(stack, 'ada');
  }, 120_000);
  afterAll(async () => {
    await rules?.close();
    await stack?.close();
    await removeStorage?.();
  });

  const alerts = async () => (await sam.request('GET', `${CONSOLE_ROUTES.alerts.path}?status=open`)).json.items as AlertRow[];

  it('shows the severity the rule stored, and the count and window a rule folded its findings into', async () => {
    const burst = (await alerts()).find((a) => a.kind === 'blocked-burst');
    // The rules file made bursts critical: a guess from the kind would say medium.
    expect(burst).toMatchObject({ severity: 'critical', deviceId: ruled.deviceId, subject: 'va-rules', sourceAddress: null });
    // Every copy from the threshold on is a finding, all in the one bucket the events share.
    expect(burst?.occurrences).toBe(copies.length - BURST.count + 1);
    expect(burst?.windowStart).toBe(new Date(BASE).toISOString());
    expect(Date.parse(burst?.lastDetectedAt ?? '')).toBeGreaterThanOrEqual(Date.parse(burst?.detectedAt ?? ''));
    expect(alertWindow(burst as AlertRow)).toMatch(/^the rule's window starting /);

    const offHours = (await alerts()).find((a) => a.kind === 'off-hours-sign-in');
    expect(offHours).toMatchObject({ severity: 'medium', occurrences: 1, lastDetectedAt: null });
    // A day window is the practice's date at 00:00 UTC.
    const date = practiceDate(Date.parse(at(1.5)));
    expect(offHours?.windowStart).toBe(`${date}T00:00:00.000Z`);
    expect(alertWindow(offHours as AlertRow)).toBe(`the practice's day ${new Intl.DateTimeFormat(undefined, { weekday: 'short', year: 'numeric', month: 'short', day: 'numeric', timeZone: 'UTC' }).format(Date.parse(`${date}T00:00:00Z`))}`);

    const edit = (await alerts()).find((a) => a.kind === 'edit');
    expect(edit).toMatchObject({ severity: 'critical', deviceId: edited.deviceId, windowStart: null, sourceAddress: '127.0.0.1' });
    expect(alertWindow(edit as AlertRow)).toBeNull();
  });

  it('flags a device chain only for its chain alerts, and still counts every open alert', async () => {
    const devices = (await ada.request('GET', CONSOLE_ROUTES.devices.path)).json.items as { deviceId: string; chain: string; chainAlerts: number; openAlerts: number }[];
    const open = await alerts();
    const openOf = (deviceId: string) => open.filter((a) => a.deviceId === deviceId).length;
    expect(devices.find((d) => d.deviceId === ruled.deviceId)).toEqual(expect.objectContaining({ chain: 'intact', chainAlerts: 0, openAlerts: openOf(ruled.deviceId) }));
    expect(openOf(ruled.deviceId)).toBeGreaterThanOrEqual(2);
    expect(devices.find((d) => d.deviceId === edited.deviceId)).toEqual(expect.objectContaining({ chain: 'alerts', chainAlerts: 1, openAlerts: 1 }));
  });

  it('keeps rule alerts out of a timeline\'s chain marks', async () => {
    const timeline = (await sam.request('GET', routePath(CONSOLE_ROUTES.timeline.path, { deviceId: ruled.deviceId, code: session.session }))).json as { stretches: { status: string }[]; session: { openAlerts: number } };
    // Recorded two hours before they were sent: late, with the chain intact.
    expect(timeline.stretches.map((s) => s.status)).toEqual(['delivered-late']);
    expect(timeline.session.openAlerts).toBeGreaterThanOrEqual(2);
  });

  it('has a plain-language name for every rule id and every chain alert kind', () => {
    // This test's rules file has every rule (the optional off-hours one too).
    const kinds = [...Object.keys(RULES.rules).filter((id) => id !== 'chain-alerts'), ...Object.keys(ALERT_KINDS)];
    expect(kinds.length).toBeGreaterThan(20);
    expect(kinds.filter((kind) => alertKindLabel(kind) === kind)).toEqual([]);
  });
});
