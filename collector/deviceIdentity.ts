// A device's identity is its Ed25519 key: the id is derived from the public key
// (syncProtocol's rule), and every signature the collector checks is by that key.
import { createHash, createPublicKey, verify, type KeyObject } from 'node:crypto';

/** The protocol's device id: first 32 hex digits of SHA-256 over the key's SPKI DER. */
export function deviceIdOf(publicKey: KeyObject): string {
  return createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest('hex').slice(0, 32);
}

/** How the collector names its own key (access log, evidence manifests): first 16 hex digits of SHA-256 over its SPKI DER. */
export function collectorKeyIdOf(publicKey: KeyObject): string {
  return deviceIdOf(publicKey).slice(0, 16);
}

/** The Ed25519 public key in `pem`, or null when it is not one (garbage, RSA, a private key). */
export function parseDevicePublicKey(pem: string): KeyObject | null {
  try {
    const key = createPublicKey({ key: pem, format: 'pem' });
    return key.type === 'public' && key.asymmetricKeyType === 'ed25519' ? key : null;
  } catch {
    return null;
  }
}

/** Whether `signature` (base64url) is the key's Ed25519 signature over the UTF-8 `message`. */
export function verifyDeviceSignature(publicKey: KeyObject, message: string, signature: string): boolean {
  const bytes = Buffer.from(signature, 'base64url');
  // Ed25519 signatures are 64 bytes; anything else is not worth asking OpenSSL about.
  if (bytes.length !== 64) return false;
  try {
    return verify(null, Buffer.from(message, 'utf8'), publicKey, bytes);
  } catch {
    return false;
  }
}
