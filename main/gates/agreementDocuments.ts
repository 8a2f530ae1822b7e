// The policy's agreements with their texts, as the agreement gate shows them. Inline
// text is ready at once (its SHA-256 computed here); a URL document is fetched on first
// need, from an approved origin only, and shown only if its bytes have exactly the
// SHA-256 the signed policy names. Unreachable, refused, too long, not text, or not the
// approved text: the gate stays closed with a sentence saying so, and it is audited.
import { createHash } from 'node:crypto';
import { auditableOrigin, type AuditSink } from '../../common/audit/auditSink';
import type { AgreementContent, AgreementDocument } from '../../common/gates/gateOrder';
import { MAX_AGREEMENT_CHARS, type AgreementPolicy } from '../../common/policy/policySchema';
import { HostedFetchError, type FetchLimits, type HostedFetchProblem } from '../hosting/hostedFetch';

/** UTF-8 needs at most 4 bytes a character. */
export const AGREEMENT_FETCH_LIMITS: FetchLimits = { maxBytes: MAX_AGREEMENT_CHARS * 4, timeoutMs: 15_000 };

/** Fetches a URL from an approved origin (HostedApps.fetchApproved); throws HostedFetchError. */
export type AgreementFetcher = (url: string, limits: FetchLimits) => Promise<Uint8Array>;

type Problem = HostedFetchProblem | 'hash-mismatch' | 'not-text';

export function sha256Hex(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** What the VA reads when a document cannot be shown: what happened, that apps stay closed, whom to tell. */
function problemSentence(problem: Problem, title: string, origin: string): string {
  switch (problem) {
    case 'hash-mismatch':
      return `The copy of \u201c${title}\u201d at ${origin} is not the text your practice approved, so practice apps stay closed. Tell IT: it does not match the SHA-256 in the policy.`;
    case 'too-large':
    case 'not-text':
      return `\u201c${title}\u201d at ${origin} is not a plain-text document Cordon can show, so practice apps stay closed. Tell IT.`;
    case 'not-approved':
      return `\u201c${title}\u201d is not on one of the practice\u2019s approved sites, so Cordon did not fetch it and practice apps stay closed. Tell IT.`;
    default:
      return `Cordon could not fetch \u201c${title}\u201d from ${origin}${problem.startsWith('http-') ? ` (the site answered ${problem.slice(5)})` : ''}, so practice apps stay closed. Try again; if this keeps happening, tell IT.`;
  }
}

export interface AgreementDocumentsOptions {
  agreements: readonly AgreementPolicy[];
  fetch: AgreementFetcher;
  audit: AuditSink;
  /** A fetch finished (the gate's screen changes). */
  onChange: () => void;
}

export class AgreementDocuments {
  /** URL documents fetched, being fetched, or refused; absent means not asked for yet. */
  private readonly contents = new Map<string, AgreementContent>();
  /** The SHA-256 of each inline text (the policy names a URL document's). */
  private readonly digests: ReadonlyMap<string, string>;

  constructor(private readonly options: AgreementDocumentsOptions) {
    this.digests = new Map(options.agreements.map((doc) => [doc.id, doc.text === undefined ? (doc.sha256 ?? '') : sha256Hex(doc.text)]));
  }

  /** Every agreement of the policy, in its order, with its content as far as it is known. */
  list(): AgreementDocument[] {
    return this.options.agreements.map((doc) => {
      const { id, title, version, reaccept } = doc;
      const content: AgreementContent = doc.text === undefined ? (this.contents.get(id) ?? { state: 'loading' }) : { state: 'ready', text: doc.text };
      return { id, title, version, reaccept, sha256: this.digests.get(id) ?? '', content };
    });
  }

  /** Starts fetching a URL document that has not been asked for yet (nothing for inline text, or one fetched or failed already). */
  need(documentId: string): void {
    const doc = this.options.agreements.find((d) => d.id === documentId);
    if (doc?.url === undefined || this.contents.has(documentId)) return;
    this.contents.set(documentId, { state: 'loading' });
    void this.fetch(doc, doc.url);
  }

  /** Forgets the documents that could not be had, so the next need fetches them again. */
  retry(): void {
    for (const [id, content] of this.contents) if (content.state === 'unavailable') this.contents.delete(id);
    this.options.onChange();
  }

  private async fetch(doc: AgreementPolicy, url: string): Promise<void> {
    let content: AgreementContent;
    try {
      content = { state: 'ready', text: this.verified(doc, await this.options.fetch(url, AGREEMENT_FETCH_LIMITS)) };
    } catch (error) {
      const problem: Problem = error instanceof AgreementTextError || error instanceof HostedFetchError ? error.code : 'unreachable';
      const failed = problem === 'unreachable' || problem.startsWith('http-');
      this.options.audit.record({ type: 'agreement.unavailable', outcome: failed ? 'failure' : 'blocked', origin: auditableOrigin(url), reason: `${doc.id}@${doc.version}:${problem}` });
      content = { state: 'unavailable', problem: problemSentence(problem, doc.title, auditableOrigin(url)) };
    }
    this.contents.set(doc.id, content);
    this.options.onChange();
  }

  /** The text, only if the bytes are exactly the approved ones and read as plain UTF-8 of allowed length. */
  private verified(doc: AgreementPolicy, bytes: Uint8Array): string {
    if (sha256Hex(bytes) !== doc.sha256) throw new AgreementTextError('hash-mismatch');
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      throw new AgreementTextError('not-text');
    }
    if (text.trim() === '' || text.length > MAX_AGREEMENT_CHARS) throw new AgreementTextError('not-text');
    return text;
  }
}

class AgreementTextError extends Error {
  constructor(readonly code: 'hash-mismatch' | 'not-text') {
    super(code);
  }
}
