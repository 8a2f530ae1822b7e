import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AuditQueue, AuditQueueError } from '../../../main/audit/auditQueue';
import { openDeviceAudit } from '../../../main/audit/openDeviceAudit';
import { QueueAuditSink, withinWireLimits } from '../../../main/audit/queueAuditSink';
import { auditEventBodySchema } from '../../../common/audit/syncProtocol';
import { FakeKeychain } from '../../support/authHarness';

const dir = () => mkdtempSync(path.join(tmpdir(), 'cordon-sink-'));

describe('queue audit sink', () => {
  it('keeps events recorded before the queue opened and writes them first', () => {
    const failures: unknown[] = [];
    const sink = new QueueAuditSink((e) => failures.push(e));
    sink.record({ type: 'app.started', outcome: 'success' });
    sink.record({ type: 'policy.loaded', outcome: 'success' });
    const queue = AuditQueue.open(path.join(dir(), 'q.db'), randomBytes(32));
    sink.attach(queue);
    sink.record({ type: 'navigation.blocked', outcome: 'blocked', origin: 'https://evil.example' });
    expect(queue.unacknowledged(10).map((e) => JSON.parse(e.body).type)).toEqual(['app.started', 'policy.loaded', 'navigation.blocked']);
    expect(sink.pending).toEqual([]);
    expect(failures).toEqual([]);
    queue.close();
  });

  it('locks once on a queue failure and keeps every later event in memory', () => {
    const failures: AuditQueueError[] = [];
    const sink = new QueueAuditSink((e) => failures.push(e));
    const queue = AuditQueue.open(path.join(dir(), 'q.db'), randomBytes(32));
    sink.attach(queue);
    queue.close(); // the next append fails
    sink.record({ type: 'download.blocked', outcome: 'blocked' });
    sink.record({ type: 'print.blocked', outcome: 'blocked' });
    expect(failures).toHaveLength(1);
    expect(failures[0]).toBeInstanceOf(AuditQueueError);
    expect(sink.failure).toBe(failures[0]);
    expect(sink.pending.map((e) => e.type)).toEqual(['download.blocked', 'print.blocked']);
  });
});

describe('opening the device audit', () => {
  it('creates keys and queue under the user-data folder and reopens them', () => {
    const userData = dir();
    const first = openDeviceAudit(userData, new FakeKeychain(), 'win32');
    first.queue.append({ type: 'app.started', outcome: 'success', recordedAt: '2027-01-01T00:00:00.000Z' });
    first.queue.close();
    const again = openDeviceAudit(userData, new FakeKeychain(), 'win32');
    expect(again.queue.lastSeq).toBe(1);
    expect(again.deviceKey.publicKeyPem).toBe(first.deviceKey.publicKeyPem);
    again.queue.close();
  });

  it('fails with a lockable error without a keychain, or with a replaced queue file', () => {
    const noKeychain = (() => {
      try {
        openDeviceAudit(dir(), new FakeKeychain('basic_text'), 'linux');
      } catch (error) {
        return error;
      }
      return null;
    })();
    expect(noKeychain).toBeInstanceOf(AuditQueueError);
    expect((noKeychain as AuditQueueError).code).toBe('no-keychain');
    const userData = dir();
    openDeviceAudit(userData, new FakeKeychain(), 'win32').queue.close();
    writeFileSync(path.join(userData, 'audit', 'queue.db'), randomBytes(4096));
    expect(() => openDeviceAudit(userData, new FakeKeychain(), 'win32')).toThrow(/cannot be decrypted/);
  });
});

describe('events the collector will accept', () => {
  it('cuts fields to the wire protocol limits before chaining, so one long reason cannot stall delivery', () => {
    const queue = AuditQueue.open(path.join(dir(), 'q.db'), randomBytes(32));
    const sink = new QueueAuditSink(() => undefined);
    sink.attach(queue);
    sink.record({ type: 'ipc.refused', outcome: 'blocked', reason: `cordon:open-app: ${'x'.repeat(500)}`, origin: `https://${'a'.repeat(400)}.example`, appId: 'e'.repeat(80) });
    sink.record({ type: 'ipc.refused', outcome: 'blocked', reason: 'short' });
    const [long, short] = queue.unacknowledged(10).map((e) => auditEventBodySchema.parse(JSON.parse(e.body)));
    expect(long?.reason).toHaveLength(200);
    expect(long?.reason?.endsWith('…')).toBe(true);
    expect(long?.origin).toHaveLength(300);
    expect(long?.appId).toHaveLength(64);
    expect(short?.reason).toBe('short');
    expect(withinWireLimits({ type: 'app.started', outcome: 'success' })).toEqual({ type: 'app.started', outcome: 'success' });
    queue.close();
  });
});

describe('session context on events', () => {
  it('stamps the signed-in subject and session code on events while there is a session', () => {
    const sink = new QueueAuditSink(() => undefined, () => new Date('2026-11-25T12:00:00Z'));
    let context: { subject: string; session: string } | null = null;
    sink.setContext(() => context);
    sink.record({ type: 'app.started', outcome: 'success' });
    context = { subject: 'sub-valerie', session: '7K2M-QX4P' };
    sink.record({ type: 'print.blocked', outcome: 'blocked', appId: 'ehr' });
    expect(sink.pending).toEqual([
      { type: 'app.started', outcome: 'success', recordedAt: '2026-11-25T12:00:00.000Z' },
      { type: 'print.blocked', outcome: 'blocked', appId: 'ehr', subject: 'sub-valerie', session: '7K2M-QX4P', recordedAt: '2026-11-25T12:00:00.000Z' },
    ]);
  });
});
