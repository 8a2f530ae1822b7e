// The gates before practice data, as pure functions under a clock the test sets: which
// gate is first still closed (agreements, then training, then device posture), and that
// anything not known keeps the apps closed.
import { describe, expect, it } from 'vitest';
import { ACCEPTANCE_CLOCK_SKEW_MS, agreementStanding, oneYearAfter, UNREADABLE, type AgreementAcceptance } from '../../../common/gates/agreementStanding';
import { ACCESS_CHECKING, firstOutstandingGate, POSTURE_UNKNOWN, TRAINING_UNKNOWN, type AgreementDocument, type GateInput } from '../../../common/gates/gateOrder';

const DAY = 24 * 3600_000;
const NOW = Date.parse('2027-03-01T15:00:00Z');
const SHA_V1 = '1'.repeat(64);
const SHA_V2 = '2'.repeat(64);

function doc(overrides: Partial<AgreementDocument> = {}): AgreementDocument {
  return { id: 'confidentiality', title: 'Confidentiality agreement', version: '2027-1', reaccept: 'yearly', sha256: SHA_V2, content: { state: 'ready', text: 'I keep patient information confidential.' }, ...overrides };
}
const accepted = (acceptedAt: number, version = '2027-1', sha256 = SHA_V2): AgreementAcceptance => ({ version, sha256, acceptedAt });

function input(overrides: Partial<GateInput> = {}): GateInput {
  return { signedIn: true, agreements: [doc()], acceptances: new Map(), posture: { state: 'clear' }, now: NOW, ...overrides };
}

describe('whether an acceptance still stands', () => {
  it('is current for the version and text accepted, within the year', () => {
    expect(agreementStanding(doc(), accepted(NOW - 10 * DAY), NOW)).toEqual({ state: 'current', renewBy: oneYearAfter(NOW - 10 * DAY) });
    expect(agreementStanding(doc({ reaccept: 'new-version' }), accepted(NOW - 2000 * DAY), NOW)).toEqual({ state: 'current', renewBy: null });
  });

  it('is due again on a new version, even accepted yesterday', () => {
    expect(agreementStanding(doc({ version: '2027-2' }), accepted(NOW - DAY), NOW)).toEqual({ state: 'outstanding', why: 'new-version' });
    expect(agreementStanding(doc({ reaccept: 'new-version', version: '2027-2' }), accepted(NOW - DAY), NOW)).toEqual({ state: 'outstanding', why: 'new-version' });
  });

  it('is due again when the text changed under the same version', () => {
    expect(agreementStanding(doc(), accepted(NOW - DAY, '2027-1', SHA_V1), NOW)).toEqual({ state: 'outstanding', why: 'text-changed' });
  });

  it('is due again a calendar year after the acceptance, to the millisecond, for a yearly document', () => {
    const at = Date.parse('2026-03-01T15:00:00Z');
    expect(agreementStanding(doc(), accepted(at), Date.parse('2027-03-01T14:59:59.999Z')).state).toBe('current');
    expect(agreementStanding(doc(), accepted(at), Date.parse('2027-03-01T15:00:00Z'))).toEqual({ state: 'outstanding', why: 'period-ended' });
    // 29 February has no twin: the year ends on 1 March.
    expect(oneYearAfter(Date.parse('2028-02-29T09:00:00Z'))).toBe(Date.parse('2029-03-01T09:00:00Z'));
  });

  it('is due when never accepted, when the record is unreadable, or dated later than the clock allows', () => {
    expect(agreementStanding(doc(), undefined, NOW)).toEqual({ state: 'outstanding', why: 'never-accepted' });
    expect(agreementStanding(doc(), UNREADABLE, NOW)).toEqual({ state: 'outstanding', why: 'unreadable' });
    expect(agreementStanding(doc(), accepted(NOW + ACCEPTANCE_CLOCK_SKEW_MS + 1), NOW)).toEqual({ state: 'outstanding', why: 'unreadable' });
    expect(agreementStanding(doc(), accepted(Number.NaN), NOW)).toEqual({ state: 'outstanding', why: 'unreadable' });
    // A clock set back a little after accepting does not ask again.
    expect(agreementStanding(doc(), accepted(NOW + ACCEPTANCE_CLOCK_SKEW_MS), NOW).state).toBe('current');
  });
});

