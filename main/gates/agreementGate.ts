// The agreement gate for the signed-in VA: the policy's documents, this VA's latest
// acceptances from the device's encrypted store, and the VA's answer. An acceptance is
// kept (a restart does not ask again) and audited with the document, its version and
// SHA-256, and how the VA signed in; a decline is audited, and the caller signs the VA out.
import type { AuditSink } from '../../common/audit/auditSink';
import type { Identity } from '../../common/auth/identity';
import { agreementEventReason } from '../../common/gates/agreementEvent';
import { agreementStanding, UNREADABLE, type AcceptanceRecord } from '../../common/gates/agreementStanding';
import type { AgreementDocument } from '../../common/gates/gateOrder';
import type { ActionResult } from '../../common/ipc/contract';
import type { AgreementDocuments } from './agreementDocuments';
import type { AcceptanceStore } from './agreementStore';

export interface AgreementGateOptions {
  documents: AgreementDocuments;
  /** Null when the device's encrypted storage did not open: nothing can be read, so every agreement stays outstanding. */
  store: AcceptanceStore | null;
  audit: AuditSink;
  identity: () => Identity | null;
  now: () => number;
  /** An acceptance changed what the shell shows. */
  onChange: () => void;
}

export const CHANGED_WHILE_READING = 'This document changed while you were reading it. Read the current version.';

export class AgreementGate {
  /** The signed-in VA's records, read from the store once per VA. */
  private cached: { subject: string; records: Map<string, AcceptanceRecord>; read: Set<string> } | null = null;

  constructor(private readonly options: AgreementGateOptions) {}

  /** What the gate order needs for this VA; the first outstanding document's text is fetched if it is not here yet. */
  inputFor(identity: Identity): { agreements: AgreementDocument[]; acceptances: ReadonlyMap<string, AcceptanceRecord> } {
    const agreements = this.options.documents.list();
    const acceptances = this.recordsOf(identity.subject, agreements);
    const now = this.options.now();
    const first = agreements.find((doc) => agreementStanding(doc, acceptances.get(doc.id), now).state === 'outstanding');
    if (first !== undefined) this.options.documents.need(first.id);
    return { agreements, acceptances };
  }

  /** The VA accepts the document version the screen showed: kept, then audited. */
  accept(documentId: string, version: string): ActionResult {
    const identity = this.options.identity();
    if (identity === null) return { ok: false, message: 'Sign in first.' };
    const doc = this.options.documents.list().find((d) => d.id === documentId);
    if (doc === undefined || doc.version !== version) return { ok: false, message: CHANGED_WHILE_READING };
    if (doc.content.state !== 'ready') return { ok: false, message: 'This document cannot be accepted until Cordon can show it.' };
    const acceptance = { version, sha256: doc.sha256, acceptedAt: this.options.now() };
    try {
      if (this.options.store === null) throw new Error('no device storage');
      this.options.store.save(identity.subject, documentId, acceptance);
    } catch {
      return { ok: false, message: 'Cordon could not save your acceptance. Try again; if this keeps happening, call IT.' };
    }
    this.recordsOf(identity.subject, [doc]).set(documentId, acceptance);
    this.options.audit.record({ type: 'agreement.accepted', outcome: 'success', reason: agreementEventReason({ documentId, version, sha256: doc.sha256, mfaMethods: identity.mfaMethods }) });
    this.options.onChange();
    return { ok: true };
  }

  /** The VA declines: audited while still signed in (the caller then signs out). */
  decline(documentId: string): void {
    const identity = this.options.identity();
    const doc = this.options.documents.list().find((d) => d.id === documentId);
    if (identity === null || doc === undefined) return;
    this.options.audit.record({ type: 'agreement.declined', outcome: 'success', reason: agreementEventReason({ documentId, version: doc.version, sha256: doc.sha256, mfaMethods: identity.mfaMethods }) });
  }

  /** Fetches again the documents that could not be had. */
  retry(): void {
    this.options.documents.retry();
  }

  private recordsOf(subject: string, agreements: readonly Pick<AgreementDocument, 'id'>[]): Map<string, AcceptanceRecord> {
    if (this.cached?.subject !== subject) this.cached = { subject, records: new Map(), read: new Set() };
    const { records, read } = this.cached;
    for (const { id } of agreements) {
      if (read.has(id)) continue;
      read.add(id);
      const record = this.options.store === null ? UNREADABLE : this.options.store.latest(subject, id);
      if (record !== undefined) records.set(id, record);
    }
    return records;
  }
}
