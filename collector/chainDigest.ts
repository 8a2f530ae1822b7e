// SHA-256 for the collector's hash chains (common/audit/hashChain), with node:crypto.
import { hash } from 'node:crypto';
import type { ChainDigest } from '../common/audit/hashChain';

/** Where each link's input (the previous link's bytes, then the body's UTF-8) is assembled, reused. */
let linkInput = Buffer.allocUnsafe(8192);

/** One-shot hashing of one buffer: a hash object and two updates per link cost more than the hashing. */
export const sha256Link: ChainDigest = (previousLinkHex, body) => {
  const longest = previousLinkHex.length + body.length * 3;
  if (linkInput.length < longest) linkInput = Buffer.allocUnsafe(longest);
  const start = linkInput.write(previousLinkHex, 0, 'hex');
  return hash('sha256', linkInput.subarray(0, start + linkInput.write(body, start, 'utf8')), 'hex');
};
