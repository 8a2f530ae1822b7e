// The policy's agreements: none by default; each with its text, or a URL on an approved
// origin with its SHA-256; explained in one plain line each.
import { describe, expect, it } from 'vitest';
import { explainPolicy } from '../../../common/policy/explainPolicy';
import { policyV1Schema, type PolicyInput } from '../../../common/policy/policySchema';
import { validatePolicy } from '../../../common/policy/validatePolicy';
import { validPolicy } from '../../support/policyFixtures';

const SHA = 'c'.repeat(64);
const inline = { id: 'confidentiality', title: 'Confidentiality agreement', version: '2027-1', text: 'I keep patient information confidential.', reaccept: 'yearly' };
const fetched = { id: 'acceptable-use', title: 'Acceptable use', version: '4', url: 'https://ehr.example.com/policies/acceptable-use.txt', sha256: SHA, reaccept: 'new-version' };

const withAgreements = (agreements: unknown, overrides: Partial<PolicyInput> = {}) => policyV1Schema.safeParse({ ...validPolicy(overrides), agreements });
const problems = (agreements: unknown, overrides: Partial<PolicyInput> = {}) => (withAgreements(agreements, overrides).error?.issues ?? []).map((i) => `${i.path.join('.')}: ${i.message}`);

describe('policy agreements', () => {
  it('requires none by default, and says so', () => {
    const policy = policyV1Schema.parse(validPolicy());
    expect(policy.agreements).toEqual([]);
    expect(explainPolicy(policy)).toContain('agreements: none to accept');
  });

  it('takes a document with its text, or with a URL on an approved origin and its SHA-256', () => {
    const parsed = withAgreements([inline, fetched]);
    expect(parsed.success && parsed.data.agreements).toEqual([inline, fetched]);
    // The request origins of an app are approved too.
    expect(withAgreements([{ ...fetched, url: 'https://api.ehr.example.com/agreement.txt' }]).success).toBe(true);
  });

  it('explains each in one plain line: when it is asked for, again when, and where its text comes from', () => {
    const policy = policyV1Schema.parse({ ...validPolicy(), agreements: [inline, fetched] });
    const lines = explainPolicy(policy).filter((line) => line.startsWith('agreement '));
    expect(lines).toEqual([
      'agreement confidentiality ("Confidentiality agreement", version 2027-1): each VA reads and accepts it after sign-in, before any app opens, again a year after each acceptance, and when its version changes; declining signs out; text in the policy (40 characters)',
      `agreement acceptable-use ("Acceptable use", version 4): each VA reads and accepts it after sign-in, before any app opens, again only when its version changes; declining signs out; text fetched from https://ehr.example.com/policies/acceptable-use.txt, refused unless its SHA-256 is ${SHA}`,
    ]);
  });

  it('refuses a document with both, or neither, of text and URL, and a URL without its SHA-256', () => {
    expect(problems([{ ...inline, url: fetched.url, sha256: SHA }])).toEqual(['agreements.0: must give either text, or url with sha256, not both']);
    const without = (doc: object, field: string) => Object.fromEntries(Object.entries(doc).filter(([key]) => key !== field));
    expect(problems([without(inline, 'text')])).toEqual(['agreements.0: must give the text itself, or url with the sha256 of the text found there']);
    expect(problems([without(fetched, 'sha256')])).toEqual(['agreements.0: must give the text itself, or url with the sha256 of the text found there']);
  });

  it('refuses a URL off the approved origins, plain http outside a demo, and a malformed digest', () => {
    expect(problems([{ ...fetched, url: 'https://intranet.example.org/agreement.txt' }])).toEqual(['agreements.0.url: its origin https://intranet.example.org is not an approved origin of any app']);
    const demoApps = { apps: [{ id: 'ehr', name: 'EHR', startUrl: 'http://127.0.0.1:4410/', navigationOrigins: ['http://127.0.0.1:4410'] }] };
    expect(problems([{ ...fetched, url: 'http://127.0.0.1:4410/agreement.txt' }], demoApps)).toContain('agreements.0.url: plain http is allowed only in a demo policy');
    expect(problems([{ ...fetched, url: 'http://127.0.0.1:4410/agreement.txt' }], { ...demoApps, environment: 'demo' })).toEqual([]);
    expect(problems([{ ...fetched, sha256: SHA.toUpperCase() }])).toEqual(['agreements.0.sha256: must be a SHA-256 digest: 64 lowercase hex digits']);
  });

  it('refuses duplicate ids, odd ids and versions, unknown fields and re-accept rules, and empty text', () => {
    expect(problems([inline, { ...fetched, id: 'confidentiality' }])).toEqual(["agreements.1.id: duplicate agreement id 'confidentiality'"]);
    expect(problems([{ ...inline, id: 'Confidentiality' }])).toEqual([expect.stringMatching(/^agreements\.0\.id: must be 1–32 characters/)]);
    expect(problems([{ ...inline, version: 'v 2' }])).toEqual([expect.stringMatching(/^agreements\.0\.version: must be 1–32 letters/)]);
    expect(problems([{ ...inline, reaccept: 'monthly' }])).toEqual([expect.stringMatching(/^agreements\.0\.reaccept: /)]);
    expect(problems([{ ...inline, signature: 'x' }])).toEqual([expect.stringMatching(/^agreements\.0: Unrecognized key/)]);
    expect(problems([{ ...inline, text: '   ' }])).toEqual(['agreements.0.text: must not be empty']);
    expect(problems(Array.from({ length: 11 }, (_, i) => ({ ...inline, id: `doc-${i}` })))).toEqual([expect.stringMatching(/^agreements: /)]);
  });

  it('names the field as IT reads the file', () => {
    const result = validatePolicy({ ...validPolicy(), agreements: [{ ...inline, reacept: 'yearly' }] });
    expect(result.ok ? [] : result.problems).toContainEqual({ field: 'policy.agreements[0].reacept', reason: 'unknown field; did you mean "reaccept"?' });
  });
});
