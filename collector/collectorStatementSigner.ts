// Signs a statement the collector makes to devices (training status, access status) with the
// collector key, whose public half the practice's policy names (audit.collectorPublicKey).
import { sign } from 'node:crypto';
import type { CollectorSignature } from '../common/audit/collectorStatement';
import type { CollectorKey } from './console/accessLog';

/** The Ed25519 signature over `message` (the statement's canonical bytes, from its protocol's message function). */
export function signCollectorStatement(key: CollectorKey, message: string): CollectorSignature {
  return { alg: 'Ed25519', keyId: key.keyId, value: sign(null, Buffer.from(message, 'utf8'), key.privateKey).toString('base64') };
}
