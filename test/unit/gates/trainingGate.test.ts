// Main's training gate against the real route on a real collector database, with the device's
// real encrypted storage and a clock the test moves: the signed answer opens the apps (with
// the notice for a course due soon, said once), is kept across a restart and counts for the
// offline days while the collector cannot be reached, then apps close with the sentence; an
// overdue course closes them until its completion is imported; a tampered, replayed, other
// VA's or other key's answer is refused and audited, and changes nothing.
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCollector, type RunningCollector } from '../../../collector/collectorServer';
import { runImportTraining } from '../../../collector/training/trainingCli';
import type { Identity } from '../../../common/auth/identity';
import { confirmedUntil } from '../../../common/gates/trainingAssessment';
import { DAY_MS, dayInWords } from '../../../common/gates/trainingStanding';
import type { TrainingPolicy } from '../../../common/policy/policySchema';
import { CollectorClient } from '../../../main/audit/collectorClient';
import { deviceIdOf } from '../../../main/audit/deviceKey';
import { enrollmentRequest } from '../../../main/audit/enrollment';
import { NodeSyncTransport } from '../../../main/audit/nodeSyncTransport';
import { openDeviceAudit } from '../../../main/audit/openDeviceAudit';
import { TransportError, type SyncResponse, type SyncTransport } from '../../../main/audit/syncTransport';
import { ASK_AGAIN_MS, TrainingGate } from '../../../main/gates/trainingGate';
import { collectorKeyFrom } from '../../../main/gates/collectorAnswers';
import { askTrainingStatus } from '../../../main/gates/trainingStatus';
import { testDeviceKey } from '../../support/auditSyncFixtures';
import { FakeKeychain } from '../../support/authHarness';
import { RecordingAuditSink } from '../../support/electronFakes';
import { serveTrainingRoute, type TrainingRoute } from '../collector/trainingRouteHarness';

const START = Date.now();
const day = (offset: number) => new Date(START + offset * DAY_MS).toISOString().slice(0, 10);
const CONTACT = 'Dana Reyes, compliance officer';
const POLICY: TrainingPolicy = {
  courses: [
    { id: 'hipaa-privacy', title: 'HIPAA privacy and security', everyMonths: 12 },
    { id: 'phishing', title: 'Spotting phishing' },
  ],
  dueSoonDays: 30,
  graceDays: 14,
  offlineDays: 3,
  contact: CONTACT,
};
const va = (subject: string) => ({ subject, name: subject, email: `${subject}@example.com`, roles: ['va'], mfaMethods: ['pwd', 'otp'], authTime: 1_800_000_000, acr: null }) as Identity;

/** The collector's answers as they come, or changed on the way (a tampering proxy), or none at all. */
class ProxyTransport implements SyncTransport {
  down = false;
  rewrite: ((response: SyncResponse) => SyncResponse) | null = null;
  readonly seen: SyncResponse[] = [];
  constructor(private readonly inner: SyncTransport) {}
  async send(request: Parameters<SyncTransport['send']>[0]): Promise<SyncResponse> {
    if (this.down) throw new TransportError('the collector could not be reached: connect ECONNREFUSED');
    const response = await this.inner.send(request);
    this.seen.push(response);
    return this.rewrite === null ? response : this.rewrite(response);
  }
}

