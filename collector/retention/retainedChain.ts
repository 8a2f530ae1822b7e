// Verifies what a device's chain keeps after disposal: from the collector-signed anchor
// where it now starts (or the genesis), every stored event in sequence with its true link,
// up to the device's acknowledged head, whose checkpoint the device key signed.
import type { Kysely } from 'kysely';
import { firstChainBreak, GENESIS_LINK_HEX } from '../../common/audit/hashChain';
import { checkpointMessage } from '../../common/audit/syncProtocol';
import { sha256Link } from '../chainDigest';
import type { CollectorKey } from '../console/accessLog';
import type { CollectorDatabase } from '../database';
import { parseDevicePublicKey, verifyDeviceSignature } from '../deviceIdentity';
import { deviceChain } from './anchorMessage';
import { anchorProblem, readAnchor } from './retentionAnchors';

const VERIFY_CHUNK = 2000;

export interface RetainedChainCheck {
  deviceId: string;
  intact: boolean;
  /** The last disposed event (0: none disposed). */
  disposedThrough: number;
  /** Events checked, and the last one (the head). */
  events: number;
  headSeq: number;
  /** Whether the device's own signed checkpoint covers the head (batches before migration 0004 have none). */
  headSigned: boolean;
  problem: string | null;
}

export async function verifyRetainedChain(db: Kysely<CollectorDatabase>, key: CollectorKey, deviceId: string): Promise<RetainedChainCheck> {
  const device = await db.selectFrom('devices').select(['public_key_pem', 'acknowledged_seq', 'acknowledged_link']).where('device_id', '=', deviceId).executeTakeFirstOrThrow();
  const anchor = await readAnchor(db, deviceChain(deviceId));
  const check: RetainedChainCheck = { deviceId, intact: false, disposedThrough: anchor?.seq ?? 0, events: 0, headSeq: Number(device.acknowledged_seq), headSigned: false, problem: null };
  if (anchor !== null) check.problem = anchorProblem(anchor, key);
  if (check.problem !== null) return check;
  let head = anchor === null ? { seq: 0, link: GENESIS_LINK_HEX } : { seq: anchor.seq, link: anchor.link };
  for (;;) {
    const rows = await db.selectFrom('events').select(['seq', 'body', 'link']).where('device_id', '=', deviceId).where('seq', '>', head.seq).orderBy('seq').limit(VERIFY_CHUNK).execute();
    if (rows.length === 0) break;
    const broken = firstChainBreak(sha256Link, head, rows);
    if (broken !== null) return { ...check, problem: broken.detail.replace(/entry/g, 'event') };
    check.events += rows.length;
    const last = rows[rows.length - 1] as { seq: number; link: string };
    head = { seq: Number(last.seq), link: last.link };
  }
  if (head.seq !== check.headSeq || head.link !== device.acknowledged_link) {
    return { ...check, problem: `the stored events end at ${head.seq}, but the device's acknowledged head is event ${check.headSeq}` };
  }
  const checkpoint = await db.selectFrom('checkpoints').select(['link', 'signature']).where('device_id', '=', deviceId).where('seq', '=', head.seq).executeTakeFirst();
  const publicKey = parseDevicePublicKey(device.public_key_pem);
  if (checkpoint !== undefined && publicKey !== null) {
    if (checkpoint.link !== head.link || !verifyDeviceSignature(publicKey, checkpointMessage(head.seq, head.link), checkpoint.signature)) return { ...check, problem: `the checkpoint at event ${head.seq} is not the device's signature over its link` };
    check.headSigned = true;
  }
  return { ...check, intact: true };
}
