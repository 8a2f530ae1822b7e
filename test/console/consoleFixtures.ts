// What the stand-in collector answers: a small practice's week, every answer parsed with the
// contract's own result schema at load, so a fixture cannot drift from what the real
// collector may send. Times are UTC; the browser shows them in America/Chicago (GMT-6 on
// these dates, before daylight saving starts).
import type { z } from 'zod';
import { trainingStandings, type TrainingCompletion } from '../../common/gates/trainingStanding';
import type { TrainingPolicy } from '../../common/policy/policySchema';
import {
  complianceStatusSchema,
  courseStandingRow,
  type AgreementStandingRow,
  trainingImportSchema,
  type TrainingImportProblem,
  type TrainingImportSummary,
  accessLogEntrySchema,
  accessPanelSchema,
  accessReviewSchema,
  accessRevocationSchema,
  legalHoldSchema,
  retentionPanelSchema,
  alertRowSchema,
  CONSOLE_ROUTES,
  deviceRowSchema,
  meSchema,
  overviewSchema,
  sessionRowSchema,
  type timelineSchema,
  type AccessLogEntry,
  type AccessRevocationRow,
  type AlertRow,
  type ConsoleRole,
  type LegalHoldRow,
  type SessionRow,
} from '../../common/console/consoleApi';

export const DEVICE_A = 'a3f09c2e6b7d4e1f8a9b0c1d2e3f4a5b';
export const DEVICE_B = 'b41e7d9c0a2b3c4d5e6f708192a3b4c5';
export const DEVICE_C = 'c5d6e7f8091a2b3c4d5e6f7081920a1b';

/** The session the timeline tests read: all four chain states, in order. */
export const MAIN_CODE = '7K2M-QX4P';
/** A code with a 0 in it, for the look-alike reading (typed as "b7oq4m2x"). */
export const ZERO_CODE = 'B70Q-4M2X';
/** A code two devices reported (one person's session restored on a second laptop). */
export const SHARED_CODE = 'H3TR-9WD2';

export const IDLE_SECONDS = 15 * 60;

export function meFor(roles: ConsoleRole[], name = 'Sam Supervisor'): z.output<typeof meSchema> {
  return meSchema.parse({
    subject: 'sam',
    name,
    email: 'sam@sunrise.example',
    roles,
    mfa: 'pwd otp',
    csrfToken: 'csrf-token-for-the-test-3c1f',
    idleTimeoutSeconds: IDLE_SECONDS,
    expiresAt: '2027-03-01T23:00:00Z',
  });
}

const minutes = (iso: string, n: number) => new Date(Date.parse(iso) + n * 60_000).toISOString();

function session(over: Partial<SessionRow> & Pick<SessionRow, 'code' | 'startedAt'>): SessionRow {
  return sessionRowSchema.parse({
    deviceId: DEVICE_A,
    deviceName: 'VAL-LAPTOP-01',
    subject: 'valerie',
    endedAt: minutes(over.startedAt, 240),
    lastEventAt: minutes(over.startedAt, 240),
    apps: ['Sunrise EHR', 'Front Desk Messages'],
    events: 40,
    blocks: 0,
    locks: 1,
    openAlerts: 0,
    review: 'not-reviewed',
    reviewNote: null,
    ...over,
  });
}

export const MAIN_SESSION = session({ code: MAIN_CODE, startedAt: '2027-03-01T15:00:00Z', endedAt: '2027-03-01T21:30:00Z', blocks: 3, locks: 2, openAlerts: 1, events: 18 });
export const ZERO_SESSION = session({ code: ZERO_CODE, deviceId: DEVICE_B, deviceName: 'NORA-DESKTOP', subject: 'nora', startedAt: '2027-02-28T14:10:00Z', blocks: 1 });
const SHARED_ONE = session({ code: SHARED_CODE, startedAt: '2027-02-27T13:00:00Z', review: 'reviewed', reviewNote: 'Normal day.' });
const SHARED_TWO = session({ code: SHARED_CODE, deviceId: DEVICE_C, deviceName: 'VAL-SPARE', startedAt: '2027-02-27T19:00:00Z', endedAt: null });

