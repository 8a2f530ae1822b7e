// Alert rules on a real collector (SQLite and PostgreSQL): each rule fires on a synthetic
// stream that should trigger it and stays silent on a near miss; repeats within a window
// are counted on one open alert; the silence rule fires from the timer with no traffic.
import { expect, it } from 'vitest';
import type { AlertingConfig } from '../../../collector/collectorConfig';
import { parseRulesText } from '../../../collector/rules/rulesFile';
import { describeOnEachStorage, useTestCollector } from './collectorHarness';
import { ruleAlerts, streamDevice, type StreamEvent } from './rulesStream';

const RULES = `
version: 1
practice:
  timezone: America/New_York
  workingHours: { mon: ["08:00-18:00"], tue: ["08:00-18:00"], wed: ["08:00-18:00"], thu: ["08:00-18:00"], fri: ["08:00-18:00"] }
  users:
    night-va: { workingHours: { mon: ["18:00-24:00"] } }
rules:
  off-hours-sign-in: { severity: high }
  blocked-burst: { count: 3, withinMinutes: 5 }
  failed-sign-ins: { count: 3, withinMinutes: 10 }
  idle-locks: { count: 3, withinMinutes: 30 }
  device-silent: { afterHours: 2 }
`;

function alerting(overrides: Partial<AlertingConfig> = {}): AlertingConfig {
  return { rules: parseRulesText(RULES, 'rules.yaml'), channels: {}, ...overrides };
}

// Monday 2 March 2026, New York (UTC-5 until 8 March).
const monday = (time: string) => `2026-03-02T${time}-05:00`;
const signIn = (at: string, subject: string, session: string): StreamEvent => ({ type: 'sign-in.succeeded', at, subject, session });

