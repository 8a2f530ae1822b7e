// Signed-out page patterns: an origin of the app and a path with `*` wildcards, compared
// as parsed values; query and fragment never count.
import { describe, expect, it } from 'vitest';
import { isSignedOutPage, parseSignedOutPattern } from '../../../common/hosting/signedOutUrls';

describe('signed-out page patterns', () => {
  it('match the origin exactly and the whole path, * standing for any run of characters', () => {
    const patterns = ['https://ehr.example.com/login*', 'https://login.example.com/interaction/*/password'];
    for (const url of ['https://ehr.example.com/login', 'https://ehr.example.com/login?next=%2Fchart%2FSYN-0001', 'https://ehr.example.com/login/expired#top', 'https://login.example.com/interaction/abc123/password']) {
      expect(isSignedOutPage(patterns, url)).toBe(true);
    }
    for (const url of ['https://ehr.example.com/', 'https://ehr.example.com/chart/login', 'https://ehr.example.com.evil.test/login', 'http://ehr.example.com/login', 'https://ehr.example.com:8443/login', 'https://login.example.com/interaction/abc123', 'not a url', 'about:blank']) {
      expect(isSignedOutPage(patterns, url)).toBe(false);
    }
  });

  it('treat regular-expression characters in a path literally', () => {
    expect(isSignedOutPage(['https://ehr.example.com/session.expired'], 'https://ehr.example.com/session.expired')).toBe(true);
    expect(isSignedOutPage(['https://ehr.example.com/session.expired'], 'https://ehr.example.com/sessionXexpired')).toBe(false);
    expect(isSignedOutPage(['https://ehr.example.com/(login)'], 'https://ehr.example.com/(login)')).toBe(true);
  });

  it('are refused unless an origin is written out, with * in the path only and no query or fragment', () => {
    expect(parseSignedOutPattern('https://ehr.example.com/login*')).toMatchObject({ origin: 'https://ehr.example.com' });
    for (const pattern of ['https://*.example.com/login', 'https://ehr.example.com', 'https://EHR.example.com/login', 'https://ehr.example.com/login?expired=1', 'https://ehr.example.com/login#x', '/login', 'ehr.example.com/login', 'javascript:alert(1)/x', 'https://ehr.example.com:443/login']) {
      expect(parseSignedOutPattern(pattern), pattern).toBeNull();
    }
  });
});
