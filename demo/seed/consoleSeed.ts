// A few realistic VA sessions for the demo console, delivered through the collector's
// real verified ingest (signed requests, hash-chained batches) at the times they would
// have happened: the collector's clock is moved back while a batch goes in. Yesterday's
// session is an ordinary day; today's has an offline stretch delivered late, blocks and
// an idle lock; a second laptop's queue was edited (one tamper alert); a third laptop
// has not been heard from for three days. Events carry no PHI: app ids, origins, codes.
import { randomBytes } from 'node:crypto';
import type { RunningCollector } from '../../collector/collectorServer';
import type { ChainedEvent } from '../../common/audit/syncProtocol';
import { canonicalJson } from '../../common/policy/canonicalJson';
import { sessionCode } from '../../common/watermark/watermarkText';
import { TestDevice } from '../../test/unit/collector/collectorTestDevice';
import { DEMO_USERS } from '../idp/demoUsers';

/** The collector's notion of now, moved back in time while history is replayed. */
export class ReplayClock {
  private at: number | null = null;
  readonly now = (): number => this.at ?? Date.now();
  travelTo(ms: number | null): void {
    this.at = ms;
  }
}

export interface SeededSession {
  deviceId: string;
  deviceName: string;
  code: string;
  subject: string;
  startedAt: number;
}

export interface SeededDemo {
  sessions: SeededSession[];
  /** The session whose device later sent an edited copy of its history. */
  tampered: SeededSession;
  /** Today's session, with an offline stretch. */
  late: SeededSession;
}

const MIN = 60_000;
const HOUR = 60 * MIN;

/** A fresh code, made as the device makes them. */
const newSessionCode = () => sessionCode(randomBytes(5));

type Step = { at: number; type: string; outcome: 'success' | 'failure' | 'blocked'; appId?: string; origin?: string; reason?: string; inSession?: boolean };

class SeedDevice {
  readonly device: TestDevice;
  constructor(
    private readonly collector: RunningCollector,
    private readonly clock: ReplayClock,
    name: string,
  ) {
    this.device = new TestDevice(collector.url, name);
  }

  async enroll(at: number): Promise<void> {
    this.clock.travelTo(at);
    await this.device.enrollWithCode(this.collector);
  }

  record(steps: readonly Step[], session: { code: string; subject: string }): ChainedEvent[] {
    return steps.flatMap((step) =>
      this.device.record(1, () =>
        canonicalJson({
          type: step.type,
          outcome: step.outcome,
          recordedAt: new Date(step.at).toISOString(),
          appId: step.appId,
          origin: step.origin,
          reason: step.reason,
          ...(step.inSession === false ? {} : { subject: session.subject, session: session.code }),
        }),
      ),
    );
  }

  /** Sends events as the device would at `at` (signed with that time). */
  async deliver(events: ChainedEvent[], at: number): Promise<void> {
    this.clock.travelTo(at);
    const reply = await this.device.sendBatch(events, {}, { timestamp: new Date(at).toISOString() });
    if (reply.status !== 200) throw new Error(`seeding the demo console: the collector refused a batch (${reply.status} ${reply.text})`);
  }

  /** An online device: each event reaches the collector seconds after it happened. */
  async deliverLive(events: ChainedEvent[]): Promise<void> {
    for (const event of events) await this.deliver([event], Date.parse((JSON.parse(event.body) as { recordedAt: string }).recordedAt) + 20_000);
  }
}

