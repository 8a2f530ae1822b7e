// Where the refresh token lives. Tokens never leave main. The refresh token is written
// to disk only encrypted by the OS keychain (Electron safeStorage); on Linux's
// `basic_text` backend (a hard-coded password, not real protection) it stays in memory.
import { chmod, readFile, rm, writeFile } from 'node:fs/promises';

/** The subset of Electron's safeStorage the vault needs. */
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

export class TokenVault {
  private refreshToken: string | null = null;
  readonly persistent: boolean;

  constructor(
    private readonly cipher: SecretCipher,
    readonly file: string,
    platform: NodeJS.Platform,
  ) {
    this.persistent = canPersistSecrets(cipher, platform);
  }

  async setRefreshToken(token: string | null): Promise<void> {
    this.refreshToken = token;
    if (!this.persistent || token === null) {
      await rm(this.file, { force: true });
      return;
    }
    await writeFile(this.file, this.cipher.encryptString(token), { mode: 0o600 });
    await chmod(this.file, 0o600);
  }

  /** The refresh token in memory, or the one stored encrypted by an earlier run. */
  async getRefreshToken(): Promise<string | null> {
    if (this.refreshToken !== null || !this.persistent) return this.refreshToken;
    try {
      this.refreshToken = this.cipher.decryptString(await readFile(this.file));
    } catch {
      // Missing, or written under another OS account or keychain: treat as absent.
      this.refreshToken = null;
    }
    return this.refreshToken;
  }

  async clear(): Promise<void> {
    await this.setRefreshToken(null);
  }
}
