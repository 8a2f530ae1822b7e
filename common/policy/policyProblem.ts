// Why a policy was refused, precise enough for a VA to read out to IT over the phone.

export const POLICY_PROBLEM_CODES = [
  'missing',
  'unreadable',
  'not-json',
  'unsigned',
  'unknown-format',
  'untrusted-key',
  'bad-signature',
  'unknown-version',
  'invalid',
  'not-yet-valid',
  'expired',
  'demo-policy-in-production',
  'below-minimum-version',
] as const;
export type PolicyProblemCode = (typeof POLICY_PROBLEM_CODES)[number];

export interface PolicyProblem {
  code: PolicyProblemCode;
  /** The policy file that was refused. */
  file: string;
  /** Dotted path of the offending field, when one field is to blame. */
  field?: string;
  /** Plain-language reason. */
  reason: string;
  /** Further field problems, for `invalid` (the first is in `field`/`reason`). */
  more?: { field: string; reason: string }[];
}

export function formatPolicyProblem(problem: PolicyProblem): string {
  const where = problem.field === undefined ? problem.file : `${problem.file}, field ${problem.field}`;
  const lines = [`Policy refused (${problem.code}): ${where}: ${problem.reason}`];
  for (const extra of problem.more ?? []) lines.push(`  also: field ${extra.field}: ${extra.reason}`);
  return lines.join('\n');
}
