// The hash chain every Cordon trail uses (a device's audit queue, the collector's console
// access log): link(n) = SHA-256(link(n-1) || UTF-8 body(n)), link(0) = 32 zero bytes,
// links as lowercase hex. Pure: the caller passes SHA-256 (node:crypto in the collector).
export { GENESIS_LINK_HEX } from './syncProtocol';

/** SHA-256 over the previous link's bytes followed by the body's UTF-8 bytes, as hex. */
export type ChainDigest = (previousLinkHex: string, body: string) => string;

export interface ChainEntry {
  seq: number;
  body: string;
  link: string;
}

export type ChainBreak = { seq: number; kind: 'gap' | 'link-mismatch'; detail: string };

/**
 * The first place `entries` (in sequence order) stop extending the chain whose link at
 * `startSeq` is `startLink`, or null when every entry follows and carries its true link.
 */
export function firstChainBreak(digest: ChainDigest, start: { seq: number; link: string }, entries: readonly ChainEntry[]): ChainBreak | null {
  let { seq, link } = start;
  for (const entry of entries) {
    if (entry.seq !== seq + 1) return { seq: seq + 1, kind: 'gap', detail: `entry ${seq + 1} is missing (the next stored entry is ${entry.seq})` };
    const expected = digest(link, entry.body);
    if (expected !== entry.link) return { seq: entry.seq, kind: 'link-mismatch', detail: `entry ${entry.seq} does not match its chain link (its content was changed after it was chained)` };
    seq = entry.seq;
    link = expected;
  }
  return null;
}
