// The tables of migration 0006 (retention and disposal), declared beside the only code that
// uses them, and the collector database seen with them.
import type { Generated, Kysely } from 'kysely';
import type { AccessLogTable, CollectorDatabase } from '../database';

export interface LegalHoldsTable {
  id: Generated<number>;
  kind: 'user' | 'device';
  target: string;
  reason: string;
  placed_by: string;
  placed_at: number;
  released_by: string | null;
  released_at: number | null;
}

export interface RetentionAnchorsTable {
  chain: string;
  seq: number;
  link: string;
  signature: string;
  key_id: string;
  record_seq: number;
  disposed_at: number;
}

export interface RetentionScheduleTable {
  id: number;
  lease_holder: string | null;
  lease_until: number;
  last_started_at: number | null;
  last_finished_at: number | null;
  last_result: string | null;
}

/** Migration 0005's tables and columns that disposal also clears. */
type RuleTables = {
  rule_hits: { device_id: string; seq: number };
  notification_outbox: { alert_id: number };
  alerts: { subject_key: string | null };
};

type RetentionTables = RuleTables & {
  legal_holds: LegalHoldsTable;
  /** Same columns as the access log: a signed hash chain. */
  disposal_records: AccessLogTable;
  retention_anchors: RetentionAnchorsTable;
  retention_schedule: RetentionScheduleTable;
};

export type RetentionDatabase = CollectorDatabase & RetentionTables;

export function retentionDatabase(db: Kysely<CollectorDatabase>): Kysely<RetentionDatabase> {
  return db.withTables<RetentionTables>();
}
