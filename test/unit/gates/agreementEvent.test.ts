// The reason of agreement events: what the device writes, the collector reads back;
// always within an event reason's 200 characters, never the text.
import { describe, expect, it } from 'vitest';
import { AGREEMENT_REASON_MAX, agreementEventReason, parseAgreementEventReason } from '../../../common/gates/agreementEvent';

const SHA = 'ab'.repeat(32);

describe('agreement event reasons', () => {
  it('carry the document, version, SHA-256 and sign-in methods, and read back the same', () => {
    const facts = { documentId: 'confidentiality', version: '2027-1', sha256: SHA, mfaMethods: ['pwd', 'otp'] };
    const reason = agreementEventReason(facts);
    expect(reason).toBe(`confidentiality@2027-1 sha256:${SHA} amr:pwd+otp`);
    expect(parseAgreementEventReason(reason)).toEqual(facts);
  });

  it('stay within the limit at the longest id and version, dropping methods that do not fit or are not plain words', () => {
    const facts = { documentId: `a${'b'.repeat(31)}`, version: 'v'.repeat(32), sha256: SHA, mfaMethods: ['pwd', 'otp x', 'hwk', ...Array.from({ length: 30 }, (_, i) => `method${i}`)] };
    const reason = agreementEventReason(facts);
    expect(reason.length).toBeLessThanOrEqual(AGREEMENT_REASON_MAX);
    const read = parseAgreementEventReason(reason);
    expect(read?.mfaMethods.slice(0, 3)).toEqual(['pwd', 'hwk', 'method0']);
    expect(read?.mfaMethods).not.toContain('otp x');
    expect(agreementEventReason({ ...facts, mfaMethods: [] })).toMatch(/ amr:$/);
  });

  it('read nothing from a reason that is not one', () => {
    for (const reason of ['', 'diskEncryption:fail:required', `Confidentiality@1 sha256:${SHA} amr:pwd`, `c@1 sha256:${SHA.slice(2)} amr:pwd`, `c@1 sha256:${SHA} amr:p w`, `c@1 sha256:${SHA}`, `c@${'1'.repeat(40)} sha256:${SHA} amr:`]) {
      expect(parseAgreementEventReason(reason)).toBeNull();
    }
  });
});
