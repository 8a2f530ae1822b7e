// The console's real stack for tests: the demo IdP (password + TOTP), a real collector with
// the console on SQLite (or the storage given), seeded through real ingest. Nothing here
// is a stand-in.
import { mkdtempSync, rmSync } from 'node:fs';
import Database from 'better-sqlite3-multiple-ciphers';
import pg from 'pg';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { StorageConfig } from '../../collector/collectorConfig';
import { startCollector, type RunningCollector } from '../../collector/collectorServer';
import { COLLECTOR_AUDIENCE } from '../../common/audit/collectorAudience';
import { CONSOLE_BASE } from '../../common/console/consoleApi';
import { demoConsoleConfig } from '../../demo/demoStack';
import { startDemoIdp, type DemoIdp } from '../../demo/idp/demoIdp';
import { ReplayClock, seedConsoleDemo, type SeededDemo } from '../../demo/seed/consoleSeed';

export interface ConsoleStack {
  idp: DemoIdp;
  collector: RunningCollector;
  /** http://127.0.0.1:<port>/console/ */
  consoleUrl: string;
  clock: ReplayClock;
  seeded: SeededDemo | null;
  /** The SQLite file (when the stack made one). */
  sqliteFile: string | null;
  /** The collector's key file (access log, evidence manifests). */
  keyFile: string;
  /** Runs one statement (`?` placeholders) on the collector's database behind its back, as an insider with database access could; returns its rows. */
  sql(statement: string, ...params: unknown[]): Promise<Record<string, unknown>[]>;
  close(): Promise<void>;
}

export interface ConsoleStackOptions {
  storage?: StorageConfig;
  idleTimeoutSeconds?: number;
  /** The built console UI; API-only tests leave it out. */
  uiDir?: string;
  seed?: boolean;
}

export async function startConsoleStack(options: ConsoleStackOptions = {}): Promise<ConsoleStack> {
  const dir = mkdtempSync(path.join(tmpdir(), 'cordon-console-'));
  const sqliteFile = options.storage === undefined ? path.join(dir, 'collector.db') : null;
  const keyFile = path.join(dir, 'collector-key.pem');
  const idp = await startDemoIdp();
  const clock = new ReplayClock();
  let collector: RunningCollector;
  try {
    collector = await startCollector({
      storage: options.storage ?? { kind: 'sqlite', file: sqliteFile as string },
      port: 0,
      trustedIssuer: { issuer: idp.issuer, audience: COLLECTOR_AUDIENCE },
      clock: clock.now,
      // Console tests make many requests from one address in seconds.
      rateLimit: { max: 100_000, windowMs: 60_000 },
      console: await demoConsoleConfig(idp.issuer, {
        uiDir: options.uiDir ?? path.join(dir, 'no-ui'),
        keyFile,
        ...(options.idleTimeoutSeconds === undefined ? {} : { idleTimeoutSeconds: options.idleTimeoutSeconds }),
      }),
    });
  } catch (error) {
    await idp.close();
    throw error;
  }
  const seeded = options.seed === false ? null : await seedConsoleDemo(collector, clock);
  const storage = options.storage;
  const sql = async (statement: string, ...params: unknown[]): Promise<Record<string, unknown>[]> => {
    if (storage === undefined || storage.kind === 'sqlite') {
      const db = new Database(storage?.file ?? (sqliteFile as string));
      try {
        const prepared = db.prepare(statement);
        if (prepared.reader) return prepared.all(...params) as Record<string, unknown>[];
        prepared.run(...params);
        return [];
      } finally {
        db.close();
      }
    }
    const client = new pg.Client({ connectionString: storage.url, ...(storage.schema === undefined ? {} : { options: `-c search_path=${storage.schema}` }) });
    await client.connect();
    try {
      let n = 0;
      return (await client.query(statement.replace(/\?/g, () => `$${(n += 1)}`), params)).rows as Record<string, unknown>[];
    } finally {
      await client.end();
    }
  };
  return {
    idp,
    collector,
    consoleUrl: `${collector.url}${CONSOLE_BASE}/`,
    clock,
    seeded,
    sqliteFile,
    keyFile,
    sql,
    close: async () => {
      await collector.close();
      await idp.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
