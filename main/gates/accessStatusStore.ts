// The last access status the collector confirmed for this device and for each VA, in the
// encrypted audit queue's file (migration 008), kept as the collector signed it and checked
// again when read with the key of the policy in force. A row that does not read back counts
// as nothing known; the collector's next answer decides again.
import type Database from 'better-sqlite3-multiple-ciphers';
import type { KeyObject } from 'node:crypto';
import { accessStatementSchema, type AccessStanding, type AccessStatement } from '../../common/audit/accessProtocol';
import { signedByCollector } from './collectorAnswers';
import { openQueueFileTable } from './queueFileConnection';

/** A standing as confirmed, with the collector's time, so an older answer never replaces a newer one. */
export interface ConfirmedStanding {
  standing: AccessStanding;
  issuedAt: number;
}

/** What the access watch needs of the device's records. */
export interface AccessStatusRecords {
  /** The device's (`subject` null) or a VA's last confirmed standing, if kept and still valid under `key`. */
  latest(subject: string | null, key: KeyObject): ConfirmedStanding | null;
  /** Keeps a believed statement as the latest for the device and, when it names one, for its VA; throws when it cannot be written. */
  save(statement: AccessStatement, signature: string, now: number): void;
}

const scopeOf = (subject: string | null): string => (subject === null ? 'device' : `user:${subject}`);

export class AccessStatusStore implements AccessStatusRecords {
  private constructor(private readonly db: Database.Database) {}

  /** Opens the queue file (already created and migrated by AuditQueue.open) with its raw 32-byte key. */
  static open(file: string, key: Buffer): AccessStatusStore {
    return new AccessStatusStore(openQueueFileTable(file, key, 'access_status'));
  }

  latest(subject: string | null, key: KeyObject): ConfirmedStanding | null {
    let statement: AccessStatement;
    let signature: string;
    try {
      const row = this.db.prepare('SELECT statement, signature FROM access_status WHERE scope = ?').get(scopeOf(subject)) as { statement: string; signature: string } | undefined;
      if (row === undefined) return null;
      const parsed = accessStatementSchema.safeParse(JSON.parse(row.statement));
      if (!parsed.success) return null;
      statement = parsed.data;
      signature = row.signature;
    } catch {
      return null;
    }
    if (!signedByCollector(statement, signature, key)) return null;
    const standing = subject === null ? statement.device : statement.subject === subject ? statement.user : null;
    return standing === null ? null : { standing, issuedAt: Date.parse(statement.issuedAt) };
  }

  /** An answer overtaken on its way (issued before the one kept) changes nothing: after a restart the later word still counts. */
  save(statement: AccessStatement, signature: string, now: number): void {
    const kept = this.db.prepare('SELECT statement FROM access_status WHERE scope = ?');
    const put = this.db.prepare(
      `INSERT INTO access_status (scope, statement, signature, stored_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (scope) DO UPDATE SET statement = excluded.statement, signature = excluded.signature, stored_at = excluded.stored_at`,
    );
    const text = JSON.stringify(statement);
    const issuedAt = Date.parse(statement.issuedAt);
    const isNewer = (scope: string): boolean => {
      const row = kept.get(scope) as { statement: string } | undefined;
      if (row === undefined) return true;
      try {
        const keptAt = Date.parse(String((JSON.parse(row.statement) as { issuedAt?: unknown }).issuedAt));
        return Number.isNaN(keptAt) || issuedAt >= keptAt;
      } catch {
        return true;
      }
    };
    this.db.transaction(() => {
      for (const scope of statement.subject === null ? ['device'] : ['device', scopeOf(statement.subject)]) if (isNewer(scope)) put.run(scope, text, signature, now);
    })();
  }

  close(): void {
    this.db.close();
  }
}