describe('the order of the gates', () => {
  it('asks nothing before sign-in', () => {
    expect(firstOutstandingGate(input({ signedIn: false }))).toEqual({ gate: 'sign-in' });
  });

  it('opens the apps when nothing is outstanding, and with no agreements in the policy', () => {
    expect(firstOutstandingGate(input({ acceptances: new Map([['confidentiality', accepted(NOW - DAY)]]) }))).toEqual({ gate: 'open' });
    expect(firstOutstandingGate(input({ agreements: [] }))).toEqual({ gate: 'open' });
  });

  it('puts agreements first, in the policy order, and counts those after the first', () => {
    const use = doc({ id: 'acceptable-use', title: 'Acceptable use', version: '4', reaccept: 'new-version' });
    const gate = firstOutstandingGate(input({ agreements: [doc(), use], training: { state: 'closed', reason: { code: 'training-overdue', message: 'HIPAA training is overdue.' } }, posture: { state: 'unknown' } }));
    expect(gate).toMatchObject({ gate: 'agreement', document: { id: 'confidentiality' }, why: 'never-accepted', remaining: 1 });
    const next = firstOutstandingGate(input({ agreements: [doc(), use], acceptances: new Map([['confidentiality', accepted(NOW)]]) }));
    expect(next).toMatchObject({ gate: 'agreement', document: { id: 'acceptable-use' }, remaining: 0 });
  });

  it('access comes before everything: while the sign-in question is on its way, and while an ended VA is signed out', () => {
    const ended = { code: 'access-ended', message: 'Your access ended.' };
    expect(firstOutstandingGate(input({ agreements: [doc()], access: { state: 'checking' } }))).toEqual({ gate: 'access', reason: ACCESS_CHECKING });
    expect(firstOutstandingGate(input({ agreements: [doc()], access: { state: 'ended', reason: ended } }))).toEqual({ gate: 'access', reason: ended });
    expect(firstOutstandingGate(input({ agreements: [doc()], access: { state: 'clear' } }))).toMatchObject({ gate: 'agreement' });
    expect(firstOutstandingGate(input({ signedIn: false, access: { state: 'ended', reason: ended } }))).toEqual({ gate: 'sign-in' });
  });

  it('a yearly agreement falls due as the clock passes its year, with the apps closed again', () => {
    const acceptances = new Map([['confidentiality', accepted(NOW)]]);
    expect(firstOutstandingGate(input({ acceptances, now: oneYearAfter(NOW) - 1 })).gate).toBe('open');
    expect(firstOutstandingGate(input({ acceptances, now: oneYearAfter(NOW) }))).toMatchObject({ gate: 'agreement', why: 'period-ended' });
  });

  it('a declined agreement stays outstanding: nothing was recorded, so the next sign-in asks again', () => {
    const afterDecline = input({ acceptances: new Map() });
    expect(firstOutstandingGate(afterDecline)).toMatchObject({ gate: 'agreement', why: 'never-accepted' });
    expect(firstOutstandingGate({ ...afterDecline, signedIn: false })).toEqual({ gate: 'sign-in' });
  });

  it('an unreadable acceptance keeps its agreement outstanding, whatever else is clear', () => {
    expect(firstOutstandingGate(input({ acceptances: new Map([['confidentiality', UNREADABLE]]) }))).toMatchObject({ gate: 'agreement', why: 'unreadable' });
  });

  const allAccepted = new Map([['confidentiality', accepted(NOW - DAY)]]);

  it('training overdue closes the apps after the agreements, before device posture', () => {
    const overdue = { code: 'training-overdue', message: 'Your HIPAA training is overdue. Ask your supervisor.' };
    expect(firstOutstandingGate(input({ acceptances: allAccepted, training: { state: 'closed', reason: overdue }, posture: { state: 'closed', reason: { code: 'device-posture:firewall', message: 'Turn on the firewall.' } } }))).toEqual({ gate: 'training', reason: overdue });
    expect(firstOutstandingGate(input({ acceptances: allAccepted, training: { state: 'clear' } }))).toEqual({ gate: 'open' });
    expect(firstOutstandingGate(input({ acceptances: allAccepted, training: { state: 'not-configured' } }))).toEqual({ gate: 'open' });
  });

  it('collector unreachable: training that cannot be confirmed keeps the apps closed; agreements are judged from this device alone', () => {
    const gate = firstOutstandingGate(input({ acceptances: allAccepted, training: { state: 'unknown' } }));
    expect(gate).toEqual({ gate: 'training', reason: TRAINING_UNKNOWN });
    // The same agreements without training: open, whether or not the collector answers.
    expect(firstOutstandingGate(input({ acceptances: allAccepted }))).toEqual({ gate: 'open' });
  });

  it('device posture closes the apps last: failing with its reason, unknown with its own', () => {
    const failing = { code: 'device-posture:diskEncryption', message: 'Turn on disk encryption.' };
    expect(firstOutstandingGate(input({ acceptances: allAccepted, posture: { state: 'closed', reason: failing } }))).toEqual({ gate: 'device-posture', reason: failing });
    expect(firstOutstandingGate(input({ acceptances: allAccepted, posture: { state: 'unknown' } }))).toEqual({ gate: 'device-posture', reason: POSTURE_UNKNOWN });
  });

  it('a document whose text could not be had is still the gate (its screen says why): never skipped', () => {
    const unavailable = doc({ content: { state: 'unavailable', problem: 'Cordon could not fetch it.' } });
    expect(firstOutstandingGate(input({ agreements: [unavailable] }))).toMatchObject({ gate: 'agreement', document: { content: { state: 'unavailable' } } });
  });
});
