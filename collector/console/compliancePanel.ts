// The console's compliance status: every VA the collector knows of (from their sessions,
// their training records and their acceptances) against what the practice's signed policy
// requires, judged by the same functions the devices use, so the console says current, due
// soon or overdue exactly when a VA's Cordon does. Without a policy it trusts, it says why
// it cannot judge.
import type { Kysely } from 'kysely';
import { courseStandingRow, type AgreementStandingRow, type ComplianceStatus } from '../../common/console/consoleApi';
import { agreementStanding } from '../../common/gates/agreementStanding';
import type { AgreementPolicy } from '../../common/policy/policySchema';
import { documentSha256, latestAcceptances, type SeenAcceptance } from '../agreements/agreementAcceptances';
import { DAY_MS, trainingStandings } from '../../common/gates/trainingStanding';
import type { CollectorDatabase } from '../database';
import { readPracticePolicy, type PracticePolicySource } from '../training/practicePolicy';
import { allCompletions, recentImports } from '../training/trainingRecords';

export const NO_POLICY_PROBLEM = "The collector was not given the practice's policy (--policy and --policy-key), so it cannot tell which agreements and courses are required. IT starts the collector with them.";
const RECENT_IMPORTS = 10;
/** A yearly agreement shows as due soon this many days before its year ends, unless the training section sets the notice. */
const AGREEMENT_NOTICE_DAYS = 30;

function agreementRow(doc: AgreementPolicy, sha256: string, seen: SeenAcceptance | undefined, noticeDays: number, now: number): AgreementStandingRow {
  const standing = agreementStanding({ version: doc.version, reaccept: doc.reaccept, sha256 }, seen, now);
  const accepted = { acceptedVersion: seen?.version ?? null, acceptedAt: seen === undefined ? null : new Date(seen.acceptedAt).toISOString() };
  if (standing.state === 'outstanding') return { document: doc.id, state: 'due', ...accepted, renewBy: null, why: standing.why };
  const soon = standing.renewBy !== null && standing.renewBy - now <= noticeDays * DAY_MS;
  return { document: doc.id, state: soon ? 'due-soon' : 'current', ...accepted, renewBy: standing.renewBy === null ? null : new Date(standing.renewBy).toISOString(), why: null };
}

/** VAs by IdP subject: whoever signed in on a device, and whoever has training records. */
async function knownSubjects(db: Kysely<CollectorDatabase>, recorded: Iterable<string>): Promise<string[]> {
  const signedIn = await db.selectFrom('sessions').select('subject').distinct().where('subject', 'is not', null).execute();
  return [...new Set([...signedIn.map((row) => row.subject as string), ...recorded])].sort();
}

export async function compliancePanel(db: Kysely<CollectorDatabase>, source: PracticePolicySource | null, now: number): Promise<ComplianceStatus> {
  const practice = source === null ? null : readPracticePolicy(source, now);
  const policy = practice?.ok === true ? practice.policy : null;
  const training = policy?.training;
  const completions = await allCompletions(db);
  const acceptances = await latestAcceptances(db);
  const subjects = await knownSubjects(db, [...completions.keys(), ...acceptances.keys()]);
  const documents = (policy?.agreements ?? []).map((doc) => ({ doc, sha256: documentSha256(doc) }));
  const noticeDays = training?.dueSoonDays ?? AGREEMENT_NOTICE_DAYS;
  return {
    asOf: new Date(now).toISOString(),
    policy: policy === null ? null : { policyId: policy.policyId, serial: policy.serial },
    problem: practice === null ? NO_POLICY_PROBLEM : practice.ok ? null : `The practice's policy cannot be used, so nothing can be judged: ${practice.problem}.`,
    agreements: documents.map(({ doc }) => ({ id: doc.id, title: doc.title, version: doc.version })),
    courses: (training?.courses ?? []).map(({ id, title }) => ({ id, title })),
    vas: subjects.map((subject) => ({
      subject,
      agreements: documents.map(({ doc, sha256 }) => agreementRow(doc, sha256, acceptances.get(subject)?.get(doc.id), noticeDays, now)),
      courses: training === undefined ? [] : trainingStandings(training, completions.get(subject) ?? [], now).map(courseStandingRow),
    })),
    imports: await recentImports(db, RECENT_IMPORTS),
  };
}
