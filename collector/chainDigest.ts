// SHA-256 for the collector's hash chains (common/audit/hashChain), with node:crypto.
import { createHash } from 'node:crypto';
import type { ChainDigest } from '../common/audit/hashChain';

export const sha256Link: ChainDigest = (previousLinkHex, body) => createHash('sha256').update(Buffer.from(previousLinkHex, 'hex')).update(body, 'utf8').digest('hex');
