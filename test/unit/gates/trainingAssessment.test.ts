// Training before practice data, as pure functions under a clock the test sets: where a VA
// stands on each course (current, due soon, overdue in its grace, closed) to the
// millisecond, the sentence and notice the VA gets, a status too old to count while the
// collector cannot be reached, and the place of training in the gate order.
import { describe, expect, it } from 'vitest';
import { agreementStanding } from '../../../common/gates/agreementStanding';
import { firstOutstandingGate, POSTURE_UNKNOWN, TRAINING_CHECKING, TRAINING_UNKNOWN, type AgreementDocument } from '../../../common/gates/gateOrder';
import { assessTraining, confirmedUntil, TRAINING_CLOCK_SKEW_MS, TRAINING_STATUS_FRESH_MS, type ConfirmedTraining } from '../../../common/gates/trainingAssessment';
import { completionDueAt, courseStanding, DAY_MS, dayInWords, latestCompletions, monthsAfter, type TrainingCompletion } from '../../../common/gates/trainingStanding';
import type { TrainingPolicy } from '../../../common/policy/policySchema';

const NOW = Date.parse('2027-03-01T15:00:00Z');
const CONTACT = 'Dana Reyes, compliance officer (dana@practice.example)';
const hipaa = { id: 'hipaa-privacy', title: 'HIPAA privacy and security', everyMonths: 12 };
const phishing = { id: 'phishing', title: 'Spotting phishing', dueBy: '2027-04-01' };
const POLICY: TrainingPolicy = { courses: [hipaa, phishing], dueSoonDays: 30, graceDays: 14, offlineDays: 3, contact: CONTACT };

const done = (course: string, completedOn: string, expiresOn: string | null = null): TrainingCompletion => ({ course, completedOn, expiresOn });
const confirmed = (completions: TrainingCompletion[], issuedAt = NOW): ConfirmedTraining => ({ issuedAt, completions });
const assess = (status: ConfirmedTraining | null, now = NOW, asking = false, policy: TrainingPolicy | undefined = POLICY) => assessTraining(policy, { confirmed: status, asking }, now);

describe('where a VA stands on a course', () => {
  const completion = done('hipaa-privacy', '2026-03-10');
  const dueAt = Date.parse('2027-03-10T00:00:00Z');

  it('falls due the same day a renewal period later, or on an earlier expiry its record gives', () => {
    expect(completionDueAt(hipaa, completion)).toBe(dueAt);
    expect(completionDueAt(hipaa, done('hipaa-privacy', '2026-03-10', '2026-12-31'))).toBe(Date.parse('2026-12-31T00:00:00Z'));
    expect(completionDueAt({}, done('x', '2026-03-10', '2027-06-30'))).toBe(Date.parse('2027-06-30T00:00:00Z'));
    expect(completionDueAt({}, done('x', '2026-03-10'))).toBeNull();
    // 31 January plus one month runs into March, as the policy explains.
    expect(monthsAfter(Date.parse('2027-01-31T00:00:00Z'), 1)).toBe(Date.parse('2027-03-03T00:00:00Z'));
  });

  it('is current, then due soon, then overdue in its grace, then closed, each to the millisecond', () => {
    const at = (now: number) => courseStanding(hipaa, completion, POLICY, now).state;
    expect(at(dueAt - 30 * DAY_MS - 1)).toBe('current');
    expect(at(dueAt - 30 * DAY_MS)).toBe('due-soon');
    expect(at(dueAt - 1)).toBe('due-soon');
    expect(at(dueAt)).toBe('overdue');
    expect(at(dueAt + 14 * DAY_MS - 1)).toBe('overdue');
    expect(at(dueAt + 14 * DAY_MS)).toBe('closed');
    expect(courseStanding(hipaa, completion, POLICY, NOW)).toEqual({ course: hipaa, state: 'due-soon', completedOn: '2026-03-10', dueAt, closesAt: dueAt + 14 * DAY_MS });
  });

  it('with no record, counts from the policy date to have one by, or is closed at once without one', () => {
    const by = Date.parse('2027-04-01T00:00:00Z');
    expect(courseStanding(phishing, undefined, POLICY, NOW)).toEqual({ course: phishing, state: 'current', completedOn: null, dueAt: by, closesAt: by + 14 * DAY_MS });
    expect(courseStanding(phishing, undefined, POLICY, by).state).toBe('overdue');
    expect(courseStanding(hipaa, undefined, POLICY, NOW)).toEqual({ course: hipaa, state: 'closed', completedOn: null, dueAt: null, closesAt: null });
  });

  it('never falls due for a one-time course without an expiry', () => {
    expect(courseStanding({ id: 'orientation', title: 'Orientation' }, done('orientation', '2020-01-01'), POLICY, NOW)).toMatchObject({ state: 'current', dueAt: null });
  });

  it('goes by the latest completion of each course', () => {
    const latest = latestCompletions([done('a', '2026-01-01'), done('a', '2026-06-01'), done('a', '2026-03-01'), done('b', '2026-02-01', '2026-12-01'), done('b', '2026-02-01', null)]);
    expect(latest.get('a')?.completedOn).toBe('2026-06-01');
    // On the same day, the record without an expiry (for good) beats one with.
    expect(latest.get('b')?.expiresOn).toBeNull();
  });
});

