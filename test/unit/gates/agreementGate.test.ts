// The agreement gate with the device's real encrypted storage and the real audit queue:
// an acceptance is kept across a restart and goes into the activity log with the
// document, version, SHA-256, the VA's subject, the session code and the sign-in
// methods, never the text; what cannot be read or saved leaves the agreement due.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAgreementEventReason } from '../../../common/gates/agreementEvent';
import { agreementStanding, oneYearAfter, UNREADABLE } from '../../../common/gates/agreementStanding';
import type { Identity } from '../../../common/auth/identity';
import type { AgreementPolicy } from '../../../common/policy/policySchema';
import { openDeviceAudit } from '../../../main/audit/openDeviceAudit';
import { QueueAuditSink } from '../../../main/audit/queueAuditSink';
import { AgreementDocuments, sha256Hex } from '../../../main/gates/agreementDocuments';
import { AgreementGate, CHANGED_WHILE_READING } from '../../../main/gates/agreementGate';
import type { AcceptanceStore } from '../../../main/gates/agreementStore';
import { FakeKeychain } from '../../support/authHarness';
import { RecordingAuditSink } from '../../support/electronFakes';

const TEXT = 'I keep patient information confidential.\n\nI report anything that might expose it.';
const confidentiality: AgreementPolicy = { id: 'confidentiality', title: 'Confidentiality agreement', version: '2027-1', text: TEXT, reaccept: 'yearly' };
const valerie = { subject: 'sub-valerie', name: 'Valerie Assistant', email: 'va@example.com', roles: ['va'], mfaMethods: ['pwd', 'otp'], authTime: 1_800_000_000, acr: null } as Identity;
const START = Date.parse('2027-03-01T15:04:00Z');

/** One start of Cordon on this computer: the device storage opened, the gate built on it, the clock the test's. */
function start(userData: string, agreements: AgreementPolicy[] = [confidentiality]) {
  const device = openDeviceAudit(userData, new FakeKeychain(), 'linux');
  const audit = new QueueAuditSink(() => undefined);
  audit.attach(device.queue);
  audit.setContext(() => ({ subject: valerie.subject, session: '7K2M-QX4P' }));
  const clock = { now: START, changes: 0 };
  const gate = new AgreementGate({
    documents: new AgreementDocuments({ agreements, fetch: () => Promise.reject(new Error('no URL documents here')), audit, onChange: () => undefined }),
    store: device.agreements,
    audit,
    identity: () => valerie,
    now: () => clock.now,
    onChange: () => (clock.changes += 1),
  });
  const due = () => {
    const { agreements: docs, acceptances } = gate.inputFor(valerie);
    return docs.filter((doc) => agreementStanding(doc, acceptances.get(doc.id), clock.now).state === 'outstanding').map((doc) => doc.id);
  };
  const events = () => device.queue.unacknowledged(100).map((e) => JSON.parse(e.body) as Record<string, unknown>);
  const stop = () => {
    device.agreements.close();
    device.queue.close();
  };
  return { gate, clock, due, events, stop, device };
}

