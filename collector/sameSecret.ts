// Comparing a secret someone sent (a bearer token, a CSRF token) with the expected one in
// constant time, so the answer's timing says nothing about how much of it matched.
import { timingSafeEqual } from 'node:crypto';

export function sameSecret(given: string | undefined, expected: string): boolean {
  const a = Buffer.from(given ?? '', 'utf8');
  const b = Buffer.from(expected, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}
