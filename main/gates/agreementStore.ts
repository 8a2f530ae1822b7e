// Each VA's latest acceptance of each agreement, in the encrypted audit queue's file (the
// table of migration 005), so a restart does not ask again, on its own connection to that
// file (queueFileConnection.ts). A row that
// does not read back as a well-formed acceptance, or a read that fails, is "unreadable":
// the VA is asked again (fail closed).
import type Database from 'better-sqlite3-multiple-ciphers';
import { z } from 'zod';
import { UNREADABLE, type AcceptanceRecord, type AgreementAcceptance } from '../../common/gates/agreementStanding';
import { agreementVersionSchema, sha256HexSchema } from '../../common/policy/policySchema';
import { openQueueFileTable } from './queueFileConnection';

const rowSchema = z.object({ version: agreementVersionSchema, sha256: sha256HexSchema, acceptedAt: z.number().int().positive() }).strict();

/** What the agreement gate needs of the device's records. */
export interface AcceptanceStore {
  /** The latest acceptance, `unreadable`, or undefined when this VA never accepted the document here. */
  latest(subject: string, documentId: string): AcceptanceRecord | undefined;
  /** Keeps this acceptance as the latest; throws when it cannot be written. */
  save(subject: string, documentId: string, acceptance: AgreementAcceptance): void;
}

export class AgreementStore implements AcceptanceStore {
  private constructor(private readonly db: Database.Database) {}

  /** Opens the queue file (already created and migrated by AuditQueue.open) with its raw 32-byte key. */
  static open(file: string, key: Buffer): AgreementStore {
    return new AgreementStore(openQueueFileTable(file, key, 'agreement_acceptances'));
  }

  latest(subject: string, documentId: string): AcceptanceRecord | undefined {
    let row: unknown;
    try {
      row = this.db.prepare('SELECT version, sha256, accepted_at AS acceptedAt FROM agreement_acceptances WHERE subject = ? AND document_id = ?').get(subject, documentId);
    } catch {
      return UNREADABLE;
    }
    if (row === undefined) return undefined;
    const parsed = rowSchema.safeParse(row);
    return parsed.success ? parsed.data : UNREADABLE;
  }

  save(subject: string, documentId: string, acceptance: AgreementAcceptance): void {
    this.db
      .prepare(
        `INSERT INTO agreement_acceptances (subject, document_id, version, sha256, accepted_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (subject, document_id) DO UPDATE SET version = excluded.version, sha256 = excluded.sha256, accepted_at = excluded.accepted_at`,
      )
      .run(subject, documentId, acceptance.version, acceptance.sha256, acceptance.acceptedAt);
  }

  close(): void {
    this.db.close();
  }
}