describe('the agreement gate', () => {
  it('records an acceptance in the activity log with what the collector needs, and never the text', () => {
    const cordon = start(mkdtempSync(path.join(tmpdir(), 'cordon-gate-')));
    expect(cordon.due()).toEqual(['confidentiality']);
    expect(cordon.gate.accept('confidentiality', '2027-1')).toEqual({ ok: true });
    expect(cordon.clock.changes).toBe(1);
    expect(cordon.due()).toEqual([]);
    const [event] = cordon.events().filter((e) => e.type === 'agreement.accepted');
    expect(event).toMatchObject({ type: 'agreement.accepted', outcome: 'success', subject: 'sub-valerie', session: '7K2M-QX4P' });
    expect(parseAgreementEventReason(String(event?.reason))).toEqual({ documentId: 'confidentiality', version: '2027-1', sha256: sha256Hex(TEXT), mfaMethods: ['pwd', 'otp'] });
    expect(JSON.stringify(cordon.events())).not.toContain('patient information');
    cordon.stop();
  });

  it('does not ask again after a restart, and asks again a year later, or for a new version', () => {
    const userData = mkdtempSync(path.join(tmpdir(), 'cordon-gate-'));
    const first = start(userData);
    first.gate.accept('confidentiality', '2027-1');
    first.stop();
    const again = start(userData);
    expect(again.due()).toEqual([]);
    again.clock.now = oneYearAfter(START);
    expect(again.due()).toEqual(['confidentiality']);
    again.stop();
    const newVersion = start(userData, [{ ...confidentiality, version: '2027-2', text: `${TEXT}\n\nA new clause.` }]);
    expect(newVersion.due()).toEqual(['confidentiality']);
    newVersion.stop();
  });

  it('refuses an acceptance of a version the screen no longer shows, and of a document it cannot show', async () => {
    const cordon = start(mkdtempSync(path.join(tmpdir(), 'cordon-gate-')));
    expect(cordon.gate.accept('confidentiality', '2026-1')).toEqual({ ok: false, message: CHANGED_WHILE_READING });
    expect(cordon.gate.accept('acceptable-use', '1')).toEqual({ ok: false, message: CHANGED_WHILE_READING });
    cordon.stop();
    // A URL document still being fetched (the fetch never answers here).
    const audit = new RecordingAuditSink();
    const gate = new AgreementGate({
      documents: new AgreementDocuments({ agreements: [{ id: 'acceptable-use', title: 'Acceptable use', version: '4', url: 'https://ehr.example.com/a.txt', sha256: 'f'.repeat(64), reaccept: 'new-version' }], fetch: () => new Promise(() => undefined), audit, onChange: () => undefined }),
      store: { latest: () => undefined, save: () => undefined },
      audit,
      identity: () => valerie,
      now: () => START,
      onChange: () => undefined,
    });
    expect(gate.inputFor(valerie).agreements[0]?.content).toEqual({ state: 'loading' });
    expect(gate.accept('acceptable-use', '4')).toEqual({ ok: false, message: 'This document cannot be accepted until Cordon can show it.' });
    expect(audit.events).toEqual([]);
  });

  it('fails closed without device storage, or when saving fails: still due, nothing audited as accepted', () => {
    for (const store of [null, { latest: () => UNREADABLE, save: () => { throw new Error('SQLITE_FULL'); } } satisfies AcceptanceStore]) {
      const audit = new RecordingAuditSink();
      const gate = new AgreementGate({ documents: new AgreementDocuments({ agreements: [confidentiality], fetch: () => Promise.reject(new Error('unused')), audit, onChange: () => undefined }), store, audit, identity: () => valerie, now: () => START, onChange: () => undefined });
      expect(gate.inputFor(valerie).acceptances.get('confidentiality')).toBe(UNREADABLE);
      expect(gate.accept('confidentiality', '2027-1')).toEqual({ ok: false, message: 'Cordon could not save your acceptance. Try again; if this keeps happening, call IT.' });
      expect(gate.inputFor(valerie).acceptances.get('confidentiality')).toBe(UNREADABLE);
      expect(audit.events).toEqual([]);
    }
  });

  it('audits a decline with the same facts, while the VA is still signed in', () => {
    const cordon = start(mkdtempSync(path.join(tmpdir(), 'cordon-gate-')));
    cordon.gate.decline('confidentiality');
    const [event] = cordon.events().filter((e) => e.type === 'agreement.declined');
    expect(event).toMatchObject({ outcome: 'success', subject: 'sub-valerie', session: '7K2M-QX4P' });
    expect(parseAgreementEventReason(String(event?.reason))).toMatchObject({ documentId: 'confidentiality', version: '2027-1' });
    // Nothing was accepted: still due.
    expect(cordon.due()).toEqual(['confidentiality']);
    cordon.stop();
  });

  it('keeps each VA to their own acceptances', () => {
    const cordon = start(mkdtempSync(path.join(tmpdir(), 'cordon-gate-')));
    cordon.gate.accept('confidentiality', '2027-1');
    const other = { ...valerie, subject: 'sub-other' };
    expect(cordon.gate.inputFor(other).acceptances.size).toBe(0);
    expect(cordon.gate.inputFor(valerie).acceptances.get('confidentiality')).toMatchObject({ version: '2027-1' });
    cordon.stop();
  });
});
