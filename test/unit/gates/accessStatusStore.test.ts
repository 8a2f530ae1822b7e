// The device's record of the last access status the collector signed, in the real encrypted
// queue file (SQLCipher, keyed through the stand-in keychain): a revoked computer is still
// revoked after a restart; a row edited by someone holding the file's key, or signed by
// another key, counts as nothing known.
import { generateKeyPairSync, sign } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { describe, expect, it } from 'vitest';
import { ACCESS_STATUS_FORMAT, accessStatementMessage, type AccessStatement } from '../../../common/audit/accessProtocol';
import { openDeviceAudit } from '../../../main/audit/openDeviceAudit';
import { loadOrCreateWrappedSecret } from '../../../main/audit/wrappedSecrets';
import { FakeKeychain } from '../../support/authHarness';

const collector = generateKeyPairSync('ed25519');
const revoked = { state: 'revoked', since: '2026-12-03T09:00:00.000Z', reason: 'revoked' } as const;
const statement = (subject: string | null, issuedAt: string): AccessStatement => ({
  format: ACCESS_STATUS_FORMAT,
  deviceId: 'a'.repeat(32),
  subject,
  challenge: 'c'.repeat(32),
  issuedAt,
  device: subject === null ? revoked : { state: 'active', endsAt: null },
  user: subject === null ? null : { state: 'active', endsAt: '2027-01-01T00:00:00.000Z' },
});
const signed = (s: AccessStatement, key = collector.privateKey) => sign(null, Buffer.from(accessStatementMessage(s), 'utf8'), key).toString('base64');

describe('the device access status record', () => {
  it('keeps the device and each VA apart across a restart, checked again under the key when read', () => {
    const userData = mkdtempSync(path.join(tmpdir(), 'cordon-access-'));
    const first = openDeviceAudit(userData, new FakeKeychain(), 'linux');
    const forDevice = statement(null, '2026-12-03T09:00:00.000Z');
    first.access.save(forDevice, signed(forDevice), 1);
    const forVa = statement('sub-valerie', '2026-12-03T09:05:00.000Z');
    first.access.save(forVa, signed(forVa), 2);
    first.access.close();
    first.queue.close();

    const again = openDeviceAudit(userData, new FakeKeychain(), 'linux');
    // The VA's statement also said the device stands again (the later word on it).
    expect(again.access.latest(null, collector.publicKey)).toEqual({ standing: { state: 'active', endsAt: null }, issuedAt: Date.parse('2026-12-03T09:05:00Z') });
    expect(again.access.latest('sub-valerie', collector.publicKey)).toEqual({ standing: { state: 'active', endsAt: '2027-01-01T00:00:00.000Z' }, issuedAt: Date.parse('2026-12-03T09:05:00Z') });
    expect(again.access.latest('sub-omar', collector.publicKey)).toBeNull();
    expect(again.access.latest(null, generateKeyPairSync('ed25519').publicKey)).toBeNull();
    again.access.close();
    again.queue.close();
  });

  it('an answer overtaken on its way does not replace the later one kept', () => {
    const userData = mkdtempSync(path.join(tmpdir(), 'cordon-access-'));
    const device = openDeviceAudit(userData, new FakeKeychain(), 'linux');
    const later = statement(null, '2026-12-03T09:00:01.000Z');
    device.access.save(later, signed(later), 2);
    const earlier = { ...statement('sub-valerie', '2026-12-03T09:00:00.000Z') };
    device.access.save(earlier, signed(earlier), 3);
    expect(device.access.latest(null, collector.publicKey)?.standing).toEqual(revoked);
    expect(device.access.latest('sub-valerie', collector.publicKey)?.standing).toEqual({ state: 'active', endsAt: '2027-01-01T00:00:00.000Z' });
    device.access.close();
    device.queue.close();
  });

  it('a row edited with the file key (revocation lifted by hand) no longer counts', () => {
    const userData = mkdtempSync(path.join(tmpdir(), 'cordon-access-'));
    const device = openDeviceAudit(userData, new FakeKeychain(), 'linux');
    const forDevice = statement(null, '2026-12-03T09:00:00.000Z');
    device.access.save(forDevice, signed(forDevice), 1);
    expect(device.access.latest(null, collector.publicKey)?.standing).toEqual(revoked);
    const key = loadOrCreateWrappedSecret(path.join(userData, 'audit', 'queue-key.bin'), new FakeKeychain(), 'linux', () => {
      throw new Error('the key exists already');
    });
    const raw = new Database(path.join(userData, 'audit', 'queue.db'));
    raw.pragma("cipher='sqlcipher'");
    raw.pragma('legacy=4');
    raw.pragma(`key="x'${key.toString('hex')}'"`);
    raw.prepare(`UPDATE access_status SET statement = json_set(statement, '$.device', json('{"state":"active","endsAt":null}')) WHERE scope = 'device'`).run();
    raw.close();
    expect(device.access.latest(null, collector.publicKey)).toBeNull();
    device.access.close();
    device.queue.close();
  });
});
