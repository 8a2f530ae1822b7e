// Enrollment into the real collector (SQLite, loopback HTTP): zero-touch with the VA's
// access token for the collector's audience from the real demo IdP (oidc-provider, real
// sign-in with TOTP), or with a one-time code IT issued. Idempotent, persisted in the
// encrypted queue, and every refusal is a clear EnrollmentError that never quotes the proof.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCollector, type RunningCollector } from '../../../collector/collectorServer';
import { COLLECTOR_AUDIENCE } from '../../../common/audit/collectorAudience';
import { startDemoIdp, type DemoIdp } from '../../../demo/idp/demoIdp';
import { CollectorClient } from '../../../main/audit/collectorClient';
import { deviceIdOf, type DeviceKey } from '../../../main/audit/deviceKey';
import { enrollDevice, EnrollmentError, type EnrollmentProof } from '../../../main/audit/enrollment';
import { NodeSyncTransport } from '../../../main/audit/nodeSyncTransport';
import type { SyncTransport } from '../../../main/audit/syncTransport';
import { OidcClient } from '../../../main/auth/oidcClient';
import { demoUser, harness, settingsFor } from '../../support/authHarness';
import { ScriptedUserAgent } from '../../support/scriptedUserAgent';
import { RecordingTransport, testDeviceKey, testQueue } from '../../support/auditSyncFixtures';

let idp: DemoIdp;
let collector: RunningCollector;
const transport = new NodeSyncTransport();

beforeAll(async () => {
  idp = await startDemoIdp();
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'cordon-enroll-collector-')), 'collector.db');
  collector = await startCollector({ storage: { kind: 'sqlite', file }, port: 0, trustedIssuer: { issuer: idp.issuer, audience: COLLECTOR_AUDIENCE } });
});
afterAll(async () => {
  transport.close();
  await collector.close();
  await idp.close();
});

function device(options: { key?: DeviceKey; via?: SyncTransport; url?: string } = {}) {
  const deviceKey = options.key ?? testDeviceKey();
  const { queue, reopen } = testQueue();
  const via = new RecordingTransport(options.via ?? transport);
  const client = new CollectorClient({ collectorUrl: options.url ?? collector.url, transport: via, deviceKey, deviceId: deviceIdOf(deviceKey.publicKeyPem) });
  const enroll = (proof: EnrollmentProof) => enrollDevice({ queue, client, deviceKey, deviceName: 'front-desk-3', proof });
  return { deviceKey, queue, reopen, transport: via, enroll, deviceId: deviceIdOf(deviceKey.publicKeyPem) };
}

async function refusal(promise: Promise<unknown>): Promise<EnrollmentError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof EnrollmentError)) throw new Error(`expected an EnrollmentError, got ${String(error)}`);
  return error;
}

/** A signed-in VA (real code flow + TOTP against the demo IdP) and their sign-in service. */
async function signedIn() {
  const h = harness(idp.issuer);
  await h.service.signIn();
  return h;
}

describe('zero-touch enrollment with the VA access token', () => {
  it('registers the device key under the VA who signed in, and keeps the enrollment in the queue', async () => {
    const h = await signedIn();
    const token = await h.service.resourceAccessToken(COLLECTOR_AUDIENCE);
    const d = device();
    const enrollment = await d.enroll({ kind: 'access-token', token });
    expect(enrollment).toMatchObject({ deviceId: d.deviceId, collectorUrl: collector.url });
    const registered = (await collector.devices()).find((r) => r.deviceId === d.deviceId);
    expect(registered).toMatchObject({ enrollmentMethod: 'access-token', enrolledBy: 'demo-va-0001', deviceName: 'front-desk-3', publicKeyPem: d.deviceKey.publicKeyPem });
    d.queue.close();
    expect(d.reopen().enrollment()).toEqual(enrollment);
  });

  it('is idempotent: enrolling again asks nothing of the collector', async () => {
    const h = await signedIn();
    const d = device();
    const proof = { kind: 'access-token' as const, token: await h.service.resourceAccessToken(COLLECTOR_AUDIENCE) };
    const first = await d.enroll(proof);
    expect(await d.enroll(proof)).toEqual(first);
    expect(d.transport.requests).toHaveLength(1);
  });

  it('refuses the sign-in access token (audience: userinfo, not the collector), without quoting it', async () => {
    // The access token of a sign-in itself (code flow without `resource`): opaque, not for the collector.
    const client = await OidcClient.connect(settingsFor(idp.issuer));
    const pending = await client.beginAuthorization({ redirectUri: 'http://127.0.0.1:9/callback' });
    const callback = await new ScriptedUserAgent().signIn(pending.url, 'http://127.0.0.1:9/callback', demoUser('valerie'));
    const signInToken = (await client.completeAuthorization(callback, pending)).accessToken;
    const error = await refusal(device().enroll({ kind: 'access-token', token: signInToken }));
    expect(error.code).toBe('refused');
    expect(error.message).toMatch(/HTTP 403 token-refused/);
    expect(error.message).not.toContain(signInToken);
  });
});

describe('enrollment with a code from IT', () => {
  it('enrolls once per code; a used code is refused with a clear message', async () => {
    const code = await collector.issueEnrollmentCode();
    const d = device();
    await d.enroll({ kind: 'enrollment-code', code });
    expect((await collector.devices()).find((r) => r.deviceId === d.deviceId)).toMatchObject({ enrollmentMethod: 'enrollment-code', enrolledBy: null });
    const error = await refusal(device().enroll({ kind: 'enrollment-code', code }));
    expect(error.code).toBe('refused');
    expect(error.message).toMatch(/code-refused: the enrollment code is unknown, already used or expired/);
    expect(error.message).not.toContain(code);
  });

  it('re-enrolls a known key after the device lost its queue, without a new code', async () => {
    const key = testDeviceKey();
    const code = await collector.issueEnrollmentCode();
    await device({ key }).enroll({ kind: 'enrollment-code', code });
    const again = device({ key });
    expect((await again.enroll({ kind: 'enrollment-code', code })).deviceId).toBe(again.deviceId);
  });

  it('refuses a malformed code before sending anything', async () => {
    const d = device();
    const error = await refusal(d.enroll({ kind: 'enrollment-code', code: 'abcd-1234' }));
    expect(error.code).toBe('invalid-proof');
    expect(error.message).toMatch(/ABCD-EFGH-JKLM-NPQR/);
    expect(d.transport.requests).toHaveLength(0);
  });

  it('says when the collector cannot be reached, and records nothing', async () => {
    const d = device({ url: 'http://127.0.0.1:9' });
    const error = await refusal(d.enroll({ kind: 'enrollment-code', code: 'ABCD-EFGH-JKLM-NPQR' }));
    expect(error.code).toBe('collector-unreachable');
    expect(d.queue.enrollment()).toBeNull();
  });
});
