import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AuditQueue } from '../../../main/audit/auditQueue';
import { loadDeviceKey, signCheckpoint, verifyCheckpoint } from '../../../main/audit/deviceKey';
import { loadOrCreateWrappedSecret, WrappedSecretError } from '../../../main/audit/wrappedSecrets';
import { FakeKeychain } from '../../support/authHarness';

const dir = () => mkdtempSync(path.join(tmpdir(), 'cordon-keys-'));

function errorCode(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    return error instanceof WrappedSecretError ? error.code : `unexpected ${String(error)}`;
  }
  return undefined;
}

describe('wrapped secrets (OS keychain stand-in: FakeKeychain)', () => {
  it('creates a random key once, stores it only wrapped (0600), and returns the same key later', () => {
    const file = path.join(dir(), 'audit-key.bin');
    const key = loadOrCreateWrappedSecret(file, new FakeKeychain(), 'win32', () => randomBytes(32));
    expect(key).toHaveLength(32);
    expect(readFileSync(file).includes(Buffer.from(key.toString('base64')))).toBe(false);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(loadOrCreateWrappedSecret(file, new FakeKeychain(), 'win32', () => randomBytes(32)).equals(key)).toBe(true);
  });

  it("refuses Linux's basic_text backend and an unavailable keychain", () => {
    expect(errorCode(() => loadOrCreateWrappedSecret(path.join(dir(), 'k'), new FakeKeychain('basic_text'), 'linux', () => randomBytes(32)))).toBe('no-keychain');
  });

  it('never replaces a key it cannot unwrap (the queue it opens would be lost)', () => {
    const file = path.join(dir(), 'audit-key.bin');
    loadOrCreateWrappedSecret(file, new FakeKeychain(), 'darwin', () => randomBytes(32));
    const otherAccount = Object.assign(new FakeKeychain(), { decryptString: () => { throw new Error('wrong keychain'); } });
    expect(errorCode(() => loadOrCreateWrappedSecret(file, otherAccount, 'darwin', () => randomBytes(32)))).toBe('unwrap-failed');
  });
});

describe('device key and checkpoints', () => {
  it('signs checkpoints of the chain head that verify with the device public key, and not otherwise', () => {
    const folder = dir();
    const device = loadDeviceKey(path.join(folder, 'device-key.bin'), new FakeKeychain(), 'win32');
    expect(loadDeviceKey(path.join(folder, 'device-key.bin'), new FakeKeychain(), 'win32').publicKeyPem).toBe(device.publicKeyPem);
    const queue = AuditQueue.open(path.join(folder, 'audit.db'), randomBytes(32));
    queue.appendBatch([{ type: 'app.started', outcome: 'success', recordedAt: '2027-01-01T00:00:00.000Z' }]);
    const checkpoint = queue.checkpoint((seq, link) => signCheckpoint(device.privateKey, seq, link));
    queue.close();
    expect(checkpoint.seq).toBe(1);
    expect(verifyCheckpoint(device.publicKeyPem, checkpoint.seq, checkpoint.link, checkpoint.signature)).toBe(true);
    expect(verifyCheckpoint(device.publicKeyPem, checkpoint.seq + 1, checkpoint.link, checkpoint.signature)).toBe(false);
    const other = loadDeviceKey(path.join(dir(), 'device-key.bin'), new FakeKeychain(), 'win32');
    expect(verifyCheckpoint(other.publicKeyPem, checkpoint.seq, checkpoint.link, checkpoint.signature)).toBe(false);
  });
});