describeOnEachStorage('alert rules', (storage) => {
  const server = useTestCollector(storage, { alerting: alerting() });

  it('off-hours sign-in: fires outside the practice schedule, folds repeats of the day, honours a VA\'s own hours', async () => {
    const { device, send } = await streamDevice(server.collector, server.url);
    await send([signIn(monday('08:00:00'), 'day-va', 'OFFH-0001'), signIn(monday('17:59:00'), 'day-va', 'OFFH-0002'), signIn(monday('19:00:00'), 'night-va', 'OFFH-0003')]);
    expect(await ruleAlerts(server.collector, 'off-hours-sign-in', device.deviceId)).toEqual([]);

    await send([signIn(monday('18:00:00'), 'day-va', 'OFFH-0004')]);
    await send([signIn(monday('23:30:00'), 'day-va', 'OFFH-0005'), signIn(monday('07:59:00'), 'night-va', 'OFFH-0006')]);
    const alerts = await ruleAlerts(server.collector, 'off-hours-sign-in', device.deviceId);
    expect(alerts.map((a) => [a.detail.split(' signed in')[0], a.occurrences])).toEqual([
      ['user:day-va', 2],
      ['user:night-va', 1],
    ]);
    expect(alerts[0]?.detail).toContain('18:00 on mon 2026-03-02 (America/New_York)');
  });

  it('blocked burst: N blocked copies within M minutes by one VA, also across batches; fewer, or spread out, is silent', async () => {
    const { device, send } = await streamDevice(server.collector, server.url);
    const blocked = (type: string, at: string, subject = 'burst-va'): StreamEvent => ({ type, outcome: 'blocked', at, subject, session: 'BRST-0001', appId: 'ehr', reason: 'copy-rate-limited' });
    await send([blocked('clipboard.blocked', monday('10:00:10')), blocked('clipboard.blocked', monday('10:00:20')), blocked('print.blocked', monday('10:00:30'))]);
    await send([blocked('download.blocked', monday('11:00:00')), blocked('download.blocked', monday('11:03:00')), blocked('download.blocked', monday('11:08:30'))]);
    await send([blocked('clipboard.blocked', monday('10:00:40'), 'other-va')]);
    expect(await ruleAlerts(server.collector, 'blocked-burst', device.deviceId)).toEqual([]);

    await send([blocked('clipboard.blocked', monday('10:01:00'))]);
    await send([blocked('clipboard.blocked', monday('10:01:30'))]);
    const alerts = await ruleAlerts(server.collector, 'blocked-burst', device.deviceId);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ occurrences: 2, detail: '3 blocked copy attempts by user:burst-va within 5 min (threshold 3)' });
  });

  it('failed sign-ins: N refusals (MFA included) on one device within M minutes; cancelled sign-ins do not count', async () => {
    const { device, send } = await streamDevice(server.collector, server.url);
    const failed = (at: string, reason: string): StreamEvent => ({ type: 'sign-in.failed', outcome: 'failure', at, reason });
    await send([failed(monday('09:00:00'), 'mfa-missing'), failed(monday('09:01:00'), 'cancelled'), failed(monday('09:02:00'), 'id-token-invalid')]);
    expect(await ruleAlerts(server.collector, 'failed-sign-ins', device.deviceId)).toEqual([]);
    await send([failed(monday('09:03:00'), 'mfa-missing')]);
    expect(await ruleAlerts(server.collector, 'failed-sign-ins', device.deviceId)).toMatchObject([{ occurrences: 1, detail: `3 refused sign-ins or MFA checks on device:${device.deviceId} within 10 min (threshold 3)` }]);
  });

  it('idle locks: N idle locks of one VA within M minutes; other lock reasons do not count', async () => {
    const { device, send } = await streamDevice(server.collector, server.url);
    const lock = (at: string, reason: string): StreamEvent => ({ type: 'session.locked', at, reason, subject: 'idle-va', session: 'IDLE-0001' });
    await send([lock(monday('13:00:00'), 'idle'), lock(monday('13:10:00'), 'os-lock'), lock(monday('13:20:00'), 'idle')]);
    expect(await ruleAlerts(server.collector, 'idle-locks', device.deviceId)).toEqual([]);
    await send([lock(monday('13:25:00'), 'idle')]);
    expect(await ruleAlerts(server.collector, 'idle-locks', device.deviceId)).toHaveLength(1);
  });

  it('capture tool, watermark tampering and queue pressure: one event is enough; a failed process check, a drained queue are not', async () => {
    const { device, send } = await streamDevice(server.collector, server.url);
    const base = { subject: 'watch-va', session: 'WTCH-0001' };
    await send([
      { type: 'capture.blocked', outcome: 'blocked', at: monday('14:00:00'), reason: 'process-check-failed', ...base },
      { type: 'audit.queue-pressure', outcome: 'success', at: monday('14:00:01'), reason: 'ok:10' },
      { type: 'print.blocked', outcome: 'blocked', at: monday('14:00:02'), appId: 'ehr', ...base },
    ]);
    for (const kind of ['capture-tool', 'watermark-tampering', 'queue-pressure']) expect(await ruleAlerts(server.collector, kind, device.deviceId)).toEqual([]);
    await send([
      { type: 'capture.blocked', outcome: 'blocked', at: monday('14:05:00'), reason: 'process:obs', ...base },
      { type: 'watermark.tampered', outcome: 'blocked', at: monday('14:06:00'), appId: 'ehr', reason: 'removed', ...base },
      { type: 'audit.queue-pressure', outcome: 'failure', at: monday('14:07:00'), reason: 'soft:5000' },
      { type: 'capture.blocked', outcome: 'blocked', at: monday('15:05:00'), reason: 'process:obs', ...base },
    ]);
    expect((await ruleAlerts(server.collector, 'capture-tool', device.deviceId)).map((a) => [a.detail, a.occurrences])).toEqual([['capture tool detected (process:obs) for user:watch-va', 2]]);
    expect(await ruleAlerts(server.collector, 'watermark-tampering', device.deviceId)).toMatchObject([{ detail: 'watermark tampering in app ehr for user:watch-va (removed)' }]);
    expect(await ruleAlerts(server.collector, 'queue-pressure', device.deviceId)).toMatchObject([{ detail: 'undelivered audit queue reached its soft limit (5000 events waiting)' }]);
  });

  it('new device for a user: fires when a VA known elsewhere signs in on a device first, not on the first device nor again', async () => {
    const first = await streamDevice(server.collector, server.url);
    const second = await streamDevice(server.collector, server.url);
    await first.send([signIn(monday('09:00:00'), 'roaming-va', 'ROAM-0001')]);
    expect(await ruleAlerts(server.collector, 'new-device-for-user', first.device.deviceId)).toEqual([]);
    await second.send([signIn(monday('10:00:00'), 'roaming-va', 'ROAM-0002')]);
    await second.send([signIn(monday('11:00:00'), 'roaming-va', 'ROAM-0003')]);
    expect(await ruleAlerts(server.collector, 'new-device-for-user', second.device.deviceId)).toMatchObject([{ occurrences: 1, detail: `user:roaming-va signed in on device ${second.device.deviceId} for the first time (known on other devices)` }]);
  });

  it('shared device: several users on one device in a practice day; the same users on different days is silent', async () => {
    const shared = await streamDevice(server.collector, server.url);
    const nearMiss = await streamDevice(server.collector, server.url);
    // 23:30 Monday and 00:30 Tuesday in New York are one UTC day, two practice days.
    await nearMiss.send([signIn(monday('23:30:00'), 'share-a', 'SHRD-0001'), signIn('2026-03-03T00:30:00-05:00', 'share-b', 'SHRD-0002'), signIn('2026-03-03T09:30:00-05:00', 'share-b', 'SHRD-0003')]);
    expect(await ruleAlerts(server.collector, 'shared-device', nearMiss.device.deviceId)).toEqual([]);
    await shared.send([signIn(monday('09:00:00'), 'share-c', 'SHRD-0004')]);
    await shared.send([signIn(monday('15:00:00'), 'share-d', 'SHRD-0005')]);
    expect(await ruleAlerts(server.collector, 'shared-device', shared.device.deviceId)).toMatchObject([{ detail: '2 users signed in on this device on 2026-03-02 (America/New_York; threshold 2)' }]);
  });

  it('rule alerts carry ids and codes only, never an origin or URL', async () => {
    const details = (await server.collector.alerts()).map((a) => a.detail).join('\n');
    expect(details).not.toMatch(/https?:|example\.org/);
  });
});

