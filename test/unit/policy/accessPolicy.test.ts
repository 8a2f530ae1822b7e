// The policy's access section: how often a signed-in device asks whether access still
// stands; explained in words, and bounded.
import { describe, expect, it } from 'vitest';
import { explainPolicy } from '../../../common/policy/explainPolicy';
import { policyV1Schema } from '../../../common/policy/policySchema';
import { validatePolicy } from '../../../common/policy/validatePolicy';
import { validPolicy } from '../../support/policyFixtures';

const COLLECTOR_KEY = '-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEA7mf4nDaXhkDQfw+bChaRvcTo/s40rz+uq2LACI2tTxQ=\n-----END PUBLIC KEY-----\n';

describe('access in the policy', () => {
  it('asks every 5 minutes by default, and the explanation says whether revocation can be believed at all', () => {
    const without = policyV1Schema.parse(validPolicy());
    expect(without.access).toEqual({ checkEveryMinutes: 5, offlineDays: 3 });
    expect(explainPolicy(without)).toContain('access: not checked with the collector (no audit.collectorPublicKey): a revoked device or VA is not locked out by Cordon');
    const base = validPolicy();
    const keyed = policyV1Schema.parse({ ...base, audit: { ...base.audit, collectorPublicKey: COLLECTOR_KEY }, access: { checkEveryMinutes: 2, offlineDays: 1 } });
    expect(explainPolicy(keyed)).toContain('access: checked with the collector at start, at each sign-in and every 2 min (and in every delivery\'s answer); a revoked device locks, a revoked VA or one past their end date is signed out; apps stay closed while access cannot be confirmed, or after 1 day without reaching the collector');
  });

  it('refuses an interval outside 1 to 60 minutes, offline days outside 0 to 30, and unknown fields, naming the field', () => {
    for (const checkEveryMinutes of [0, 61, 2.5]) {
      const result = validatePolicy({ ...validPolicy(), access: { checkEveryMinutes } });
      expect(result.ok ? [] : result.problems.map((p) => p.field)).toEqual(['policy.access.checkEveryMinutes']);
    }
    for (const offlineDays of [-1, 31]) {
      const result = validatePolicy({ ...validPolicy(), access: { offlineDays } });
      expect(result.ok ? [] : result.problems.map((p) => p.field)).toEqual(['policy.access.offlineDays']);
    }
    const unknown = validatePolicy({ ...validPolicy(), access: { checkEveryMinute: 5 } });
    expect(unknown.ok).toBe(false);
  });
});