describe('the training gate on the device', () => {
  it('is not configured without training in the policy, whatever the status', () => {
    expect(assessTraining(undefined, { confirmed: null, asking: false }, NOW)).toEqual({ input: { state: 'not-configured' }, standings: [], notice: null });
  });

  it('opens with every course current, and tells of none', () => {
    const result = assess(confirmed([done('hipaa-privacy', '2026-11-01'), done('phishing', '2027-01-15')]));
    expect(result.input).toEqual({ state: 'clear' });
    expect(result.notice).toBeNull();
    expect(result.standings.map((s) => s.state)).toEqual(['current', 'current']);
  });

  it('due soon: apps open, with a calm notice naming the course, the date and whom to ask', () => {
    const result = assess(confirmed([done('hipaa-privacy', '2026-03-10'), done('phishing', '2027-01-15')]));
    expect(result.input).toEqual({ state: 'clear' });
    expect(result.notice).toEqual({ courseId: 'hipaa-privacy', kind: 'due-soon', text: `Your training "HIPAA privacy and security" is due on 10 March 2027. Ask ${CONTACT} if you need it.` });
  });

  it('overdue within the grace period: apps open, and the notice says when they close', () => {
    const result = assess(confirmed([done('hipaa-privacy', '2026-02-20'), done('phishing', '2027-01-15')]));
    expect(result.input).toEqual({ state: 'clear' });
    expect(result.notice).toEqual({ courseId: 'hipaa-privacy', kind: 'overdue', text: `Your training "HIPAA privacy and security" was due on 20 February 2027. Practice apps close on 6 March 2027 unless your completion is recorded; ask ${CONTACT}.` });
  });

  it('overdue past the grace period: apps closed with the course, when it was due and whom to ask', () => {
    const closes = Date.parse('2027-02-24T00:00:00Z');
    const status = confirmed([done('hipaa-privacy', '2026-02-10'), done('phishing', '2027-01-15')], closes - 60_000);
    expect(assess(status, closes - 1).input.state).toBe('clear');
    const result = assess(status, closes);
    expect(result.input).toEqual({
      state: 'closed',
      reason: { code: 'training-overdue', message: `Your training "HIPAA privacy and security" was due on 10 February 2027 and is overdue, so practice apps stay closed. Ask ${CONTACT} about it: apps open again once your completion is recorded.` },
    });
    expect(result.notice).toBeNull();
  });

  it('no completion on record of a course due at once: closed, saying there is no record, and counting the others', () => {
    const policy = { ...POLICY, courses: [hipaa, { id: 'fire-safety', title: 'Fire safety' }] };
    const result = assess(confirmed([]), NOW, false, policy);
    expect(result.input).toEqual({
      state: 'closed',
      reason: { code: 'training-overdue', message: `There is no record that you completed the training "HIPAA privacy and security", so practice apps stay closed. One more course is overdue too. Ask ${CONTACT} about it: apps open again once your completion is recorded.` },
    });
  });

  it('collector unreachable: the last confirmed status counts an hour and the offline days, then apps close', () => {
    const issuedAt = NOW - 2 * DAY_MS;
    const status = confirmed([done('hipaa-privacy', '2026-11-01'), done('phishing', '2027-01-15')], issuedAt);
    const until = confirmedUntil(POLICY, status);
    expect(until).toBe(issuedAt + TRAINING_STATUS_FRESH_MS + 3 * DAY_MS);
    expect(assess(status, until - 1).input).toEqual({ state: 'clear' });
    expect(assess(status, until).input).toEqual({
      state: 'closed',
      reason: { code: 'training-unconfirmed', message: `Cordon last confirmed your training with the practice on ${dayInWords(issuedAt)} and cannot reach the practice's collector now, so practice apps stay closed. Check this computer's internet connection; if this stays, tell IT.` },
    });
    // While the device is asking again, the VA is told it is checking rather than that it failed.
    expect(assess(status, until, true).input).toEqual({ state: 'checking' });
    // With no offline allowance, the status counts for its hour only.
    expect(assess(status, issuedAt + TRAINING_STATUS_FRESH_MS, false, { ...POLICY, offlineDays: 0 }).input.state).toBe('closed');
  });

  it('nothing confirmed yet: checking while asking, unknown after; a status from the future is not believed', () => {
    expect(assess(null, NOW, true).input).toEqual({ state: 'checking' });
    expect(assess(null, NOW, false).input).toEqual({ state: 'unknown' });
    expect(assess(confirmed([done('hipaa-privacy', '2026-11-01')], NOW + TRAINING_CLOCK_SKEW_MS + 1)).input).toEqual({ state: 'unknown' });
    expect(assess(confirmed([done('hipaa-privacy', '2026-11-01'), done('phishing', '2027-01-15')], NOW + TRAINING_CLOCK_SKEW_MS)).input).toEqual({ state: 'clear' });
  });
});

