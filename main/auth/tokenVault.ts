// Where the refresh token lives. Tokens never leave main. The refresh token is written
// to disk only encrypted by the OS keychain (Electron safeStorage); on Linux's
// `basic_text` backend (a hard-coded password, not real protection) it stays in memory.
import { chmod, readFile, rm, writeFile } from 'node:fs/promises';
import { canPersistSecrets, type SecretCipher } from '../secrets/secretCipher';

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
