// The retention verbs for the command line (collector/retention/retentionCli.ts), on SQLite
// and PostgreSQL: legal holds placed, listed and released; disposal run dry and for real,
// each logged; the retention status with every kept chain verified, and a broken one named.
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { AccessLog } from '../../../collector/console/accessLog';
import { runDispose, runLegalHold, runRetentionStatus } from '../../../collector/retention/retentionCli';
import { describeOnEachStorage } from './collectorHarness';
import { NOW, SIX_YEARS, startScenario, type Scenario } from './retentionScenario';

describeOnEachStorage('retention command line', (storage) => {
  let s: Scenario;
  beforeAll(async () => {
    s = await startScenario(storage);
  }, 60_000);
  afterAll(async () => {
    await s?.close();
  });
  const base = () => ({ storage: s.storage, keyFile: s.keyFile, now: NOW });
  const lastLogEntry = async () => (await new AccessLog(s.store.database, s.key).page(null, 1)).items[0];

  it('places, lists and refuses legal holds with exit codes, each change in the access log', async () => {
    const placed = await runLegalHold({ ...base(), action: 'place', kind: 'user', target: 'va-held', reason: 'Litigation hold, matter 2026-007' });
    expect(placed).toEqual({ exitCode: 0, lines: [expect.stringMatching(/^Placed legal hold #1 on VA va-held, placed 2026-02-09T09:00:00.000Z by command line \(.+\): Litigation hold, matter 2026-007$/), expect.stringMatching(/^Recorded in the console access log \(entry \d+\)\.$/)] });
    expect(await lastLogEntry()).toMatchObject({ action: 'legal-hold-place', outcome: 'success', target: '#1 on user va-held', actor: expect.stringMatching(/^command line \(/) });
    expect(await runLegalHold({ ...base(), action: 'place', kind: 'device', target: 'Front desk', reason: 'x' })).toMatchObject({ exitCode: 2, lines: [expect.stringContaining('a device hold names a device id')] });
    expect(await runLegalHold({ ...base(), action: 'place', kind: 'device', target: 'ef'.repeat(16), reason: 'x' })).toMatchObject({ exitCode: 1, lines: [expect.stringContaining('no enrolled device has the id'), expect.any(String)] });
    expect(await lastLogEntry()).toMatchObject({ action: 'legal-hold-place', outcome: 'refused' });
    expect(await runLegalHold({ ...base(), action: 'list' })).toEqual({ exitCode: 0, lines: [expect.stringMatching(/^#1 on VA va-held/)] });
    expect(await runLegalHold({ ...base(), action: 'release', holdId: 'one' })).toMatchObject({ exitCode: 2 });
    expect(await runLegalHold({ ...base(), keyFile: path.join(path.dirname(s.keyFile), 'missing.pem'), action: 'release', holdId: '1' })).toMatchObject({ exitCode: 3, lines: [expect.stringContaining('does not exist')] });
  });

  it('says what a dry run would dispose and what the hold keeps, changing nothing', async () => {
    const dry = await runDispose({ ...base(), retention: SIX_YEARS, dryRun: true });
    expect(dry.exitCode).toBe(0);
    expect(dry.lines).toEqual(
      expect.arrayContaining([
        `would dispose of 5 events 1..5 of device ${s.a.device.deviceId}`,
        `would dispose of 2 events 1..2 of device ${s.c.device.deviceId}`,
        expect.stringMatching(/^kept under legal hold #1: events 3\.\.6 of device [0-9a-f]{32} are past their retention period; event 3 is the held VA's$/),
      ]),
    );
    expect((await s.store.deviceEvents(s.a.device.deviceId)).length).toBe(9);
    expect(await runDispose({ ...base(), retention: { ...SIX_YEARS, events: { years: 0 } } })).toMatchObject({ exitCode: 2, lines: [expect.stringContaining('the events retention period must be whole years or days')] });
  });

  it('disposes, logs the run, and verifies every kept chain from its anchor; a broken one is named', async () => {
    const done = await runDispose({ ...base(), retention: SIX_YEARS });
    expect(done.exitCode, done.lines.join('\n')).toBe(0);
    expect(done.lines).toContainEqual(expect.stringMatching(new RegExp(`^disposed of 5 events 1\\.\\.5 of device ${s.a.device.deviceId} \\(disposal record \\d+\\)$`)));
    expect(done.lines.at(-1)).toMatch(/^Recorded in the console access log \(entry \d+\)\.$/);
    expect(await lastLogEntry()).toMatchObject({ action: 'dispose', outcome: 'success', target: expect.stringMatching(/^10 events of 3 devices, 0 alerts, 0 reviews, 0 access log entries; kept under legal hold: events, access-log$/) });

    const status = await runRetentionStatus({ ...base(), retention: SIX_YEARS, verify: true });
    expect(status.exitCode, status.lines.join('\n')).toBe(0);
    expect(status.lines).toEqual(
      expect.arrayContaining([
        'retention: events 6 years, alerts 6 years, reviews 6 years, access log 6 years',
        'automatic disposal is off',
        `device Front desk (${s.a.device.deviceId}): events 6..9 (1..5 disposed by record) verify up to its signed checkpoint`,
        expect.stringMatching(/^console access log: \d+ entries verify$/),
        expect.stringMatching(/^disposal records: 3 entries verify$/),
        expect.stringMatching(/^ {2}#1 on VA va-held/),
      ]),
    );

    await s.store.database.deleteFrom('events').where('device_id', '=', s.a.device.deviceId).where('seq', '=', 7).execute();
    const broken = await runRetentionStatus({ ...base(), retention: SIX_YEARS, verify: true });
    expect(broken.exitCode).toBe(1);
    expect(broken.lines).toContain(`device Front desk (${s.a.device.deviceId}): NOT INTACT: event 7 is missing (the next stored event is 8)`);
  });

  it('releases a hold once', async () => {
    expect(await runLegalHold({ ...base(), action: 'release', holdId: '1' })).toMatchObject({ exitCode: 0, lines: [expect.stringMatching(/^Released legal hold #1 on VA va-held.*\(released 2026-02-09T09:00:00.000Z by command line/), expect.any(String)] });
    expect(await runLegalHold({ ...base(), action: 'release', holdId: '1' })).toMatchObject({ exitCode: 1, lines: [expect.stringContaining('legal hold 1 was already released'), expect.any(String)] });
    expect(await runLegalHold({ ...base(), action: 'list' })).toEqual({ exitCode: 0, lines: ['no legal hold is active'] });
  });
});
