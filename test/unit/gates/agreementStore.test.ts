// The device's record of each VA's latest acceptance, in the real encrypted queue file
// (SQLCipher, keyed through the stand-in keychain): it survives a restart, and a record
// that is damaged or cannot be read asks the VA again.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { describe, expect, it } from 'vitest';
import { UNREADABLE } from '../../../common/gates/agreementStanding';
import { migrate } from '../../../main/audit/auditQueue';
import { MIGRATIONS } from '../../../main/audit/migrations';
import { openDeviceAudit } from '../../../main/audit/openDeviceAudit';
import { loadOrCreateWrappedSecret } from '../../../main/audit/wrappedSecrets';
import { FakeKeychain } from '../../support/authHarness';

const SHA = 'd'.repeat(64);
const acceptance = { version: '2027-1', sha256: SHA, acceptedAt: Date.parse('2027-03-01T15:04:00Z') };

function device() {
  const userData = mkdtempSync(path.join(tmpdir(), 'cordon-agreements-'));
  const open = () => openDeviceAudit(userData, new FakeKeychain(), 'linux');
  /** A second way into the same file, as someone holding the key would edit it. */
  const raw = () => {
    const key = loadOrCreateWrappedSecret(path.join(userData, 'audit', 'queue-key.bin'), new FakeKeychain(), 'linux', () => {
      throw new Error('the key exists already');
    });
    const db = new Database(path.join(userData, 'audit', 'queue.db'));
    db.pragma("cipher='sqlcipher'");
    db.pragma('legacy=4');
    db.pragma(`key="x'${key.toString('hex')}'"`);
    return db;
  };
  return { open, raw };
}

describe('migration 005', () => {
  it('adds one acceptance per VA and document on top of 001-004, keeping the chain', () => {
    const db = new Database(':memory:');
    migrate(db, MIGRATIONS.slice(0, 4));
    db.prepare('INSERT INTO events (seq, body, link) VALUES (1, ?, ?)').run('{}', Buffer.alloc(32));
    expect(migrate(db, MIGRATIONS.slice(0, 5))).toBe(5);
    expect(db.prepare('SELECT count(*) AS n FROM events').get()).toEqual({ n: 1 });
    const insert = db.prepare('INSERT INTO agreement_acceptances (subject, document_id, version, sha256, accepted_at) VALUES (?, ?, ?, ?, 1)');
    insert.run('va-1', 'confidentiality', '1', SHA);
    expect(() => insert.run('va-1', 'confidentiality', '2', SHA)).toThrow(/UNIQUE/);
    expect(() => insert.run('va-2', 'confidentiality', '1', 'short')).toThrow(/CHECK/);
  });
});

describe('agreement acceptances on the device', () => {
  it('keeps the latest acceptance per VA and document across a restart', () => {
    const { open } = device();
    const first = open();
    expect(first.agreements.latest('va-1', 'confidentiality')).toBeUndefined();
    first.agreements.save('va-1', 'confidentiality', { ...acceptance, version: '2026-1' });
    first.agreements.save('va-1', 'confidentiality', acceptance);
    first.agreements.close();
    first.queue.close();
    const again = open();
    expect(again.agreements.latest('va-1', 'confidentiality')).toEqual(acceptance);
    // Another VA on the same computer, or another document, has accepted nothing.
    expect(again.agreements.latest('va-2', 'confidentiality')).toBeUndefined();
    expect(again.agreements.latest('va-1', 'acceptable-use')).toBeUndefined();
  });

  it('reads a record edited into something malformed as unreadable, and a deleted one as never accepted', () => {
    const { open, raw } = device();
    const { agreements } = open();
    agreements.save('va-1', 'confidentiality', acceptance);
    agreements.save('va-1', 'acceptable-use', { ...acceptance, version: '4' });
    const db = raw();
    db.prepare("UPDATE agreement_acceptances SET version = 'not a version!' WHERE document_id = 'confidentiality'").run();
    db.prepare("DELETE FROM agreement_acceptances WHERE document_id = 'acceptable-use'").run();
    db.close();
    expect(agreements.latest('va-1', 'confidentiality')).toBe(UNREADABLE);
    expect(agreements.latest('va-1', 'acceptable-use')).toBeUndefined();
  });

  it('reads as unreadable, and refuses to save, once its storage fails', () => {
    const { open } = device();
    const { agreements } = open();
    agreements.save('va-1', 'confidentiality', acceptance);
    agreements.close();
    expect(agreements.latest('va-1', 'confidentiality')).toBe(UNREADABLE);
    expect(() => agreements.save('va-1', 'confidentiality', acceptance)).toThrow();
  });
});
