// Retention settings as IT writes them (6y, 2190d, 1d, off) and as the collector checks
// them: clear errors naming the setting, notes for periods shorter than HIPAA's six years,
// and cutoffs by calendar years in UTC.
import { describe, expect, it } from 'vitest';
import { checkRetentionConfig, DEFAULT_RETENTION_PERIODS, describePeriod, parseDisposalInterval, parseRetentionPeriod, periodCutoff, RetentionSettingError } from '../../../collector/collectorConfig';
import { describeInterval } from '../../../collector/retention/retentionStatus';

describe('retention settings', () => {
  it('reads periods in years or days, and refuses anything else naming the setting', () => {
    expect(parseRetentionPeriod('6y', '--retain-events')).toEqual({ years: 6 });
    expect(parseRetentionPeriod(' 7 years ', '--retain-events')).toEqual({ years: 7 });
    expect(parseRetentionPeriod('2190d', '--retain-alerts')).toEqual({ days: 2190 });
    expect(parseRetentionPeriod('1 day', '--retain-alerts')).toEqual({ days: 1 });
    for (const bad of ['', '0y', '6', '6 months', '101y', '-1d', '1.5y']) {
      expect(() => parseRetentionPeriod(bad, '--retain-events'), bad).toThrow(new RetentionSettingError(`--retain-events must be a number of years or days from 1 day to 100 years, such as 6y or 2190d, got '${bad}'`));
    }
  });

  it('reads the disposal interval, or off', () => {
    expect(parseDisposalInterval('1d', '--dispose-every')).toBe(86_400_000);
    expect(parseDisposalInterval('12h', '--dispose-every')).toBe(43_200_000);
    expect(parseDisposalInterval('OFF', '--dispose-every')).toBeNull();
    for (const bad of ['0m', '32d', 'daily', '1w']) expect(() => parseDisposalInterval(bad, '--dispose-every'), bad).toThrow(/--dispose-every must be off or a time from 1s to 31d/);
  });

  it('defaults to six years for everything and a daily run, with no notes', () => {
    const config = { ...DEFAULT_RETENTION_PERIODS, keyFile: 'collector-key.pem' };
    expect(Object.values(DEFAULT_RETENTION_PERIODS).filter((v) => typeof v === 'object')).toEqual(Array(4).fill({ years: 6 }));
    expect(describeInterval(DEFAULT_RETENTION_PERIODS.intervalMs as number)).toBe('1 day');
    expect(checkRetentionConfig(config)).toEqual([]);
  });

  it('notes periods shorter than six years and reviews kept shorter than events, and refuses impossible settings', () => {
    const notes = checkRetentionConfig({ ...DEFAULT_RETENTION_PERIODS, events: { years: 7 }, reviews: { days: 365 }, accessLog: { years: 5 }, keyFile: 'k.pem' });
    expect(notes).toEqual([
      'reviews are kept 365 days, less than the six years HIPAA requires for documentation: check that your policy and state law allow it',
      'the access log is kept 5 years, less than the six years HIPAA requires for documentation: check that your policy and state law allow it',
      'reviews are kept 365 days, less than events (7 years): older sessions show as not reviewed again once their review is disposed',
    ]);
    expect(() => checkRetentionConfig({ ...DEFAULT_RETENTION_PERIODS, alerts: { days: 0 }, keyFile: 'k.pem' })).toThrow(/the alerts retention period must be whole years or days/);
    expect(() => checkRetentionConfig({ ...DEFAULT_RETENTION_PERIODS, intervalMs: 10, keyFile: 'k.pem' })).toThrow(/the disposal interval must be from 1 s to 31 days \(or off\), got 10 ms/);
    expect(() => checkRetentionConfig({ ...DEFAULT_RETENTION_PERIODS, keyFile: ' ' })).toThrow(/needs the collector key file/);
  });

  it('counts years on the calendar in UTC, leap days included', () => {
    expect(new Date(periodCutoff({ years: 6 }, Date.UTC(2026, 1, 9, 9))).toISOString()).toBe('2020-02-09T09:00:00.000Z');
    expect(new Date(periodCutoff({ days: 2 }, Date.UTC(2026, 2, 1))).toISOString()).toBe('2026-02-27T00:00:00.000Z');
    expect([describePeriod({ years: 1 }), describePeriod({ days: 90 })]).toEqual(['1 year', '90 days']);
  });
});
