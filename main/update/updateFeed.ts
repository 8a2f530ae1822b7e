// The device's side of Cordon's own update check (common/update/updateDecision): fetch the
// signed manifest from the practice's feed, place this installation in staged rollouts,
// and hash what electron-updater downloaded before it may be installed. The fetch is
// passed in, so the app uses Electron's network stack and tests a real local feed.
import { createHash, createPublicKey } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { decideUpdate, UPDATE_MANIFEST_FILE, UPDATE_MANIFEST_FORMAT, updateSignedPayload, type UpdateContext, type UpdateDecision, type UpdateManifest } from '../../common/update/updateDecision';
import { parsePrivateKey, policyKeyId, signMessage } from '../policy/policyKeys';

/** Answers a GET with its status and body text; throws when the feed cannot be reached. */
export type FetchText = (url: string) => Promise<{ status: number; text: string }>;

/** This installation's fixed place (0–99) in every staged rollout, from its install id. */
export function rolloutBucket(installId: string): number {
  return createHash('sha256').update(`cordon-rollout:${installId}`).digest().readUInt32BE(0) % 100;
}

export type FeedCheck = UpdateDecision | { kind: 'unreachable'; detail: string };

/** The feed's decision for this device. `feedUrl` is the policy's (an approved https origin). */
export async function checkUpdateFeed(feedUrl: string, fetchText: FetchText, context: UpdateContext): Promise<FeedCheck> {
  const url = new URL(UPDATE_MANIFEST_FILE, feedUrl.endsWith('/') ? feedUrl : `${feedUrl}/`).href;
  let answer: { status: number; text: string };
  try {
    answer = await fetchText(url);
  } catch (error) {
    return { kind: 'unreachable', detail: `the update feed could not be reached: ${error instanceof Error ? error.message : String(error)}` };
  }
  // No manifest, no update: a feed without Cordon's signature is never trusted.
  if (answer.status === 404) return { kind: 'refused', reason: 'malformed', detail: `the feed has no ${UPDATE_MANIFEST_FILE}: updates from it are unsigned` };
  if (answer.status !== 200) return { kind: 'unreachable', detail: `the update feed answered HTTP ${answer.status}` };
  return decideUpdate(answer.text, context);
}

/** SHA-512 (base64, as electron-updater writes it) and size of a downloaded file. */
export async function fileDigest(file: string): Promise<{ sha512: string; size: number }> {
  const hash = createHash('sha512');
  let size = 0;
  for await (const chunk of createReadStream(file)) {
    hash.update(chunk as Buffer);
    size += (chunk as Buffer).length;
  }
  return { sha512: hash.digest('base64'), size };
}

/** The release engineer's side: `manifest` wrapped and signed with the update key. */
export function signUpdateManifest(manifest: UpdateManifest, privateKeyPem: string): string {
  const privateKey = parsePrivateKey(privateKeyPem);
  const keyId = policyKeyId(createPublicKey(privateKey));
  return `${JSON.stringify({ format: UPDATE_MANIFEST_FORMAT, manifest, signature: { alg: 'Ed25519', keyId, value: signMessage(privateKey, updateSignedPayload(manifest)) } }, null, 2)}\n`;
}
