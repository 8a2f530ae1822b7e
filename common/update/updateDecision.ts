// Whether Cordon may install an update, decided before anything is installed and on top of
// the platform's own signature check. The practice's update feed publishes, beside
// electron-updater's files, a manifest signed (Ed25519) by a key this build trusts: the
// version, its channel, the staged-rollout percentage, and each file's SHA-512 and size.
// Unsigned, tampered, wrong-key, downgraded and other-channel updates are refused, each
// with a reason for the audit trail; a downloaded file is installed only if its hash and
// size are the signed ones. Pure: the signature check and the device's rollout bucket are
// passed in.
import { z } from 'zod';
import { canonicalJson } from '../policy/canonicalJson';
import type { PolicyResult, PolicyVerifier } from '../policy/signedPolicy';
import { compareVersions, parseVersion } from './version';

export const UPDATE_MANIFEST_FORMAT = 'cordon-update/1';
/** The file beside electron-updater's latest.yml on the feed. */
export const UPDATE_MANIFEST_FILE = 'cordon-update.json';

const versionText = z.string().refine((v) => parseVersion(v) !== null, 'must be a version such as 1.4.2 or 1.5.0-beta.1');

export const updateManifestSchema = z
  .object({
    product: z.literal('cordon'),
    version: versionText,
    channel: z.enum(['stable', 'beta']),
    releaseDate: z.iso.datetime({ offset: true }),
    /** 0–100: the share of devices that take this release now (staged rollout). */
    stagingPercentage: z.number().int().min(0).max(100),
    files: z
      .array(
        z
          .object({
            /** The file's name on the feed, as electron-updater's latest.yml names it. */
            url: z.string().regex(/^[A-Za-z0-9._ -]{1,200}$/, 'must be a plain file name on the feed'),
            /** Base64 SHA-512, as electron-updater writes it. */
            sha512: z.string().regex(/^[A-Za-z0-9+/]{86}==$/, 'must be a base64 SHA-512'),
            size: z.number().int().positive(),
          })
          .strict(),
      )
      .min(1),
  })
  .strict();
export type UpdateManifest = z.infer<typeof updateManifestSchema>;

export const signedUpdateManifestSchema = z
  .object({
    format: z.literal(UPDATE_MANIFEST_FORMAT),
    manifest: z.unknown(),
    signature: z.object({ alg: z.literal('Ed25519'), keyId: z.string().regex(/^[0-9a-f]{16}$/), value: z.string() }).strict(),
  })
  .strict();

/** The exact bytes an update signature covers. */
export function updateSignedPayload(manifest: unknown): string {
  return canonicalJson(manifest);
}

export type UpdateRefusal = 'malformed' | 'untrusted-key' | 'bad-signature' | 'wrong-product' | 'channel-mismatch' | 'downgrade';

export type UpdateDecision =
  | { kind: 'install'; manifest: UpdateManifest; keyId: string }
  | { kind: 'up-to-date'; version: string }
  /** This device's turn in a staged rollout has not come. */
  | { kind: 'not-yet'; version: string; stagingPercentage: number }
  | { kind: 'refused'; reason: UpdateRefusal; detail: string };

export interface UpdateContext {
  verifier: PolicyVerifier;
  currentVersion: string;
  /** The policy's update channel ('none' never gets here). */
  channel: 'stable' | 'beta';
  /** This installation's fixed place in staged rollouts, 0–99. */
  rolloutBucket: number;
}

const refuse = (reason: UpdateRefusal, detail: string): UpdateDecision => ({ kind: 'refused', reason, detail });

export function decideUpdate(feedText: string, context: UpdateContext): UpdateDecision {
  let json: unknown;
  try {
    json = JSON.parse(feedText);
  } catch {
    return refuse('malformed', `${UPDATE_MANIFEST_FILE} is not JSON`);
  }
  const envelope = signedUpdateManifestSchema.safeParse(json);
  if (!envelope.success) return refuse('malformed', `${UPDATE_MANIFEST_FILE} is not a signed Cordon update manifest (unsigned, or another format)`);
  const { keyId, value } = envelope.data.signature;
  // Authenticity before content: nothing in an untrusted manifest is read.
  if (!context.verifier.keyIds.includes(keyId)) return refuse('untrusted-key', `signed with key ${keyId}, which this build does not trust for updates (it trusts ${context.verifier.keyIds.join(', ') || 'none'})`);
  if (!context.verifier.verify(keyId, updateSignedPayload(envelope.data.manifest), value)) return refuse('bad-signature', `the signature by key ${keyId} does not match the manifest (changed after signing)`);
  const parsed = updateManifestSchema.safeParse(envelope.data.manifest);
  if (!parsed.success) return refuse('malformed', `the signed manifest is not valid: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  const manifest = parsed.data;
  if (manifest.channel !== context.channel) return refuse('channel-mismatch', `release ${manifest.version} is for the ${manifest.channel} channel; the policy says ${context.channel}`);
  const current = parseVersion(context.currentVersion);
  const offered = parseVersion(manifest.version);
  if (current === null || offered === null) return refuse('malformed', `cannot compare versions ${context.currentVersion} and ${manifest.version}`);
  const order = compareVersions(offered, current);
  if (order < 0) return refuse('downgrade', `the feed offers ${manifest.version}, older than this Cordon (${context.currentVersion})`);
  if (order === 0) return { kind: 'up-to-date', version: manifest.version };
  if (context.rolloutBucket >= manifest.stagingPercentage) return { kind: 'not-yet', version: manifest.version, stagingPercentage: manifest.stagingPercentage };
  return { kind: 'install', manifest, keyId };
}

/** Whether a downloaded file is one the signed manifest lists, byte for byte (by SHA-512 and size). */
export function downloadMatches(manifest: UpdateManifest, downloaded: { sha512: string; size: number }): boolean {
  return manifest.files.some((file) => file.sha512 === downloaded.sha512 && file.size === downloaded.size);
}

/** Why this build must not run under the policy's minimum version, or null. */
export function belowMinimumVersion(currentVersion: string, minimumVersion: string | undefined): string | null {
  if (minimumVersion === undefined) return null;
  const current = parseVersion(currentVersion);
  const minimum = parseVersion(minimumVersion);
  // Fail closed: a version that cannot be compared is treated as too old.
  if (current === null || minimum === null || compareVersions(current, minimum) < 0) return `This Cordon is version ${currentVersion}; the practice requires ${minimumVersion} or later. Install the update IT provides, or ask IT.`;
  return null;
}

/** The policy a build runs under: refused, saying to update, when it is older than the policy's minimumVersion. */
export function enforceMinimumVersion(result: PolicyResult, appVersion: string): PolicyResult {
  if (!result.ok) return result;
  const tooOld = belowMinimumVersion(appVersion, result.policy.updates.minimumVersion);
  return tooOld === null ? result : { ok: false, problem: { code: 'below-minimum-version', file: result.file, field: 'updates.minimumVersion', reason: tooOld } };
}