describe('training in the gate order, under one clock', () => {
  const SHA = '2'.repeat(64);
  const agreement: AgreementDocument = { id: 'confidentiality', title: 'Confidentiality agreement', version: '2027-1', reaccept: 'yearly', sha256: SHA, content: { state: 'ready', text: 'I keep patient information confidential.' } };
  const acceptedAt = NOW - 300 * DAY_MS;
  const acceptances = new Map([['confidentiality', { version: '2027-1', sha256: SHA, acceptedAt }]]);
  const overdue = confirmed([done('phishing', '2027-01-15')]);
  const gate = (now: number, training = assess(overdue, now).input, posture: Parameters<typeof firstOutstandingGate>[0]['posture'] = { state: 'unknown' }) =>
    firstOutstandingGate({ signedIn: true, agreements: [agreement], acceptances, training, posture, now });

  it('an agreement due comes before overdue training, which comes before unknown posture', () => {
    expect(agreementStanding(agreement, acceptances.get('confidentiality'), NOW).state).toBe('current');
    // A year after acceptance the agreement is due again: it is the gate, though training is overdue too.
    const renewal = acceptedAt + 365 * DAY_MS;
    expect(gate(renewal, assess(confirmed([done('phishing', '2027-01-15')], renewal), renewal).input)).toMatchObject({ gate: 'agreement', why: 'period-ended' });
    expect(gate(NOW)).toMatchObject({ gate: 'training', reason: { code: 'training-overdue' } });
    expect(gate(NOW, assess(confirmed([done('hipaa-privacy', '2026-11-01'), done('phishing', '2027-01-15')])).input)).toEqual({ gate: 'device-posture', reason: POSTURE_UNKNOWN });
    expect(gate(NOW, assess(confirmed([done('hipaa-privacy', '2026-11-01'), done('phishing', '2027-01-15')])).input, { state: 'clear' })).toEqual({ gate: 'open' });
  });

  it('collector unreachable with nothing confirmed: closed with its own sentence, and while checking with another', () => {
    expect(gate(NOW, assess(null, NOW).input, { state: 'clear' })).toEqual({ gate: 'training', reason: TRAINING_UNKNOWN });
    expect(gate(NOW, assess(null, NOW, true).input, { state: 'clear' })).toEqual({ gate: 'training', reason: TRAINING_CHECKING });
  });
});
