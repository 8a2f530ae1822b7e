// The training status route on SQLite and PostgreSQL: an enrolled device's signed question
// about a VA gets that VA's latest completion of each course in a statement naming the VA,
// the device and the challenge, signed with the collector key; anything not signed by an
// enrolled device, replayed, or malformed is refused (with an alert where a device key is
// involved), and nothing is answered about anyone then.
import { createPublicKey, randomBytes, verify } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startCollector, type RunningCollector } from '../../../collector/collectorServer';
import { runImportTraining } from '../../../collector/training/trainingCli';
import { TRAINING_STATUS_PATH, trainingStatementMessage, trainingStatusAnswerSchema } from '../../../common/audit/trainingProtocol';
import { DEVICE_HEADERS } from '../../../common/audit/syncProtocol';
import { CollectorClient } from '../../../main/audit/collectorClient';
import { deviceIdOf } from '../../../main/audit/deviceKey';
import { enrollmentRequest } from '../../../main/audit/enrollment';
import { NodeSyncTransport } from '../../../main/audit/nodeSyncTransport';
import { testDeviceKey } from '../../support/auditSyncFixtures';
import { describeOnEachStorage } from './collectorHarness';
import { serveTrainingRoute, type TrainingRoute } from './trainingRouteHarness';

describeOnEachStorage('training status route', (storage) => {
  let dir: string;
  let collector: RunningCollector;
  let route: TrainingRoute;
  let removeStorage: () => Promise<void>;
  const deviceKey = testDeviceKey();
  const deviceId = deviceIdOf(deviceKey.publicKeyPem);
  const transport = new NodeSyncTransport();
  let client: CollectorClient;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'cordon-training-route-'));
    const created = await storage.create();
    removeStorage = created.remove;
    collector = await startCollector({ storage: created.storage, port: 0, rateLimit: { max: 1_000_000, windowMs: 60_000 } });
    const enrolled = await new CollectorClient({ collectorUrl: collector.url, transport, deviceKey, deviceId }).enroll(enrollmentRequest(deviceKey, 'VA-LT-7 (training)', { kind: 'enrollment-code', code: await collector.issueEnrollmentCode() }));
    expect(enrolled.kind).toBe('ok');
    const keyFile = path.join(dir, 'collector-key.pem');
    route = await serveTrainingRoute(created.storage, keyFile);
    client = new CollectorClient({ collectorUrl: route.url, transport, deviceKey, deviceId });
    writeFileSync(path.join(dir, 'training.csv'), 'subject,course,completed_on,expires_on\nva-anna,hipaa-privacy,2025-03-10,\nva-anna,hipaa-privacy,2026-03-10,\nva-anna,phishing,2026-11-02,2027-11-02\nva-ben,hipaa-privacy,2026-01-20,\n');
    const imported = await runImportTraining({ storage: created.storage, keyFile, file: path.join(dir, 'training.csv'), policy: null });
    expect(imported.exitCode, imported.lines.join('\n')).toBe(0);
  }, 60_000);
  afterAll(async () => {
    await route?.close();
    await collector?.close();
    await removeStorage?.();
    rmSync(dir, { recursive: true, force: true });
  });

  const ask = (body: unknown) => transport.send(client.signed('POST', TRAINING_STATUS_PATH, JSON.stringify(body)));

  it("answers an enrolled device with the VA's latest completion of each course, signed by the collector key", async () => {
    const challenge = randomBytes(24).toString('base64url');
    const before = Date.now();
    const response = await ask({ subject: 'va-anna', challenge });
    expect(response.status).toBe(200);
    const answer = trainingStatusAnswerSchema.parse(JSON.parse(response.body));
    expect(answer.statement).toMatchObject({
      format: 'cordon-training-status/1',
      subject: 'va-anna',
      deviceId,
      challenge,
      completions: [
        { course: 'phishing', completedOn: '2026-11-02', expiresOn: '2027-11-02' },
        { course: 'hipaa-privacy', completedOn: '2026-03-10', expiresOn: null },
      ],
    });
    expect(Date.parse(answer.statement.issuedAt)).toBeGreaterThanOrEqual(before - 1000);
    expect(answer.signature.keyId).toBe(route.key.keyId);
    const publicKey = createPublicKey(route.key.publicKey.export({ format: 'pem', type: 'spki' }));
    expect(verify(null, Buffer.from(trainingStatementMessage(answer.statement)), publicKey, Buffer.from(answer.signature.value, 'base64'))).toBe(true);
    // Another VA's answer holds only that VA's records; a VA with none gets an empty list, not a refusal.
    const ben = trainingStatusAnswerSchema.parse(JSON.parse((await ask({ subject: 'va-ben', challenge })).body));
    expect(ben.statement.completions).toEqual([{ course: 'hipaa-privacy', completedOn: '2026-01-20', expiresOn: null }]);
    expect(trainingStatusAnswerSchema.parse(JSON.parse((await ask({ subject: 'va-new', challenge })).body)).statement.completions).toEqual([]);
  });

  it('refuses requests not signed by an enrolled device, replayed, or malformed, answering nothing about the VA', async () => {
    const body = JSON.stringify({ subject: 'va-anna', challenge: randomBytes(24).toString('base64url') });
    const unsigned = await transport.send({ method: 'POST', url: `${route.url}${TRAINING_STATUS_PATH}`, headers: { 'content-type': 'application/json' }, body });
    expect(unsigned.status).toBe(401);
    const stranger = testDeviceKey();
    const unknown = await transport.send(new CollectorClient({ collectorUrl: route.url, transport, deviceKey: stranger, deviceId: deviceIdOf(stranger.publicKeyPem) }).signed('POST', TRAINING_STATUS_PATH, body));
    expect(unknown.status).toBe(401);
    expect(JSON.parse(unknown.body)).toMatchObject({ error: 'unknown-device' });
    const signed = client.signed('POST', TRAINING_STATUS_PATH, body);
    expect((await transport.send(signed)).status).toBe(200);
    const replayed = await transport.send(signed);
    expect(replayed.status).toBe(409);
    // The body is covered by the signature: another VA's name in the same request is a forgery.
    const forged = await transport.send({ ...signed, headers: { ...signed.headers, [DEVICE_HEADERS.nonce]: randomBytes(16).toString('base64url') }, body: body.replace('va-anna', 'va-ben') });
    expect(forged.status).toBe(401);
    for (const bad of [{ subject: 'va-anna' }, { subject: '', challenge: 'x'.repeat(32) }, { subject: 'va-anna', challenge: 'short' }, { subject: 'va-anna', challenge: 'x'.repeat(32), extra: 1 }]) {
      const refused = await ask(bad);
      expect(`${JSON.stringify(bad)} ${refused.status}`).toBe(`${JSON.stringify(bad)} 400`);
      expect(refused.body).not.toContain('hipaa');
    }
    const alerts = (await collector.alerts(deviceId)).map((a) => a.kind);
    expect(alerts).toEqual(expect.arrayContaining(['bad-signature', 'replay']));
  });
});
