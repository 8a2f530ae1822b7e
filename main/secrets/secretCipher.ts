// The OS keychain as Cordon uses it (Electron safeStorage), and whether it really
// protects anything on this computer.

/** The subset of Electron's safeStorage Cordon needs. */
export interface SecretCipher {
  isEncryptionAvailable(): boolean;
  /** Linux only in Electron; absent elsewhere. */
  getSelectedStorageBackend?(): string;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
}

const WEAK_LINUX_BACKENDS = new Set(['basic_text', 'unknown']);

export function canPersistSecrets(cipher: SecretCipher, platform: NodeJS.Platform): boolean {
  if (!cipher.isEncryptionAvailable()) return false;
  if (platform !== 'linux') return true;
  const backend = cipher.getSelectedStorageBackend?.() ?? 'unknown';
  return !WEAK_LINUX_BACKENDS.has(backend);
}