/** Sixty sessions: more than one page (50), so paging is real. Newest first. */
export function allSessions(): SessionRow[] {
  const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
  const filler = Array.from({ length: 56 }, (_, i) =>
    session({
      code: `Q${alphabet[i % 32]}${alphabet[(i * 7) % 32]}${alphabet[(i * 3) % 32]}-${alphabet[(i * 5) % 32]}${alphabet[(i * 11) % 32]}${alphabet[i % 29]}Z`,
      deviceId: i % 2 === 0 ? DEVICE_A : DEVICE_B,
      deviceName: i % 2 === 0 ? 'VAL-LAPTOP-01' : 'NORA-DESKTOP',
      subject: i % 2 === 0 ? 'valerie' : 'nora',
      startedAt: new Date(Date.parse('2027-02-26T14:00:00Z') - i * 6 * 3_600_000).toISOString(),
      blocks: i % 4,
      review: i % 5 === 0 ? 'reviewed' : 'not-reviewed',
    }),
  );
  return [MAIN_SESSION, ZERO_SESSION, SHARED_ONE, SHARED_TWO, ...filler];
}

type Event = z.input<typeof timelineSchema>['events'][number];
const event = (seq: number, recordedAt: string, type: Event['type'], over: Partial<Event> = {}): Event => ({
  seq,
  type,
  outcome: 'success',
  recordedAt,
  receivedAt: minutes(recordedAt, 0.1),
  appId: null,
  origin: null,
  reason: null,
  chain: 'verified',
  ...over,
});

/** 09:02:14 in Chicago (GMT-6) is 15:02:14 UTC: the offset test reads this event. */
export const SIGN_IN_AT = '2027-03-01T15:02:14Z';
/** The event the watermark photo points at (10:31 Chicago): the highlighted one. */
export const PHOTO_EVENT_SEQ = 8;

export function mainTimeline(review: Pick<SessionRow, 'review' | 'reviewNote'> = MAIN_SESSION) {
  const late = (iso: string) => ({ chain: 'delivered-late' as const, receivedAt: minutes(iso, 125) });
  return CONSOLE_ROUTES.timeline.result.parse({
    session: { ...MAIN_SESSION, ...review },
    events: [
      event(1, SIGN_IN_AT, 'sign-in.succeeded', { reason: 'pwd + otp' }),
      event(2, '2027-03-01T15:02:40Z', 'app.opened', { appId: 'ehr', origin: 'https://ehr.sunrise.example' }),
      event(3, '2027-03-01T15:20:05Z', 'clipboard.blocked', { appId: 'ehr', origin: 'https://ehr.sunrise.example', outcome: 'blocked', reason: 'paste outside the workspace' }),
      event(4, '2027-03-01T15:47:00Z', 'session.locked', { reason: 'idle for 10 minutes' }),
      event(5, '2027-03-01T15:52:30Z', 'session.unlocked'),
      event(6, '2027-03-01T16:05:00Z', 'app.opened', { appId: 'messages', origin: 'https://messages.sunrise.example' }),
      event(7, '2027-03-01T16:20:00Z', 'navigation.blocked', { appId: 'messages', origin: 'https://unknown.example', outcome: 'blocked', ...late('2027-03-01T16:20:00Z') }),
      event(8, '2027-03-01T16:31:10Z', 'download.blocked', { appId: 'ehr', origin: 'https://ehr.sunrise.example', outcome: 'blocked', ...late('2027-03-01T16:31:10Z') }),
      event(9, '2027-03-01T16:45:00Z', 'app.closed', { appId: 'messages', ...late('2027-03-01T16:45:00Z') }),
      event(10, '2027-03-01T18:00:00Z', 'session.renewed', { chain: 'gap' }),
      event(13, '2027-03-01T19:10:00Z', 'app.opened', { appId: 'ehr', chain: 'gap' }),
      event(14, '2027-03-01T20:40:00Z', 'session.locked', { chain: 'tampered' }),
      event(15, '2027-03-01T21:30:00Z', 'sign-out', { chain: 'tampered' }),
    ],
    stretches: [
      { fromSeq: 1, toSeq: 6, status: 'verified', explanation: 'Arrived within a minute of happening; every link and signature checks.' },
      { fromSeq: 7, toSeq: 9, status: 'delivered-late', explanation: 'The device was offline for about 2 hours and sent these when it reconnected; the chain is intact.' },
      { fromSeq: 10, toSeq: 13, status: 'gap', explanation: 'Events 11 and 12 never reached the collector; the device reported a gap in its queue.' },
      { fromSeq: 14, toSeq: 15, status: 'tampered', explanation: "Event 14's link does not match event 13: the stored history was changed on the device." },
    ],
    truncated: false,
  });
}

