// Fresh collector storages for tests and benchmarks: a temporary SQLite file, or a new
// schema in the PostgreSQL that CORDON_TEST_POSTGRES_URL names (.ci/run starts one).
// No test framework here, so the benchmarks can use it too.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { StorageConfig } from '../../collector/collectorConfig';

export interface StorageUnderTest {
  name: 'sqlite' | 'postgres';
  skipReason: string | null;
  /** A fresh, empty storage and how to remove it. */
  create(): Promise<{ storage: StorageConfig; remove(): Promise<void> }>;
}

const postgresUrl = process.env.CORDON_TEST_POSTGRES_URL;

export const STORAGES: StorageUnderTest[] = [
  {
    name: 'sqlite',
    skipReason: null,
    create: async () => {
      const dir = mkdtempSync(path.join(tmpdir(), 'cordon-collector-'));
      return { storage: { kind: 'sqlite', file: path.join(dir, 'collector.db') }, remove: async () => rmSync(dir, { recursive: true, force: true }) };
    },
  },
  {
    name: 'postgres',
    skipReason: postgresUrl === undefined ? 'CORDON_TEST_POSTGRES_URL not set (.ci/run starts PostgreSQL)' : null,
    create: async () => {
      // A schema per collector: test files run in parallel against one database.
      const schema = `collector_test_${randomBytes(6).toString('hex')}`;
      const url = postgresUrl as string;
      return {
        storage: { kind: 'postgres', url, schema },
        remove: async () => {
          const client = new pg.Client({ connectionString: url });
          await client.connect();
          await client.query(`drop schema if exists ${schema} cascade`);
          await client.end();
        },
      };
    },
  },
];
