// The release engineer's step before publishing: Cordon's update manifest from what
// electron-builder wrote for electron-updater (latest.yml: version, files with their
// SHA-512 and size, release date), plus the channel and staged-rollout share, checked with
// the same schema the device applies.
import { updateManifestSchema, type UpdateManifest } from '../../common/update/updateDecision';

export function releaseManifest(latestYml: unknown, options: { channel: 'stable' | 'beta'; stagingPercentage?: number }): { ok: true; manifest: UpdateManifest } | { ok: false; reason: string } {
  const yml = (typeof latestYml === 'object' && latestYml !== null ? latestYml : {}) as { version?: unknown; files?: unknown; releaseDate?: unknown; stagingPercentage?: unknown };
  const files = Array.isArray(yml.files) ? (yml.files as { url?: unknown; sha512?: unknown; size?: unknown }[]).map(({ url, sha512, size }) => ({ url, sha512, size })) : yml.files;
  const parsed = updateManifestSchema.safeParse({
    product: 'cordon',
    version: yml.version,
    channel: options.channel,
    releaseDate: yml.releaseDate,
    stagingPercentage: options.stagingPercentage ?? yml.stagingPercentage ?? 100,
    files,
  });
  if (!parsed.success) return { ok: false, reason: `not a release electron-builder described: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'file'}: ${i.message}`).join('; ')}` };
  return { ok: true, manifest: parsed.data };
}
