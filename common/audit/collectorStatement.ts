// The parts every collector-signed statement shares (training status, access status): the
// VA's subject as devices record it, the device's fresh challenge, and the collector's
// Ed25519 signature over the statement's canonical JSON. A device believes a statement only
// under the collector key its signed policy names (audit.collectorPublicKey).
import { z } from 'zod';
import { canonicalJson } from '../policy/canonicalJson';

/** The VA's IdP subject, as the device's audit events carry it. */
export const subjectSchema = z.string().min(1).max(255);
/** 16 to 48 random bytes, base64url. */
export const challengeSchema = z.string().regex(/^[A-Za-z0-9_-]{22,64}$/, 'must be 16 to 48 random bytes in base64url');

export const collectorSignatureSchema = z
  .object({
    alg: z.literal('Ed25519'),
    /** The collector key's id, for IT reading a refusal; the device checks with the policy's key whatever it says. */
    keyId: z.string().regex(/^[0-9a-f]{16}$/),
    value: z.string().regex(/^[A-Za-z0-9+/]{86}==$/, 'must be a base64 Ed25519 signature (64 bytes)'),
  })
  .strict();
export type CollectorSignature = z.infer<typeof collectorSignatureSchema>;

/** The exact bytes the collector's signature covers. */
export function collectorStatementMessage(statement: object): string {
  return canonicalJson(statement);
}
