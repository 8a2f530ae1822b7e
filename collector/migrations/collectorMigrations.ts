// The collector's schema migrations, numbered, applied in order by Kysely's Migrator on
// SQLite and PostgreSQL alike. Add a migration as the next numbered file and list it here;
// never edit one that has shipped.
import type { Kysely, Migration, MigrationProvider } from 'kysely';
import * as initial from './0001_initial';
import * as consoleViews from './0002_console';
import * as alertSources from './0003_alert_sources';
import * as checkpoints from './0004_checkpoints';
import * as alertRules from './0005_alert_rules';
import * as retention from './0006_retention';
import * as training from './0007_training';
import * as accessRevocations from './0008_access_revocations';

export type StorageKind = 'sqlite' | 'postgres';

interface CollectorMigration {
  up(db: Kysely<unknown>, kind: StorageKind): Promise<void>;
}

const MIGRATIONS: Record<string, CollectorMigration> = {
  '0001_initial': initial,
  '0002_console': consoleViews,
  '0003_alert_sources': alertSources,
  '0004_checkpoints': checkpoints,
  '0005_alert_rules': alertRules,
  '0006_retention': retention,
  '0007_training': training,
  '0008_access_revocations': accessRevocations,
};

export function collectorMigrations(kind: StorageKind): MigrationProvider {
  return {
    getMigrations: async () =>
      Object.fromEntries(Object.entries(MIGRATIONS).map(([name, m]): [string, Migration] => [name, { up: (db) => m.up(db, kind) }])),
  };
}
