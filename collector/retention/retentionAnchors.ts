// Where a disposed chain now starts: the collector-signed anchor (anchorMessage.ts) over the
// link of its last disposed entry, from which the remaining entries are verified. One row per
// chain, moved forward by each disposal in the same transaction as the deletion.
import { sign } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { CollectorKey } from '../console/accessLog';
import type { CollectorDatabase } from '../database';
import { verifyDeviceSignature } from '../deviceIdentity';
import { deviceChain, retentionAnchorMessage } from './anchorMessage';
import { retentionDatabase, type RetentionAnchorsTable } from './retentionTables';

export interface RetentionAnchor {
  chain: string;
  /** The last disposed entry; the chain continues at seq + 1. */
  seq: number;
  link: string;
  signature: string;
  keyId: string;
  /** The disposal record that disposed through `seq`. */
  recordSeq: number;
  disposedAt: number;
}

const toAnchor = (row: RetentionAnchorsTable): RetentionAnchor => ({
  chain: row.chain,
  seq: Number(row.seq),
  link: row.link,
  signature: row.signature,
  keyId: row.key_id,
  recordSeq: Number(row.record_seq),
  disposedAt: Number(row.disposed_at),
});

export async function readAnchor(db: Kysely<CollectorDatabase>, chain: string): Promise<RetentionAnchor | null> {
  const row = await retentionDatabase(db).selectFrom('retention_anchors').selectAll().where('chain', '=', chain).executeTakeFirst();
  return row === undefined ? null : toAnchor(row);
}

/** The last of a device's events that retention disposed of (0: none): acknowledged events up to it are no longer stored. */
export async function deviceDisposedThrough(db: Kysely<CollectorDatabase>, deviceId: string): Promise<number> {
  return (await readAnchor(db, deviceChain(deviceId)))?.seq ?? 0;
}

/** Every chain's anchor, by chain name. */
export async function allAnchors(db: Kysely<CollectorDatabase>): Promise<Map<string, RetentionAnchor>> {
  const rows = await retentionDatabase(db).selectFrom('retention_anchors').selectAll().execute();
  return new Map(rows.map((row) => [row.chain, toAnchor(row)]));
}

/** Why the anchor cannot be trusted, or null when this collector's key signed it. */
export function anchorProblem(anchor: RetentionAnchor, key: Pick<CollectorKey, 'publicKey' | 'keyId'>): string | null {
  if (anchor.keyId !== key.keyId || !verifyDeviceSignature(key.publicKey, retentionAnchorMessage(anchor.chain, anchor.seq, anchor.link), anchor.signature)) {
    return `the retention anchor at entry ${anchor.seq} of ${anchor.chain} is not signed by this collector's key`;
  }
  return null;
}

/**
 * Moves `chain`'s anchor to `seq` (signed here), inside the disposal's transaction. False when
 * the anchor is no longer at `previousSeq` (another run disposed meanwhile): roll back then.
 */
export async function moveAnchor(
  trx: Kysely<CollectorDatabase>,
  key: CollectorKey,
  anchor: { chain: string; seq: number; link: string; recordSeq: number; at: number },
  previousSeq: number | null,
): Promise<boolean> {
  const signature = sign(null, Buffer.from(retentionAnchorMessage(anchor.chain, anchor.seq, anchor.link), 'utf8'), key.privateKey).toString('base64url');
  const row = { chain: anchor.chain, seq: anchor.seq, link: anchor.link, signature, key_id: key.keyId, record_seq: anchor.recordSeq, disposed_at: anchor.at };
  const rdb = retentionDatabase(trx);
  if (previousSeq === null) {
    const inserted = await rdb.insertInto('retention_anchors').values(row).onConflict((oc) => oc.column('chain').doNothing()).executeTakeFirst();
    return inserted.numInsertedOrUpdatedRows === 1n;
  }
  const moved = await rdb.updateTable('retention_anchors').set(row).where('chain', '=', anchor.chain).where('seq', '=', previousSeq).executeTakeFirst();
  return moved.numUpdatedRows === 1n;
}