export function simpleTimeline(row: SessionRow) {
  return CONSOLE_ROUTES.timeline.result.parse({
    session: row,
    events: [event(1, minutes(row.startedAt, 1), 'sign-in.succeeded'), event(2, minutes(row.startedAt, 3), 'app.opened', { appId: 'ehr' }), event(3, minutes(row.startedAt, 200), 'sign-out')],
    stretches: [{ fromSeq: 1, toSeq: 3, status: 'verified', explanation: 'Every link and signature checks.' }],
    truncated: false,
  });
}

export function allAlerts(): AlertRow[] {
  return [
    { id: 31, kind: 'edit', severity: 'critical', deviceId: DEVICE_A, deviceName: 'VAL-LAPTOP-01', subject: 'valerie', seq: 14, detectedAt: '2027-03-01T21:31:00Z', detail: "Event 14's link does not match the stored chain.", sourceAddress: '203.0.113.7', occurrences: 3, lastDetectedAt: '2027-03-01T21:38:00Z', windowStart: null, status: 'open', note: null, handledBy: null },
    // A rule alert: five findings in one 10-minute bucket folded into one alert.
    { id: 30, kind: 'blocked-burst', severity: 'high', deviceId: DEVICE_B, deviceName: 'NORA-DESKTOP', subject: 'nora', seq: 201, detectedAt: '2027-02-28T16:02:00Z', detail: '6 blocked copy attempts by user:nora within 10 min (threshold 5)', sourceAddress: null, occurrences: 5, lastDetectedAt: '2027-02-28T16:07:30Z', windowStart: '2027-02-28T16:00:00Z', status: 'open', note: null, handledBy: null },
    { id: 29, kind: 'device-silent', severity: 'high', deviceId: DEVICE_C, deviceName: 'VAL-SPARE', subject: null, seq: null, detectedAt: '2027-02-27T23:00:00Z', detail: 'No sync for 26 hours.', sourceAddress: null, occurrences: 1, lastDetectedAt: null, windowStart: '2027-02-26T21:00:00Z', status: 'acknowledged', note: 'Laptop is in the office drawer.', handledBy: 'sam' },
    // The practice's day is a date: 00:00 UTC of it, whatever the viewer's timezone.
    { id: 28, kind: 'off-hours-sign-in', severity: 'medium', deviceId: DEVICE_A, deviceName: 'VAL-LAPTOP-01', subject: 'valerie', seq: 1, detectedAt: '2027-02-26T04:10:00Z', detail: 'user:valerie signed in at 22:10 on thu 2027-02-25 (America/Chicago), outside working hours', sourceAddress: null, occurrences: 1, lastDetectedAt: null, windowStart: '2027-02-25T00:00:00Z', status: 'resolved', note: 'Approved overtime.', handledBy: 'sam' },
  ].map((a) => alertRowSchema.parse(a));
}

export const overview = overviewSchema.parse({
  days: Array.from({ length: 14 }, (_, i) => ({ day: new Date(Date.parse('2027-02-16T00:00:00Z') + i * 86_400_000).toISOString().slice(0, 10), sessions: [3, 4, 4, 2, 0, 0, 5, 4, 3, 4, 5, 0, 0, 3][i], blocks: [1, 0, 6, 2, 0, 0, 3, 1, 0, 2, 9, 0, 0, 3][i] })),
  alertsByKind: [
    { kind: 'blocked-burst', count: 4 },
    { kind: 'device-silent', count: 2 },
    { kind: 'edit', count: 1 },
    { kind: 'off-hours-sign-in', count: 3 },
  ],
  silentDevices: [{ deviceId: DEVICE_C, deviceName: 'VAL-SPARE', lastSyncAt: '2027-02-26T21:00:00Z' }],
});

