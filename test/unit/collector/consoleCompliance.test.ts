// The console's compliance status and training import on SQLite and PostgreSQL, with the
// real collector judging by the demo practice's signed policy: each VA who signed in or has
// records, the agreement current, due soon or due (from the agreement.accepted events devices
// delivered, the latest per VA), each course current, due soon or overdue (apps closed past
// the grace) as a device judges it; an import through the console stores the whole file or nothing, and is in the
// access log either way; a policy that does not verify is said, and nothing is judged or
// imported by it.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { CONSOLE_ROUTES, type AccessLogEntry, type ComplianceStatus, type CourseStandingRow } from '../../../common/console/consoleApi';
import { agreementEventReason } from '../../../common/gates/agreementEvent';
import { oneYearAfter } from '../../../common/gates/agreementStanding';
import { DAY_MS } from '../../../common/gates/trainingStanding';
import { REPO_ROOT } from '../../support/policyFixtures';
import { ConsoleHttpUser } from '../../support/consoleHttpUser';
import { startConsoleStack, type ConsoleStack } from '../../support/consoleStack';
import { describeOnEachStorage } from './collectorHarness';
import { TestDevice } from './collectorTestDevice';
import { body } from './rulesStream';

describeOnEachStorage('console: compliance status and training import', (storage) => {
  let stack: ConsoleStack;
  let removeStorage: () => Promise<void>;
  let cora: ConsoleHttpUser;
  let sam: ConsoleHttpUser;
  // The collector's own clock: the demo policy is signed for the 30 days from now, and console sessions live on this clock too.
  const NOW = Date.now();
  const day = (offset: number) => new Date(NOW + offset * DAY_MS).toISOString().slice(0, 10);

  beforeAll(async () => {
    const created = await storage.create();
    removeStorage = created.remove;
    stack = await startConsoleStack({ storage: created.storage });
    cora = await ConsoleHttpUser.signedIn(stack, 'cora');
    sam = await ConsoleHttpUser.signedIn(stack, 'sam');
  }, 120_000);
  afterAll(async () => {
    await stack?.close();
    await removeStorage?.();
  });

  const status = async (user = cora) => {
    const answer = await user.request('GET', CONSOLE_ROUTES.compliance.path);
    expect(answer.status, JSON.stringify(answer.json)).toBe(200);
    return answer.json as unknown as ComplianceStatus;
  };
  const upload = (fileName: string, text: string) => cora.request('POST', CONSOLE_ROUTES.importTraining.path, { body: { fileName, text } });
  const courseOf = (state: ComplianceStatus, subject: string, course: string) => state.vas.find((va) => va.subject === subject)?.courses.find((c) => c.course === course) as CourseStandingRow;
  const lastLogEntry = async () => ((await cora.request('GET', `${CONSOLE_ROUTES.accessLog.path}?limit=1`)).json.items as AccessLogEntry[])[0];

  it("judges by the practice's signed policy: its courses, and every VA who signed in, with no record yet", async () => {
    const state = await status();
    expect(state.policy).toEqual({ policyId: 'demo-sunrise-family-medicine', serial: 1 });
    expect(state.problem).toBeNull();
    expect(state.courses).toEqual([
      { id: 'hipaa-privacy', title: 'HIPAA privacy and security' },
      { id: 'phishing', title: 'Spotting phishing' },
    ]);
    // The seeded sessions are Valerie's: she is listed, with no completion on record, due by the policy's date.
    expect(courseOf(state, 'demo-va-0001', 'hipaa-privacy')).toMatchObject({ completedOn: null, dueAt: '2027-01-31T00:00:00.000Z' });
    expect(state.imports).toEqual([]);
  });

  it('imports a CSV through the console: stored, judged as a device judges it, and in the access log', async () => {
    const text = `subject,course,completed_on\ndemo-va-0001,hipaa-privacy,${day(-350)}\ndemo-va-0001,phishing,${day(-400)}\nva-new,hipaa-privacy,${day(-10)}\n`;
    const answer = await upload('lms-export.csv', text);
    expect(answer.status, JSON.stringify(answer.json)).toBe(200);
    expect(answer.json).toMatchObject({ source: 'lms-export.csv', rows: 3, added: 3, updated: 0, unchanged: 0, revoked: 0, importedBy: 'Cora Compliance [demo-cmp-0001]' });
    expect(await lastLogEntry()).toMatchObject({ action: 'import-training', outcome: 'success', target: expect.stringMatching(/^lms-export\.csv: import #\d+, 3 rows: 3 added, 0 updated, 0 already on record, 0 revoked$/) });

    const state = await status();
    const at = (date: string) => `${date}T00:00:00.000Z`;
    // Twelve months after a completion 350 days ago: due in about 15 days.
    expect(courseOf(state, 'demo-va-0001', 'hipaa-privacy')).toMatchObject({ state: 'due-soon', completedOn: day(-350) });
    // Due about 35 days ago, past its 14 days' grace: this VA's apps are closed.
    expect(courseOf(state, 'demo-va-0001', 'phishing')).toMatchObject({ state: 'closed', completedOn: day(-400) });
    const fresh = courseOf(state, 'va-new', 'hipaa-privacy');
    expect(fresh).toMatchObject({ state: 'current', completedOn: day(-10) });
    expect(Date.parse(fresh.closesAt ?? '') - Date.parse(fresh.dueAt ?? '')).toBe(14 * DAY_MS);
    expect(Date.parse(fresh.dueAt ?? '')).toBeGreaterThan(Date.parse(at(day(-10))) + 364 * DAY_MS);
    expect(state.imports.map((i) => i.source)).toEqual(['lms-export.csv']);
    // Supervisors read the same standings.
    expect((await status(sam)).vas).toEqual(state.vas);
  });

  it('a malformed file through the console: 422 with every problem by row and column, nothing stored, the refusal logged', async () => {
    const before = await status();
    const answer = await upload('bad.csv', `subject,course,completed_on\ndemo-va-0001,phishing,${day(0)}\nva-new,fire-safety,${day(0)}\nva-new,phishing,${day(3)}\n`);
    expect(answer.status).toBe(422);
    expect(answer.json).toEqual({
      error: 'not-imported',
      message: 'Nothing was imported from bad.csv: 2 problems to fix first. The first: row 3, course: "fire-safety" is not a course the policy requires (its courses: hipaa-privacy, phishing).',
      problems: [
        { row: 3, column: 'course', message: '"fire-safety" is not a course the policy requires (its courses: hipaa-privacy, phishing)' },
        { row: 4, column: 'completed_on', message: `${day(3)} is in the future` },
      ],
      moreProblems: 0,
    });
    expect(await lastLogEntry()).toMatchObject({ action: 'import-training', outcome: 'refused', target: 'not-imported: bad.csv: refused, 2 problems in 3 rows; nothing was imported' });
    expect({ ...(await status()), asOf: before.asOf }).toEqual(before);
  });

  it("agreements: the latest acceptance each VA's device delivered, current, due soon before its year ends, or due with why", async () => {
    const demo = JSON.parse(readFileSync(path.join(REPO_ROOT, 'demo/policy/demo-policy.json'), 'utf8')) as { agreements: { text: string }[] };
    const sha = createHash('sha256').update(demo.agreements[0]?.text ?? '', 'utf8').digest('hex');
    const accepted = (subject: string, daysAgo: number, version = '2027-1', sha256 = sha) => ({ subject, at: NOW - daysAgo * DAY_MS, reason: agreementEventReason({ documentId: 'confidentiality', version, sha256, mfaMethods: ['pwd', 'otp'] }) });
    const acceptances = [
      accepted('va-acc-current', 10),
      accepted('va-acc-soon', 350),
      accepted('va-acc-old-version', 20, '2026-1'),
      accepted('va-acc-other-text', 20, '2027-1', 'a'.repeat(64)),
      accepted('va-acc-lapsed', 400),
      // A new version accepted after the old one: the latest counts.
      accepted('va-acc-renewed', 30, '2026-1'),
      accepted('va-acc-renewed', 5),
      // A reason that is not one of Cordon's: counts for nothing.
      { subject: 'va-acc-garbled', at: NOW - DAY_MS, reason: 'confidentiality accepted' },
    ];
    const device = new TestDevice(stack.collector.url, 'VA-LT-40 (agreements)');
    await device.enrollWithCode(stack.collector);
    const events = device.record(acceptances.length, (i) => {
      const { subject, at, reason } = acceptances[i] as (typeof acceptances)[number];
      return body({ type: 'agreement.accepted', at: new Date(at).toISOString(), subject, session: `AG${String(i).padStart(2, '0')}-0001`, reason });
    });
    expect((await device.sendBatch(events)).status).toBe(200);

    const state = await status();
    expect(state.agreements).toEqual([{ id: 'confidentiality', title: 'Confidentiality agreement', version: '2027-1' }]);
    const of = (subject: string) => state.vas.find((va) => va.subject === subject)?.agreements[0];
    const iso = (ms: number) => new Date(ms).toISOString();
    expect(of('va-acc-current')).toEqual({ document: 'confidentiality', state: 'current', acceptedVersion: '2027-1', acceptedAt: iso(NOW - 10 * DAY_MS), renewBy: iso(oneYearAfter(NOW - 10 * DAY_MS)), why: null });
    expect(of('va-acc-soon')).toMatchObject({ state: 'due-soon', renewBy: iso(oneYearAfter(NOW - 350 * DAY_MS)) });
    expect(of('va-acc-old-version')).toMatchObject({ state: 'due', acceptedVersion: '2026-1', why: 'new-version' });
    expect(of('va-acc-other-text')).toMatchObject({ state: 'due', why: 'text-changed' });
    expect(of('va-acc-lapsed')).toMatchObject({ state: 'due', why: 'period-ended' });
    expect(of('va-acc-renewed')).toMatchObject({ state: 'current', acceptedVersion: '2027-1', acceptedAt: iso(NOW - 5 * DAY_MS) });
    expect(of('va-acc-garbled')).toEqual({ document: 'confidentiality', state: 'due', acceptedVersion: null, acceptedAt: null, renewBy: null, why: 'never-accepted' });
    // Valerie signed in on the seeded devices but never accepted there: due.
    expect(of('demo-va-0001')).toMatchObject({ state: 'due', why: 'never-accepted' });
  });

  it('a policy that does not verify: the page says why and judges nothing; an import is refused rather than checked against nothing', async () => {
    const file = path.join(path.dirname(stack.keyFile), 'demo-policy.signed.json');
    const signed = readFileSync(file, 'utf8');
    writeFileSync(file, signed.replace('"graceDays": 14', '"graceDays": 90'));
    try {
      const state = await status();
      expect(state.policy).toBeNull();
      expect(state.problem).toMatch(/^The practice's policy cannot be used, so nothing can be judged: the policy .* is refused: the signature does not match the policy content/);
      expect(state.courses).toEqual([]);
      expect(state.agreements).toEqual([]);
      expect(state.vas.every((va) => va.courses.length === 0 && va.agreements.length === 0)).toBe(true);
      const refused = await upload('any.csv', `subject,course,completed_on\nva-new,phishing,${day(0)}\n`);
      expect(refused.status).toBe(422);
      expect(String(refused.json.message)).toMatch(/^Nothing was imported from any\.csv: one problem to fix first\. The first: the courses cannot be checked: the policy .* is refused/);
    } finally {
      writeFileSync(file, signed);
    }
  });
});
