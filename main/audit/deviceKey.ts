// The device's Ed25519 key: signs audit checkpoints and authenticates the device to the
// collector. Its private half exists on disk only wrapped by the OS keychain.
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { checkpointMessage as checkpointStatement } from '../../common/audit/syncProtocol';
import type { SecretCipher } from '../secrets/secretCipher';
import { loadOrCreateWrappedSecret } from './wrappedSecrets';

export interface DeviceKey {
  privateKey: KeyObject;
  /** SPKI PEM, as registered with the collector. */
  publicKeyPem: string;
}

export function loadDeviceKey(file: string, cipher: SecretCipher, platform: NodeJS.Platform): DeviceKey {
  const der = loadOrCreateWrappedSecret(file, cipher, platform, () => generateKeyPairSync('ed25519').privateKey.export({ format: 'der', type: 'pkcs8' }));
  const privateKey = createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
  return { privateKey, publicKeyPem: createPublicKey(privateKey).export({ format: 'pem', type: 'spki' }).toString() };
}

/** The protocol's device id: the first 32 hex digits of SHA-256 over the public key's SPKI DER. */
export function deviceIdOf(publicKeyPem: string): string {
  return createHash('sha256').update(createPublicKey(publicKeyPem).export({ format: 'der', type: 'spki' })).digest('hex').slice(0, 32);
}

/** The exact bytes a checkpoint signature covers. */
export function checkpointMessage(seq: number, link: Uint8Array): Buffer {
  return Buffer.from(checkpointStatement(seq, Buffer.from(link).toString('hex')), 'utf8');
}

export function signCheckpoint(key: KeyObject, seq: number, link: Uint8Array): Buffer {
  return sign(null, checkpointMessage(seq, link), key);
}

export function verifyCheckpoint(publicKeyPem: string, seq: number, link: Uint8Array, signature: Uint8Array): boolean {
  return verify(null, checkpointMessage(seq, link), createPublicKey(publicKeyPem), signature);
}
