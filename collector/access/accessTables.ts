// The table of migration 0008 (access revocations), declared beside the only code that uses
// it, and the collector database seen with it.
import type { Generated, Kysely } from 'kysely';
import type { AccessEndReason } from '../../common/audit/accessProtocol';
import type { AccessTargetKind } from '../../common/console/consoleApi';
import type { CollectorDatabase } from '../database';

export interface AccessRevocationsTable {
  id: Generated<number>;
  target_kind: AccessTargetKind;
  target: string;
  effective_at: number;
  reason: AccessEndReason;
  created_at: number;
  created_by: string;
  lifted_at: number | null;
  lifted_by: string | null;
}

type AccessTables = { access_revocations: AccessRevocationsTable };
export type AccessDatabase = CollectorDatabase & AccessTables;

export function accessDatabase(db: Kysely<CollectorDatabase>): Kysely<AccessDatabase> {
  return db.withTables<AccessTables>();
}