export const devices = [
  {
    deviceId: DEVICE_A,
    deviceName: 'VAL-LAPTOP-01',
    enrollmentMethod: 'sign-in',
    enrolledBy: 'valerie',
    enrolledAt: '2027-01-04T14:00:00Z',
    lastSyncAt: '2027-03-01T21:31:00Z',
    headSeq: 4211,
    chain: 'alerts',
    chainAlerts: 1,
    openAlerts: 2,
    softwareVersion: '0.1.0',
    revokedSince: null,
    posture: [
      { check: 'diskEncryption', result: 'pass', level: 'required', at: '2027-03-01T14:02:00.000Z' },
      { check: 'screenLock', result: 'fail', level: 'required', at: '2027-03-01T15:10:00.000Z' },
      { check: 'firewall', result: 'unknown', level: 'recommended', at: '2027-03-01T14:02:00.000Z' },
    ],
  },
  { deviceId: DEVICE_B, deviceName: 'NORA-DESKTOP', enrollmentMethod: 'code', enrolledBy: 'ada', enrolledAt: '2027-01-10T15:30:00Z', lastSyncAt: '2027-03-01T20:02:00Z', headSeq: 1877, chain: 'intact', chainAlerts: 0, openAlerts: 1, softwareVersion: '0.1.0', revokedSince: null, posture: [] },
  // Its revocation is in the stand-in's access state (accessRevocations): the stand-in fills revokedSince from there.
  { deviceId: DEVICE_C, deviceName: 'VAL-SPARE', enrollmentMethod: 'sign-in', enrolledBy: null, enrolledAt: '2027-02-01T16:00:00Z', lastSyncAt: '2027-02-26T21:00:00Z', headSeq: 96, chain: 'intact', chainAlerts: 0, openAlerts: 0, softwareVersion: null, revokedSince: null, posture: [] },
].map((d) => deviceRowSchema.parse(d));

export function accessLog(): AccessLogEntry[] {
  const actions: [string, string, 'success' | 'refused', string | null][] = [
    ['sam', 'sign-in', 'success', null],
    ['sam', 'search-sessions', 'success', 'user=valerie'],
    ['sam', 'lookup-code', 'success', MAIN_CODE],
    ['sam', 'view-session', 'success', `${DEVICE_A}/${MAIN_CODE}`],
    ['sam', 'review-session', 'success', `${DEVICE_A}/${MAIN_CODE} reviewed`],
    ['valerie', 'sign-in', 'refused', 'no console role'],
    ['cora', 'view-access-log', 'success', null],
  ];
  return actions.map(([actor, action, outcome, target], i) => accessLogEntrySchema.parse({ seq: i + 1, at: minutes('2027-03-01T22:00:00Z', i * 3), actor, action, outcome, target })).reverse();
}

const blocks = (copy: number, print: number, download: number, navigation: number, other: number) => ({ copy, print, download, upload: 0, navigation, capture: 0, permission: 0, other });
const HOUR = 3_600_000;

/** The access review the stand-in answers for any period: two VAs, their totals, and the practice's alerts. */
export function accessReviewFor(from: string, to: string) {
  const valerie = { subject: 'valerie', sessions: 20, workedMs: 151.5 * HOUR, devices: 2, blocks: blocks(12, 3, 2, 5, 1), blocksTotal: 23, alerts: { raised: 3, resolved: 2, medianResolutionMs: 2.5 * HOUR, maxResolutionMs: 4 * HOUR }, reviewed: 15, flagged: 1, notReviewed: 4 };
  const nora = { subject: 'nora', sessions: 18, workedMs: 140 * HOUR, devices: 1, blocks: blocks(4, 0, 1, 2, 0), blocksTotal: 7, alerts: { raised: 1, resolved: 0, medianResolutionMs: null, maxResolutionMs: null }, reviewed: 18, flagged: 0, notReviewed: 0 };
  return accessReviewSchema.parse({
    practice: 'Sunrise Family Medicine',
    period: { from, to },
    generatedAt: '2027-03-01T22:00:00Z',
    generatedBy: 'Cora Compliance [cora]',
    vas: [nora, valerie],
    totals: { sessions: 38, workedMs: 291.5 * HOUR, devices: 3, blocks: blocks(16, 3, 3, 7, 1), blocksTotal: 30, alerts: { raised: 4, resolved: 2, medianResolutionMs: 2.5 * HOUR, maxResolutionMs: 4 * HOUR }, reviewed: 33, flagged: 1, notReviewed: 4 },
    practiceAlerts: {
      raised: 6,
      resolved: 3,
      medianResolutionMs: 3 * HOUR,
      maxResolutionMs: 26 * HOUR,
      byKind: [
        { kind: 'blocked-burst', severity: 'high', raised: 2, resolved: 1 },
        { kind: 'device-silent', severity: 'high', raised: 1, resolved: 1 },
        { kind: 'edit', severity: 'critical', raised: 1, resolved: 0 },
        { kind: 'unknown-device', severity: 'high', raised: 2, resolved: 1 },
      ],
    },
  });
}

