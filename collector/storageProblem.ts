// What the collector CLI says when its database cannot be opened: that it is the
// database, which one (host, port, database and user; never the password), and the
// reason in words, instead of a bare "connect ECONNREFUSED".
import type { StorageConfig } from './collectorConfig';

/** Where the storage is, as IT would look for it: no password, no query string. */
export function storageLocation(storage: StorageConfig): string {
  if (storage.kind === 'sqlite') return `the SQLite file ${storage.file}`;
  try {
    const url = new URL(storage.url);
    const database = decodeURIComponent(url.pathname.replace(/^\//, '')) || '(default)';
    const user = url.username === '' ? '' : `, user ${decodeURIComponent(url.username)}`;
    return `the PostgreSQL database ${database} at ${url.hostname || 'localhost'}:${url.port || '5432'}${user}`;
  } catch {
    return 'the PostgreSQL database (CORDON_COLLECTOR_POSTGRES_URL is not a valid URL)';
  }
}

const REASONS: Record<string, string> = {
  ECONNREFUSED: 'nothing accepts connections there (is PostgreSQL running, and on that port?)',
  ENOTFOUND: 'that host name does not resolve',
  EAI_AGAIN: 'that host name could not be resolved right now',
  ETIMEDOUT: 'the connection timed out',
  EHOSTUNREACH: 'that host cannot be reached',
  '28P01': 'the password was refused',
  '28000': 'that user may not connect',
  '3D000': 'that database does not exist',
  '42501': 'that user lacks the rights the collector needs (create tables in its schema)',
  SQLITE_CANTOPEN: 'the file cannot be opened (does its folder exist, and may this user write there?)',
  SQLITE_NOTADB: 'the file is not a collector database',
  SQLITE_READONLY: 'the file is read-only for this user',
};

/** A sentence naming the storage and why it failed; never the URL's password. */
export function storageProblem(storage: StorageConfig, error: unknown): string {
  const code = error instanceof Error && 'code' in error ? String(error.code) : '';
  const fallback = error instanceof Error ? error.message : String(error);
  const reason = REASONS[code] ?? (storage.kind === 'postgres' ? fallback.replaceAll(storage.url, '<CORDON_COLLECTOR_POSTGRES_URL>') : fallback);
  return `cannot open ${storageLocation(storage)}: ${reason}${code === '' ? '' : ` (${code})`}`;
}
