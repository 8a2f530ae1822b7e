// Each app's signed-out pages in the policy: on the app's own navigation origins only,
// none by default, explained in one plain line.
import { describe, expect, it } from 'vitest';
import { explainPolicy } from '../../../common/policy/explainPolicy';
import { policyV1Schema } from '../../../common/policy/policySchema';
import { validPolicy } from '../../support/policyFixtures';

const [ehr] = validPolicy().apps;
const withPatterns = (signedOutUrls: unknown) => policyV1Schema.safeParse({ ...validPolicy(), apps: [{ ...ehr, signedOutUrls }] });
const problems = (signedOutUrls: unknown) => (withPatterns(signedOutUrls).error?.issues ?? []).map((i) => `${i.path.join('.')}: ${i.message}`);

describe('policy signedOutUrls', () => {
  it('lists none by default, and the explanation says Cordon cannot tell then', () => {
    const policy = policyV1Schema.parse(validPolicy());
    expect(policy.apps[0]?.signedOutUrls).toEqual([]);
    expect(explainPolicy(policy)).toContain('app ehr ("Test EHR"): no signed-out pages listed (Cordon cannot tell when the app signs the VA out)');
  });

  it("takes patterns on the app's navigation origins, the IdP's sign-in pages included, and explains them", () => {
    const patterns = ['https://ehr.example.com/login*', 'https://login.example.com/interaction/*'];
    const parsed = withPatterns(patterns);
    expect(parsed.success && parsed.data.apps[0]?.signedOutUrls).toEqual(patterns);
    if (parsed.success) expect(explainPolicy(parsed.data)).toContain(`app ehr ("Test EHR"): when it shows ${patterns.join(' or ')}, Cordon tells the VA the app signed them out and offers to open it again`);
  });

  it('refuses a pattern off the navigation origins (request origins are not pages), or not a pattern at all', () => {
    expect(problems(['https://api.ehr.example.com/login'])).toEqual(['apps.0.signedOutUrls.0: its origin https://api.ehr.example.com is not among navigationOrigins']);
    expect(problems(['https://evil.example/login'])).toEqual(['apps.0.signedOutUrls.0: its origin https://evil.example is not among navigationOrigins']);
    expect(problems(['https://*.example.com/login', '/login'])).toEqual([
      "apps.0.signedOutUrls.0: must be an address on one of the app's origins, with * for any run of characters in its path only, e.g. https://ehr.example.com/login*",
      "apps.0.signedOutUrls.1: must be an address on one of the app's origins, with * for any run of characters in its path only, e.g. https://ehr.example.com/login*",
    ]);
    expect(problems([42])).toEqual([expect.stringMatching(/^apps\.0\.signedOutUrls\.0: /)]);
    expect(problems(Array.from({ length: 21 }, (_, i) => `https://ehr.example.com/login${i}`))).toEqual([expect.stringMatching(/^apps\.0\.signedOutUrls: /)]);
  });
});