export function legalHolds(): LegalHoldRow[] {
  return [
    { id: 4, kind: 'user', target: 'valerie', reason: 'Records request R-2207 from Sunrise counsel', placedBy: 'Cora Compliance [cora]', placedAt: '2027-02-10T16:00:00Z', releasedBy: null, releasedAt: null },
    { id: 6, kind: 'device', target: DEVICE_B, reason: 'Laptop returned damaged: insurance claim', placedBy: 'Cora Compliance [cora]', placedAt: '2027-02-20T15:30:00Z', releasedBy: null, releasedAt: null },
  ].map((h) => legalHoldSchema.parse(h));
}

/** IT's revocations: VAL-SPARE revoked, Nora's access ending at the end of the month, and one reinstated device. */
export function accessRevocations(): AccessRevocationRow[] {
  return [
    { id: 2, kind: 'device', target: DEVICE_B, deviceName: 'NORA-DESKTOP', reason: 'revoked', effectiveAt: '2027-01-20T16:00:00.000Z', createdAt: '2027-01-20T16:00:00.000Z', createdBy: 'demo-adm-0001', liftedAt: '2027-01-21T15:00:00.000Z', liftedBy: 'cli:it-admin' },
    { id: 3, kind: 'device', target: DEVICE_C, deviceName: 'VAL-SPARE', reason: 'revoked', effectiveAt: '2027-02-27T15:00:00.000Z', createdAt: '2027-02-27T15:00:00.000Z', createdBy: 'demo-adm-0001', liftedAt: null, liftedBy: null },
    { id: 5, kind: 'user', target: 'nora', deviceName: null, reason: 'access-ended', effectiveAt: '2027-04-01T05:00:00.000Z', createdAt: '2027-02-28T17:00:00.000Z', createdBy: 'demo-adm-0001', liftedAt: null, liftedBy: null },
  ].map((r) => accessRevocationSchema.parse(r));
}

/** The Access page's panel at the stand-in's now: what is in force, what is ahead, what was lifted. */
export function accessPanelOf(rows: readonly AccessRevocationRow[]) {
  const now = Date.parse(COMPLIANCE_NOW);
  const open = rows.filter((r) => r.liftedAt === null);
  return accessPanelSchema.parse({
    asOf: COMPLIANCE_NOW,
    revoked: open.filter((r) => Date.parse(r.effectiveAt) <= now).reverse(),
    scheduled: open.filter((r) => Date.parse(r.effectiveAt) > now),
    history: rows.filter((r) => r.liftedAt !== null).reverse(),
  });
}

/** The retention panel the stand-in answers: six-year periods, a daily run that kept some events under a hold, and the active holds it is given. */
export function retentionPanelWith(holds: readonly LegalHoldRow[]) {
  const period = (cutoff: string) => ({ period: '6 years', cutoff });
  return retentionPanelSchema.parse({
    settings: {
      periods: { events: period('2021-03-01T22:00:00.000Z'), alerts: period('2021-03-01T22:00:00.000Z'), reviews: period('2021-03-01T22:00:00.000Z'), accessLog: period('2021-03-01T22:00:00.000Z') },
      interval: '1 day',
      nextRunAt: '2027-03-02T03:00:00.000Z',
    },
    runningSince: null,
    lastRun: {
      startedAt: '2027-03-01T03:00:00.000Z',
      finishedAt: '2027-03-01T03:00:09.000Z',
      by: 'automatic',
      dryRun: false,
      failed: false,
      lines: [`disposed of 5230 events 1..5230 of device ${DEVICE_A} (disposal record 12)`, 'kept under legal hold #4: events of valerie on VAL-SPARE', 'SQLite: deleted pages overwritten (secure_delete), VACUUM, WAL truncated'],
    },
    holds: holds.filter((h) => h.releasedAt === null),
    disposals: [
      { seq: 12, at: '2027-03-01T03:00:05.000Z', by: 'automatic', what: 'events', deviceId: DEVICE_A, count: 5230, detail: 'events 1..5230; the kept chain starts at 5231', rule: { period: '6 years', cutoff: '2021-03-01T03:00:00.000Z', basis: 'received' } },
      { seq: 11, at: '2027-02-28T03:00:04.000Z', by: 'command line (it-admin)', what: 'reviews', deviceId: null, count: 3, detail: '1 removed with their session (its events disposed before), 2 cleared from sessions still kept', rule: { period: '6 years', cutoff: '2021-02-28T03:00:00.000Z', basis: 'reviewed' } },
    ],
  });
}

