// The collector's one-shot chain link against the definition (SHA-256 over the previous
// link's 32 bytes, then the body's UTF-8), on random bodies: multi-byte characters, bodies
// longer than the reused buffer, and a short one after a long one (no stale bytes).
import { createHash, randomBytes, randomInt } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sha256Link } from '../../../collector/chainDigest';

const reference = (previousLinkHex: string, body: string) => createHash('sha256').update(Buffer.from(previousLinkHex, 'hex')).update(body, 'utf8').digest('hex');
const ALPHABET = ['a', 'Z', '0', '"', '{', 'é', 'ß', '中', '😀', '\u0000', '\n'];
const randomBody = (length: number) => Array.from({ length }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');

describe('the chain link', () => {
  it('is SHA-256 over the previous link and the body, whatever the body and in any order of lengths', () => {
    let link = '0'.repeat(64);
    for (const length of [0, 1, 40, 4096, 9000, 3, 30_000, 2]) {
      for (let i = 0; i < 20; i += 1) {
        const body = randomBody(length);
        const expected = reference(link, body);
        expect(sha256Link(link, body)).toBe(expected);
        link = expected;
      }
    }
    const previous = randomBytes(32).toString('hex');
    expect(sha256Link(previous, '{"type":"sign-in.succeeded"}')).toBe(reference(previous, '{"type":"sign-in.succeeded"}'));
  });
});