/** A VA's working stretch: sign-in, both apps, a few refusals, an idle lock and its unlock. */
function workday(start: number, options: { signOutAfter: number | null }): Step[] {
  const at = (minutes: number) => start + minutes * MIN;
  const steps: Step[] = [
    { at: at(-1), type: 'app.started', outcome: 'success', reason: 'production 0.1.0', inSession: false },
    { at: at(0), type: 'sign-in.succeeded', outcome: 'success', reason: 'amr otp' },
    { at: at(1), type: 'app.opened', outcome: 'success', appId: 'ehr' },
    { at: at(4), type: 'app.opened', outcome: 'success', appId: 'messages' },
    { at: at(37), type: 'clipboard.blocked', outcome: 'blocked', appId: 'ehr', reason: 'copy-out-of-workspace' },
    { at: at(52), type: 'navigation.blocked', outcome: 'blocked', appId: 'messages', origin: 'https://files.example.net', reason: 'origin-not-approved' },
    { at: at(95), type: 'session.locked', outcome: 'success', reason: 'idle' },
    { at: at(104), type: 'reauth.succeeded', outcome: 'success', reason: 'amr otp' },
    { at: at(104), type: 'session.unlocked', outcome: 'success' },
    { at: at(131), type: 'print.blocked', outcome: 'blocked', appId: 'ehr', reason: 'printing-not-allowed' },
  ];
  if (options.signOutAfter !== null) steps.push({ at: at(options.signOutAfter), type: 'sign-out', outcome: 'success' });
  return steps;
}

export async function seedConsoleDemo(collector: RunningCollector, clock: ReplayClock, now = Date.now()): Promise<SeededDemo> {
  const valerie = DEMO_USERS.find((u) => u.username === 'valerie')?.subject ?? 'demo-va-0001';
  const sessions: SeededSession[] = [];
  try {
    // Valerie's laptop: yesterday's ordinary day, then today with an offline stretch.
    const laptop = new SeedDevice(collector, clock, 'VA-LT-014 (Valerie)');
    await laptop.enroll(now - 30 * HOUR);
    const yesterday = { code: newSessionCode(), subject: valerie, start: now - 26 * HOUR };
    const day1 = laptop.record(workday(yesterday.start, { signOutAfter: 420 }), yesterday);
    await laptop.deliverLive(day1);
    sessions.push({ deviceId: laptop.device.deviceId, deviceName: laptop.device.name, code: yesterday.code, subject: valerie, startedAt: yesterday.start });

    const today = { code: newSessionCode(), subject: valerie, start: now - 4 * HOUR };
    const day2 = laptop.record(workday(today.start, { signOutAfter: null }), today);
    // Live for the first hour; the Wi-Fi drops before the lock, and the rest arrives when it is back.
    await laptop.deliverLive(day2.slice(0, 6));
    await laptop.deliver(day2.slice(6), now - 10 * MIN);
    const late = { deviceId: laptop.device.deviceId, deviceName: laptop.device.name, code: today.code, subject: valerie, startedAt: today.start };
    sessions.push(late);

    // The front-desk laptop: a short morning session, then someone edited its local queue.
    const frontDesk = new SeedDevice(collector, clock, 'VA-LT-022 (front desk)');
    await frontDesk.enroll(now - 8 * HOUR);
    const morning = { code: newSessionCode(), subject: valerie, start: now - 6 * HOUR };
    const day3 = frontDesk.record(workday(morning.start, { signOutAfter: 140 }).slice(0, 6), morning);
    await frontDesk.deliverLive(day3);
    const edited = day3.map((e, i) => (i === 4 ? { ...e, body: e.body.replace('clipboard.blocked', 'app.closed').replace('"blocked"', '"success"') } : e));
    clock.travelTo(morning.start + 150 * MIN);
    const refused = await frontDesk.device.sendBatch(edited, {}, { timestamp: new Date(morning.start + 150 * MIN).toISOString() });
    if (refused.status !== 409) throw new Error(`seeding the demo console: an edited history was not refused (${refused.status})`);
    const tampered = { deviceId: frontDesk.device.deviceId, deviceName: frontDesk.device.name, code: morning.code, subject: valerie, startedAt: morning.start };
    sessions.push(tampered);

    // A spare laptop last heard from three days ago.
    const spare = new SeedDevice(collector, clock, 'VA-LT-009 (spare)');
    await spare.enroll(now - 80 * HOUR);
    const old = { code: newSessionCode(), subject: valerie, start: now - 75 * HOUR };
    await spare.deliverLive(spare.record(workday(old.start, { signOutAfter: 60 }).slice(0, 4), old));
    sessions.push({ deviceId: spare.device.deviceId, deviceName: spare.device.name, code: old.code, subject: valerie, startedAt: old.start });
    return { sessions, tampered, late };
  } finally {
    clock.travelTo(null);
  }
}