describe('the training gate with the collector', () => {
  let dir: string;
  let collector: RunningCollector;
  let route: TrainingRoute;
  let keyFile: string;
  const storage = { kind: 'sqlite' as const, file: '' };
  const clock = { now: START };
  const deviceKey = testDeviceKey();
  const deviceId = deviceIdOf(deviceKey.publicKeyPem);
  const proxy = new ProxyTransport(new NodeSyncTransport());

  const importCsv = async (name: string, text: string) => {
    writeFileSync(path.join(dir, name), text);
    const imported = await runImportTraining({ storage, keyFile, file: path.join(dir, name), policy: null });
    expect(imported.exitCode, imported.lines.join('\n')).toBe(0);
  };

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'cordon-training-gate-'));
    storage.file = path.join(dir, 'collector.db');
    keyFile = path.join(dir, 'collector-key.pem');
    collector = await startCollector({ storage, port: 0 });
    const enrolled = await new CollectorClient({ collectorUrl: collector.url, transport: proxy, deviceKey, deviceId }).enroll(enrollmentRequest(deviceKey, 'VA-LT-9', { kind: 'enrollment-code', code: await collector.issueEnrollmentCode() }));
    expect(enrolled.kind).toBe('ok');
    route = await serveTrainingRoute(storage, keyFile, () => clock.now);
    // Anna: HIPAA due in 15 days (notice), phishing done; Cleo: HIPAA due 35 days ago, past the 14 days' grace.
    await importCsv('training.csv', `subject,course,completed_on\nva-anna,hipaa-privacy,${day(-350)}\nva-anna,phishing,${day(-10)}\nva-cleo,hipaa-privacy,${day(-400)}\nva-cleo,phishing,${day(-10)}\n`);
  }, 60_000);
  afterAll(async () => {
    await route?.close();
    await collector?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** One start of Cordon: its device storage, the gate on it, as main/index.ts builds it. */
  function start(options: { userData: string; who: { identity: Identity | null }; key?: string }) {
    const device = openDeviceAudit(options.userData, new FakeKeychain(), 'linux');
    const audit = new RecordingAuditSink();
    const notices: string[] = [];
    const key = collectorKeyFrom(options.key ?? route.key.publicKey.export({ format: 'pem', type: 'spki' }).toString());
    const client = new CollectorClient({ collectorUrl: route.url, transport: proxy, deviceKey, deviceId, now: () => new Date(clock.now) });
    const gate = new TrainingGate({
      policy: POLICY,
      key,
      store: device.training,
      ask: key === null ? null : (subject) => askTrainingStatus({ client, transport: proxy, key, subject, now: () => clock.now }),
      audit,
      identity: () => options.who.identity,
      now: () => clock.now,
      onChange: () => undefined,
      notify: (text) => notices.push(text),
    });
    const stop = () => {
      device.training.close();
      device.agreements.close();
      device.queue.close();
    };
    return { gate, audit, notices, stop };
  }
  const types = (audit: RecordingAuditSink) => audit.events.map((e) => `${e.type} ${e.reason ?? ''}`.trim());

  it('at sign-in: checking, then the signed answer opens the apps, with the notice for a course due soon said once', async () => {
    clock.now = START;
    const who = { identity: va('va-anna') };
    const cordon = start({ userData: mkdtempSync(path.join(dir, 'anna-')), who });
    expect(cordon.gate.input()).toEqual({ state: 'checking' });
    await cordon.gate.refresh();
    expect(cordon.gate.input()).toEqual({ state: 'clear' });
    const dueOn = dayInWords(Date.parse(`${day(15)}T00:00:00Z`));
    expect(cordon.notices).toEqual([`Your training "HIPAA privacy and security" is due on ${dueOn}. Ask ${CONTACT} if you need it.`]);
    expect(types(cordon.audit)).toEqual(['training.due hipaa-privacy:due-soon']);
    cordon.gate.tick();
    await cordon.gate.refresh();
    expect(cordon.notices).toHaveLength(1);
    cordon.stop();
  });

  it('kept across a restart: with the collector unreachable the last status counts for the offline days, then apps close; an answer reopens them', async () => {
    clock.now = START;
    const userData = mkdtempSync(path.join(dir, 'restart-'));
    const who = { identity: va('va-anna') };
    const first = start({ userData, who });
    await first.gate.refresh();
    first.stop();
    const confirmedAt = clock.now;

    proxy.down = true;
    try {
      clock.now = confirmedAt + 2 * DAY_MS;
      const again = start({ userData, who });
      await again.gate.refresh();
      expect(again.gate.input()).toEqual({ state: 'clear' });
      clock.now = confirmedUntil(POLICY, { issuedAt: confirmedAt, completions: [] });
      again.gate.tick();
      await again.gate.refresh();
      expect(again.gate.input()).toEqual({
        state: 'closed',
        reason: { code: 'training-unconfirmed', message: `Cordon last confirmed your training with the practice on ${dayInWords(confirmedAt)} and cannot reach the practice's collector now, so practice apps stay closed. Check this computer's internet connection; if this stays, tell IT.` },
      });
      expect(types(again.audit)).toContain('training.closed training-unconfirmed');
      proxy.down = false;
      clock.now += ASK_AGAIN_MS;
      again.gate.tick();
      await again.gate.refresh();
      expect(again.gate.input()).toEqual({ state: 'clear' });
      expect(types(again.audit)).toContain('training.cleared');
      again.stop();
    } finally {
      proxy.down = false;
    }
  });

  it('overdue past the grace period: apps closed, naming the course and whom to ask, until the completion is imported', async () => {
    clock.now = START;
    const cordon = start({ userData: mkdtempSync(path.join(dir, 'cleo-')), who: { identity: va('va-cleo') } });
    await cordon.gate.refresh();
    const dueOn = dayInWords(Date.parse(`${day(-400 + 365)}T00:00:00Z`));
    expect(cordon.gate.input()).toEqual({
      state: 'closed',
      reason: { code: 'training-overdue', message: `Your training "HIPAA privacy and security" was due on ${dueOn} and is overdue, so practice apps stay closed. Ask ${CONTACT} about it: apps open again once your completion is recorded.` },
    });
    expect(types(cordon.audit)).toEqual(['training.closed training-overdue:hipaa-privacy']);
    await importCsv('cleo.csv', `subject,course,completed_on\nva-cleo,hipaa-privacy,${day(0)}\n`);
    clock.now += ASK_AGAIN_MS;
    cordon.gate.tick();
    await cordon.gate.refresh();
    expect(cordon.gate.input()).toEqual({ state: 'clear' });
    expect(types(cordon.audit)).toEqual(['training.closed training-overdue:hipaa-privacy', 'training.cleared']);
    cordon.stop();
  });

  it('refuses a tampered, replayed, other VA\'s or other key\'s answer: audited, and nothing changes', async () => {
    clock.now = START;
    const who = { identity: va('va-cleo') as Identity | null };
    const cordon = start({ userData: mkdtempSync(path.join(dir, 'tamper-')), who });
    const expectRefused = async (reason: string) => {
      const before = cordon.audit.events.length;
      await cordon.gate.refresh();
      expect(cordon.audit.events.slice(before).filter((e) => e.type === 'training.status-refused')).toEqual([{ type: 'training.status-refused', outcome: 'blocked', reason }]);
      // Nothing was confirmed: with the question answered, apps stay closed for want of a status.
      expect(cordon.gate.input()).toEqual({ state: 'unknown' });
    };
    // A proxy slips in a completion: the signature no longer holds.
    proxy.rewrite = (response) => ({ ...response, body: response.body.replace('"completions":[', `"completions":[{"course":"phishing","completedOn":"${day(-1)}","expiresOn":null},`) });
    await expectRefused('bad-signature');
    // An earlier, genuine answer to another question is served again.
    const earlier = proxy.seen.at(-1) as SyncResponse;
    proxy.rewrite = () => earlier;
    await expectRefused('other-challenge');
    // A genuine answer about another VA (va-anna, whose training is fine) is served for Cleo.
    const about = start({ userData: mkdtempSync(path.join(dir, 'about-')), who: { identity: va('va-anna') } });
    proxy.rewrite = null;
    await about.gate.refresh();
    about.stop();
    const annas = proxy.seen.at(-1) as SyncResponse;
    proxy.rewrite = () => annas;
    await expectRefused('other-subject');
    proxy.rewrite = null;
    // Apps closed once for want of a status, whatever the number of refusals.
    expect(types(cordon.audit).filter((t) => t.startsWith('training.closed'))).toEqual(['training.closed training-unknown']);
    cordon.stop();
    // A device whose policy names another collector key believes nothing this collector signs.
    const stranger = start({ userData: mkdtempSync(path.join(dir, 'stranger-')), who, key: generateKeyPairSync('ed25519').publicKey.export({ format: 'pem', type: 'spki' }).toString() });
    await stranger.gate.refresh();
    expect(types(stranger.audit)).toEqual(['training.status-refused bad-signature', 'training.closed training-unknown']);
    expect(stranger.gate.input()).toEqual({ state: 'unknown' });
    stranger.stop();
  });

  it('without a way to ask (no collector key), training cannot be confirmed: closed; signed out, nothing is judged', () => {
    const who = { identity: va('va-anna') as Identity | null };
    const cordon = start({ userData: mkdtempSync(path.join(dir, 'nokey-')), who, key: 'not a key' });
    expect(cordon.gate.input()).toEqual({ state: 'unknown' });
    who.identity = null;
    expect(cordon.gate.input()).toEqual({ state: 'not-configured' });
    cordon.stop();
  });
});
