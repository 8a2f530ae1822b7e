// The console's compliance status: every VA the collector knows of (from their sessions and
// their training records) against what the practice's signed policy requires, judged by the
// same functions the devices use, so the console says current, due soon or overdue exactly
// when a VA's Cordon does. Without a policy it trusts, it says why it cannot judge.
import type { Kysely } from 'kysely';
import { courseStandingRow, type ComplianceStatus } from '../../common/console/consoleApi';
import { trainingStandings } from '../../common/gates/trainingStanding';
import type { CollectorDatabase } from '../database';
import { readPracticePolicy, type PracticePolicySource } from '../training/practicePolicy';
import { allCompletions, recentImports } from '../training/trainingRecords';

export const NO_POLICY_PROBLEM = "The collector was not given the practice's policy (--policy and --policy-key), so it cannot tell which agreements and courses are required. IT starts the collector with them.";
const RECENT_IMPORTS = 10;

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
  const subjects = await knownSubjects(db, completions.keys());
  return {
    asOf: new Date(now).toISOString(),
    policy: policy === null ? null : { policyId: policy.policyId, serial: policy.serial },
    problem: practice === null ? NO_POLICY_PROBLEM : practice.ok ? null : `The practice's policy cannot be used, so nothing can be judged: ${practice.problem}.`,
    courses: (training?.courses ?? []).map(({ id, title }) => ({ id, title })),
    vas: subjects.map((subject) => ({ subject, courses: training === undefined ? [] : trainingStandings(training, completions.get(subject) ?? [], now).map(courseStandingRow) })),
    imports: await recentImports(db, RECENT_IMPORTS),
  };
}