/** The practice's training as the stand-in judges it: the real standing functions at the fixtures' "now". */
export const COMPLIANCE_NOW = '2027-03-01T22:00:00.000Z';
const TRAINING_POLICY: TrainingPolicy = {
  courses: [
    { id: 'hipaa-privacy', title: 'HIPAA privacy and security', everyMonths: 12 },
    { id: 'phishing', title: 'Spotting phishing', everyMonths: 12, dueBy: '2027-03-31' },
  ],
  dueSoonDays: 30,
  graceDays: 14,
  offlineDays: 3,
  contact: 'Cora Compliance',
};
const COMPLETIONS: Record<string, TrainingCompletion[]> = {
  // HIPAA due 20 March (due soon), phishing done in December.
  valerie: [
    { course: 'hipaa-privacy', completedOn: '2026-03-20', expiresOn: null },
    { course: 'phishing', completedOn: '2026-12-01', expiresOn: null },
  ],
  // HIPAA was due 20 January; the grace ended 3 February: apps closed.
  nora: [{ course: 'hipaa-privacy', completedOn: '2026-01-20', expiresOn: null }],
  priya: [
    { course: 'hipaa-privacy', completedOn: '2026-11-02', expiresOn: null },
    { course: 'phishing', completedOn: '2026-11-02', expiresOn: '2027-11-02' },
  ],
};

export function trainingImports(): TrainingImportSummary[] {
  return [trainingImportSchema.parse({ id: 3, source: 'lms-export-2027-02.csv', importedAt: '2027-02-27T16:20:00.000Z', importedBy: 'Cora Compliance [cora]', rows: 42, added: 12, updated: 1, unchanged: 29, revoked: 0 })];
}

/** Each VA on the confidentiality agreement (yearly): Valerie's year ends in nine days, Nora accepted last year's version, Priya in January. */
const ACCEPTANCES: Record<string, AgreementStandingRow[]> = {
  valerie: [{ document: 'confidentiality', state: 'due-soon', acceptedVersion: '2027-1', acceptedAt: '2026-03-10T15:04:00.000Z', renewBy: '2027-03-10T15:04:00.000Z', why: null }],
  nora: [{ document: 'confidentiality', state: 'due', acceptedVersion: '2026-1', acceptedAt: '2026-02-02T14:00:00.000Z', renewBy: null, why: 'new-version' }],
  priya: [{ document: 'confidentiality', state: 'current', acceptedVersion: '2027-1', acceptedAt: '2027-01-04T16:30:00.000Z', renewBy: '2028-01-04T16:30:00.000Z', why: null }],
};

export function complianceStatusWith(imports: readonly TrainingImportSummary[]) {
  const now = Date.parse(COMPLIANCE_NOW);
  return complianceStatusSchema.parse({
    asOf: COMPLIANCE_NOW,
    policy: { policyId: 'sunrise-family-medicine', serial: 12 },
    problem: null,
    agreements: [{ id: 'confidentiality', title: 'Confidentiality agreement', version: '2027-1' }],
    courses: TRAINING_POLICY.courses.map(({ id, title }) => ({ id, title })),
    vas: Object.entries(COMPLETIONS).map(([subject, completions]) => ({
      subject,
      agreements: ACCEPTANCES[subject] ?? [],
      courses: trainingStandings(TRAINING_POLICY, completions, now).map(courseStandingRow),
    })),
    imports,
  });
}

/** The rows of the file the stand-in refuses (malformed.csv), as the collector reports them. */
export const MALFORMED_PROBLEMS: TrainingImportProblem[] = [
  { row: 3, column: 'course', message: '"hipaa" is not a course the policy requires (its courses: hipaa-privacy, phishing)' },
  { row: 5, column: 'completed_on', message: '"03/01/2027" must be a date as YYYY-MM-DD, e.g. 2027-03-31' },
];
