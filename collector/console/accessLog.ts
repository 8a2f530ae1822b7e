// The console's own access log: who signed in, was refused, looked at which session,
// searched, looked up a code, marked a review, issued a code. Hash-chained exactly like a
// device's trail (common/audit/hashChain) and every entry signed by the collector's key
// as a checkpoint, so an edit in the database shows. Append-only: no route edits it; only
// retention disposes of its oldest entries, leaving a signed anchor where it now starts.
import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Kysely } from 'kysely';
import { firstChainBreak, GENESIS_LINK_HEX } from '../../common/audit/hashChain';
import { checkpointMessage } from '../../common/audit/syncProtocol';
import type { AccessLogEntry } from '../../common/console/consoleApi';
import { canonicalJson } from '../../common/policy/canonicalJson';
import { sha256Link } from '../chainDigest';
import type { AccessLogTable, CollectorDatabase } from '../database';
import { collectorKeyIdOf, verifyDeviceSignature } from '../deviceIdentity';
import { ACCESS_LOG_CHAIN } from '../retention/anchorMessage';
import { anchorProblem, readAnchor } from '../retention/retentionAnchors';

export interface CollectorKey {
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** First 16 hex digits of SHA-256 over the public key's SPKI. */
  keyId: string;
}

export type AccessLogInput = Omit<AccessLogEntry, 'seq' | 'at'>;

export interface ChainCheck {
  intact: boolean;
  /** Entries checked (those kept). */
  entries: number;
  problem: string | null;
  /** The last entry disposed under the retention policy (0: none), where the kept chain starts. */
  disposedThrough: number;
}

/** Concurrent writers (several collectors on one PostgreSQL) race for the next number. */
const APPEND_ATTEMPTS = 8;
const VERIFY_CHUNK = 2000;

/**
 * The collector's Ed25519 key, from `file` (PEM, created 0600 on first use). Several
 * collectors behind one load balancer must be given the same file.
 */
export function loadOrCreateCollectorKey(file: string): CollectorKey {
  let pem: string;
  try {
    pem = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw new Error(`cannot read the collector key '${file}': ${(error as Error).message}`, { cause: error });
    mkdirSync(path.dirname(path.resolve(file)), { recursive: true, mode: 0o700 });
    pem = generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    writeFileSync(file, pem, { mode: 0o600, flag: 'wx' });
    chmodSync(file, 0o600);
  }
  const privateKey = createPrivateKey(pem);
  if (privateKey.asymmetricKeyType !== 'ed25519') throw new Error(`the collector key '${file}' is not an Ed25519 private key`);
  const publicKey = createPublicKey(privateKey);
  return { privateKey, publicKey, keyId: collectorKeyIdOf(publicKey) };
}

function isUniqueViolation(error: unknown): boolean {
  const code = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : '';
  // SQLite: SQLITE_CONSTRAINT_PRIMARYKEY; PostgreSQL: unique_violation.
  return code.startsWith('SQLITE_CONSTRAINT') || code === '23505';
}

/** The tables with the access log's columns: hash-chained bodies, each signed by the collector key. */
type SignedChainDatabase = CollectorDatabase & { disposal_records: AccessLogTable };

/**
 * A hash chain of canonical JSON bodies in one table, every entry signed by the collector key
 * as a checkpoint over its link: the access log, and the retention module's disposal records.
 */
export class SignedChain {
  private readonly db: Kysely<SignedChainDatabase>;

  constructor(
    db: Kysely<CollectorDatabase>,
    private readonly key: CollectorKey,
    private readonly table: 'access_log' | 'disposal_records',
  ) {
    this.db = db.withTables<{ disposal_records: AccessLogTable }>();
  }

