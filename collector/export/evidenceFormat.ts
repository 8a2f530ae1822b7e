// The evidence package's files and their schemas, shared by the collector that writes a
// package (evidencePackage.ts) and the verifier that checks one (evidenceVerifier.ts).
// Everything an auditor needs is in the folder: the events with their chain links, the
// devices' keys, the devices' signed checkpoints, and a manifest signed by the collector.
import { z } from 'zod';
import { checkpointSchema, deviceIdSchema } from '../../common/audit/syncProtocol';

export const EVIDENCE_FORMAT = 'cordon-evidence/1';

export const EVIDENCE_FILES = {
  manifest: 'manifest.json',
  /** Ed25519 signature (base64url) by the collector key over manifest.json's exact bytes. */
  signature: 'manifest.sig',
  collectorKey: 'collector-key.pem',
  /** One JSON object per line: every event of every covered range, by device then sequence. */
  events: 'events.jsonl',
  devices: 'devices.json',
  checkpoints: 'checkpoints.json',
  verifier: 'verify-evidence.mjs',
  readme: 'README.txt',
} as const;

const hex64 = z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lowercase hex digits');

export const evidenceEventSchema = z
  .object({
    deviceId: deviceIdSchema,
    seq: z.number().int().positive(),
    link: hex64,
    /** The exact bytes the link covers. */
    body: z.string(),
    /** Part of the export's selection; other events are there only to carry the chain to a checkpoint. */
    selected: z.boolean(),
  })
  .strict();
export type EvidenceEvent = z.infer<typeof evidenceEventSchema>;

export const evidenceDevicesSchema = z.array(z.object({ deviceId: deviceIdSchema, deviceName: z.string(), publicKeyPem: z.string().startsWith('-----BEGIN PUBLIC KEY-----') }).strict());
export const evidenceCheckpointsSchema = z.array(checkpointSchema.extend({ deviceId: deviceIdSchema }).strict());

/** A stretch of one device's chain, complete from `from` to `to`. */
export const coveredRangeSchema = z
  .object({
    from: z.number().int().positive(),
    to: z.number().int().positive(),
    /** The link of event `from - 1` (the 32 zero bytes for event 1, the disposal anchor's when it was disposed); null when the collector lacks it. */
    anchor: z.object({ seq: z.number().int().nonnegative(), link: hex64 }).strict().nullable(),
    /** The device's signed checkpoint that ends the range; null when none was stored for it. */
    checkpointSeq: z.number().int().positive().nullable(),
    /** The selection's events in the range, as [first, last] runs of sequence numbers. */
    selected: z.array(z.tuple([z.number().int().positive(), z.number().int().positive()])),
  })
  .strict();
export type CoveredRange = z.infer<typeof coveredRangeSchema>;

/**
 * A device's events 1..through were disposed under the practice's retention policy: the
 * collector key's signature over retentionAnchorMessage(device:<id>, through, link) says
 * where the kept chain starts, and which signed disposal record disposed of them.
 */
export const disposedPrefixSchema = z
  .object({
    through: z.number().int().positive(),
    /** The link of event `through`, from which event through + 1 is chained. */
    link: hex64,
    at: z.iso.datetime(),
    /** The collector's disposal record that disposed through `through`. */
    record: z.number().int().positive(),
    signature: z.string(),
  })
  .strict();
export type DisposedPrefix = z.infer<typeof disposedPrefixSchema>;

export const evidenceManifestSchema = z
  .object({
    format: z.literal(EVIDENCE_FORMAT),
    createdAt: z.iso.datetime(),
    createdBy: z.string(),
    /** First 16 hex digits of SHA-256 over the collector key's SPKI (as the access log names it). */
    collectorKeyId: z.string().regex(/^[0-9a-f]{16}$/),
    selection: z.object({ filters: z.record(z.string(), z.union([z.string(), z.boolean()])), sessions: z.number().int().nonnegative(), events: z.number().int().nonnegative() }).strict(),
    devices: z.array(z.object({ deviceId: deviceIdSchema, deviceName: z.string(), ranges: z.array(coveredRangeSchema), disposed: disposedPrefixSchema.optional() }).strict()),
    /** Every other file of the package with its SHA-256 (hex). */
    files: z.array(z.object({ name: z.string(), sha256: hex64 }).strict()),
  })
  .strict();
export type EvidenceManifest = z.infer<typeof evidenceManifestSchema>;

/** [first, last] runs of ascending sequence numbers. */
export function toRuns(seqs: readonly number[]): [number, number][] {
  const runs: [number, number][] = [];
  for (const seq of seqs) {
    const last = runs.at(-1);
    if (last !== undefined && seq === last[1] + 1) last[1] = seq;
    else runs.push([seq, seq]);
  }
  return runs;
}
