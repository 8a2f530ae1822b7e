// Each VA's last training status the collector confirmed, in the encrypted audit queue's
// file (the table of migration 006), so Cordon can go on for the policy's offline days when
// the collector cannot be reached, also after a restart. Kept as the collector signed it and
// checked again when read (with the key of the policy in force): a row that does not read
// back, or whose signature no longer holds, counts as nothing confirmed (fail closed).
import type Database from 'better-sqlite3-multiple-ciphers';
import type { KeyObject } from 'node:crypto';
import { trainingStatementSchema, type TrainingStatement } from '../../common/audit/trainingProtocol';
import type { ConfirmedTraining } from '../../common/gates/trainingAssessment';
import { openQueueFileTable } from './queueFileConnection';
import { signedByCollector } from './collectorAnswers';
import { confirmedFrom } from './trainingStatus';

/** What the training gate needs of the device's records. */
export interface TrainingStatusRecords {
  /** The VA's last confirmed status, if one is kept and still checks out under `key`. */
  latest(subject: string, key: KeyObject): ConfirmedTraining | null;
  /** Keeps a believed statement as the VA's latest; throws when it cannot be written. */
  save(subject: string, statement: TrainingStatement, signature: string, now: number): void;
}

export class TrainingStatusStore implements TrainingStatusRecords {
  private constructor(private readonly db: Database.Database) {}

  /** Opens the queue file (already created and migrated by AuditQueue.open) with its raw 32-byte key. */
  static open(file: string, key: Buffer): TrainingStatusStore {
    return new TrainingStatusStore(openQueueFileTable(file, key, 'training_status'));
  }

  latest(subject: string, key: KeyObject): ConfirmedTraining | null {
    let row: { statement: string; signature: string } | undefined;
    try {
      row = this.db.prepare('SELECT statement, signature FROM training_status WHERE subject = ?').get(subject) as typeof row;
    } catch {
      return null;
    }
    if (row === undefined) return null;
    let parsed;
    try {
      parsed = trainingStatementSchema.safeParse(JSON.parse(row.statement));
    } catch {
      return null;
    }
    if (!parsed.success || parsed.data.subject !== subject || !signedByCollector(parsed.data, row.signature, key)) return null;
    return confirmedFrom(parsed.data);
  }

  save(subject: string, statement: TrainingStatement, signature: string, now: number): void {
    this.db
      .prepare(
        `INSERT INTO training_status (subject, statement, signature, stored_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (subject) DO UPDATE SET statement = excluded.statement, signature = excluded.signature, stored_at = excluded.stored_at`,
      )
      .run(subject, JSON.stringify(statement), signature, now);
  }

  close(): void {
    this.db.close();
  }
}