  /** Appends `content(seq)` (its `seq` must be the one given) after the head; returns the new entry's number. */
  async append(content: (seq: number) => Record<string, unknown>): Promise<number> {
    for (let attempt = 1; ; attempt += 1) {
      const head = await this.db.selectFrom(this.table).select(['seq', 'link']).orderBy('seq', 'desc').limit(1).executeTakeFirst();
      const seq = (head?.seq ?? 0) + 1;
      const body = canonicalJson(content(seq));
      const link = sha256Link(head?.link ?? GENESIS_LINK_HEX, body);
      const signature = sign(null, Buffer.from(checkpointMessage(seq, link), 'utf8'), this.key.privateKey).toString('base64url');
      try {
        await this.db.insertInto(this.table).values({ seq, body, link, signature, key_id: this.key.keyId }).execute();
        return seq;
      } catch (error) {
        if (!isUniqueViolation(error) || attempt >= APPEND_ATTEMPTS) throw error;
      }
    }
  }

  /**
   * Walks the chain from `start` (the genesis, or a retention anchor: the link of the last
   * disposed entry): every link recomputed, every checkpoint signature checked.
   */
  async verify(start: { seq: number; link: string } = { seq: 0, link: GENESIS_LINK_HEX }): Promise<ChainCheck> {
    let head = start;
    let entries = 0;
    const disposedThrough = start.seq;
    for (;;) {
      const rows = await this.db.selectFrom(this.table).select(['seq', 'body', 'link', 'signature', 'key_id']).where('seq', '>', head.seq).orderBy('seq').limit(VERIFY_CHUNK).execute();
      if (rows.length === 0) return { intact: true, entries, problem: null, disposedThrough };
      const broken = firstChainBreak(sha256Link, head, rows);
      if (broken !== null) return { intact: false, entries, problem: broken.detail, disposedThrough };
      for (const row of rows) {
        if (row.key_id !== this.key.keyId || !verifyDeviceSignature(this.key.publicKey, checkpointMessage(row.seq, row.link), row.signature)) {
          return { intact: false, entries, problem: `entry ${row.seq} is not signed by this collector's key`, disposedThrough };
        }
        const body = JSON.parse(row.body) as { seq?: unknown };
        if (body.seq !== row.seq) return { intact: false, entries, problem: `entry ${row.seq} names sequence number ${String(body.seq)}`, disposedThrough };
      }
      entries += rows.length;
      const last = rows[rows.length - 1] as { seq: number; link: string };
      head = { seq: last.seq, link: last.link };
    }
  }
}

export class AccessLog {
  private readonly chain: SignedChain;

  constructor(
    private readonly db: Kysely<CollectorDatabase>,
    private readonly key: CollectorKey,
  ) {
    this.chain = new SignedChain(db, key, 'access_log');
  }

  append(input: AccessLogInput, now = Date.now()): Promise<number> {
    return this.chain.append((seq) => ({ seq, at: new Date(now).toISOString(), actor: input.actor, action: input.action, outcome: input.outcome, target: input.target }));
  }

  /** Newest first; `before` is the last seq of the previous page. */
  async page(before: number | null, limit: number): Promise<{ items: AccessLogEntry[]; next: number | null }> {
    let query = this.db.selectFrom('access_log').select(['seq', 'body']).orderBy('seq', 'desc').limit(limit + 1);
    if (before !== null) query = query.where('seq', '<', before);
    const rows = await query.execute();
    const items = rows.slice(0, limit).map((row) => ({ ...(JSON.parse(row.body) as Omit<AccessLogEntry, 'seq'>), seq: row.seq }));
    return { items, next: rows.length > limit ? (items.at(-1)?.seq ?? null) : null };
  }

  /**
   * Walks the whole log that is kept: from the genesis, or, once old entries were disposed
   * under the retention policy, from the collector-signed anchor where the log now starts.
   */
  async verify(): Promise<ChainCheck> {
    const anchor = await readAnchor(this.db, ACCESS_LOG_CHAIN);
    if (anchor === null) return this.chain.verify();
    const problem = anchorProblem(anchor, this.key);
    if (problem !== null) return { intact: false, entries: 0, problem, disposedThrough: anchor.seq };
    return this.chain.verify(anchor);
  }
}
