// Secrets that exist on disk only wrapped by the OS keychain (Electron safeStorage): the
// audit queue's 256-bit key and the device's Ed25519 signing key. Without a real
// keychain (Linux basic_text) Cordon refuses to create them; an existing wrapped secret
// that cannot be unwrapped is an error, never silently replaced (that would orphan the
// encrypted queue and lose its events).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { canPersistSecrets, type SecretCipher } from '../secrets/secretCipher';

export type WrappedSecretErrorCode = 'no-keychain' | 'unwrap-failed';

export class WrappedSecretError extends Error {
  constructor(
    readonly code: WrappedSecretErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'WrappedSecretError';
  }
}

export function loadOrCreateWrappedSecret(file: string, cipher: SecretCipher, platform: NodeJS.Platform, create: () => Buffer): Buffer {
  if (!canPersistSecrets(cipher, platform)) {
    throw new WrappedSecretError('no-keychain', "this computer has no usable OS keychain (on Linux: install and unlock a Secret Service such as GNOME Keyring or KWallet); Cordon will not keep audit keys unprotected");
  }
  if (existsSync(file)) {
    try {
      return Buffer.from(cipher.decryptString(readFileSync(file)), 'base64');
    } catch {
      throw new WrappedSecretError('unwrap-failed', `the key in ${file} cannot be unwrapped by this OS account's keychain; Cordon keeps the file and locks (call IT)`);
    }
  }
  const secret = create();
  // 'wx': never overwrite a secret another process just created.
  writeFileSync(file, cipher.encryptString(secret.toString('base64')), { mode: 0o600, flag: 'wx' });
  return secret;
}
