// How the workspace says who is signed in: words, never the IdP's or Cordon's codes.
import { describe, expect, it } from 'vitest';
import { listInWords, rolesInWords, signedInHow, signInMethodsInWords } from '../../../common/ui/signInWording';

describe('sign-in methods in words', () => {
  it.each([
    [['pwd', 'otp'], 'password and authenticator app'],
    [['pwd'], 'password'],
    [['hwk', 'pin', 'fpt'], 'security key, PIN and fingerprint'],
    [['sms', 'pwd', 'sms'], 'text message code and password'],
    // "mfa" adds nothing next to the methods themselves, and is all there is to say without them.
    [['pwd', 'otp', 'mfa'], 'password and authenticator app'],
    [['mfa'], 'multi-factor authentication'],
    // An IdP's own code is shown as it is rather than hidden.
    [['pwd', 'ngcmfa'], 'password and ngcmfa'],
    [[], ''],
  ])('%j → %s', (amr, words) => {
    expect(signInMethodsInWords(amr)).toBe(words);
  });

  it('says when and how, and leaves out "with" when the IdP named no method', () => {
    expect(signedInHow('9:02 AM', ['pwd', 'otp'])).toBe('signed in 9:02 AM with password and authenticator app');
    expect(signedInHow('9:02 AM', [])).toBe('signed in 9:02 AM');
  });
});

it('lists alternatives with "or"', () => {
  expect(listInWords(['a', 'b', 'c'], 'or')).toBe('a, b or c');
  expect(listInWords(['a'], 'or')).toBe('a');
});

describe('roles in words', () => {
  it('says nothing for a VA, and names any other role', () => {
    expect(rolesInWords(['va'])).toBe('');
    expect(rolesInWords([])).toBe('');
    expect(rolesInWords(['va', 'supervisor'])).toBe('supervisor');
    expect(rolesInWords(['compliance', 'admin'])).toBe('compliance officer and IT admin');
  });
});
