import { mkdtemp, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { TokenVault } from '../../../main/auth/tokenVault';
import { canPersistSecrets } from '../../../main/secrets/secretCipher';
import { FakeKeychain } from '../../support/authHarness';

async function vaultFile() {
  return path.join(await mkdtemp(path.join(tmpdir(), 'cordon-vault-')), 'session.bin');
}

describe('token vault', () => {
  it('writes the refresh token only encrypted, readable by the owner only, and reads it back in a new run', async () => {
    const file = await vaultFile();
    const vault = new TokenVault(new FakeKeychain(), file, 'linux');
    expect(vault.persistent).toBe(true);
    await vault.setRefreshToken('refresh-token-secret-value');
    const raw = await readFile(file);
    expect(raw.toString('utf8')).not.toContain('refresh-token-secret-value');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(await new TokenVault(new FakeKeychain(), file, 'linux').getRefreshToken()).toBe('refresh-token-secret-value');
    await vault.clear();
    await expect(stat(file)).rejects.toThrow();
  });

  it("keeps the token in memory only on Linux's basic_text backend, or without encryption", async () => {
    const file = await vaultFile();
    const weak = new TokenVault(new FakeKeychain('basic_text'), file, 'linux');
    expect(weak.persistent).toBe(false);
    await weak.setRefreshToken('in-memory-only');
    expect(await weak.getRefreshToken()).toBe('in-memory-only');
    await expect(stat(file)).rejects.toThrow();
    expect(canPersistSecrets({ ...new FakeKeychain(), isEncryptionAvailable: () => false, encryptString: () => Buffer.alloc(0), decryptString: () => '' }, 'darwin')).toBe(false);
    expect(canPersistSecrets(new FakeKeychain('kwallet5'), 'linux')).toBe(true);
    expect(canPersistSecrets(new FakeKeychain('unknown'), 'linux')).toBe(false);
  });

  it('treats an undecryptable file (another account or keychain) as no token', async () => {
    const file = await vaultFile();
    await new TokenVault(new FakeKeychain(), file, 'win32').setRefreshToken('x');
    const other = new TokenVault({ ...new FakeKeychain(), isEncryptionAvailable: () => true, encryptString: () => Buffer.alloc(0), decryptString: () => { throw new Error('cannot decrypt'); } }, file, 'win32');
    expect(await other.getRefreshToken()).toBeNull();
  });
});