describeOnEachStorage('alert rules on the timer', (storage) => {
  let offset = 0;
  const now = () => Date.now() + offset;
  const server = useTestCollector(storage, { clock: now, alerting: alerting({ ruleTimerMs: 50 }) });

  it('device silent: a device that stopped syncing mid-session is alerted without new traffic, once; a signed-out or recent one is not', async () => {
    const midSession = await streamDevice(server.collector, server.url, now);
    const signedOut = await streamDevice(server.collector, server.url, now);
    const at = new Date(now()).toISOString();
    await midSession.send([signIn(at, 'silent-va', 'SLNT-0001')]);
    await signedOut.send([signIn(at, 'gone-va', 'SLNT-0002'), { type: 'sign-out', at, subject: 'gone-va', session: 'SLNT-0002' }]);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await ruleAlerts(server.collector, 'device-silent', midSession.device.deviceId)).toEqual([]);

    offset = 2 * 3_600_000 + 60_000;
    await expect.poll(async () => (await ruleAlerts(server.collector, 'device-silent', midSession.device.deviceId)).length, { timeout: 5_000 }).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const [alert] = await ruleAlerts(server.collector, 'device-silent', midSession.device.deviceId);
    expect(alert).toMatchObject({ occurrences: 1, seq: 1 });
    expect(alert?.detail).toMatch(/^no sync for more than 2 h \(last at .*\) while a session was open$/);
    expect(await ruleAlerts(server.collector, 'device-silent', signedOut.device.deviceId)).toEqual([]);
  });
});
