// Runs the alert rules: on every stored batch (after its transaction, so the sessions it
// opened are visible), on a timer for what silence means, and on every chain alert the
// collector stores. Each finding is folded into the open alert of its rule, subject and
// window; an alert that opens is handed on to be announced (notifications).
import { atLeast, type AlertDraft } from '../alerts';
import { CollectorMetrics } from '../collectorMetrics';
import { alertSeverity } from '../console/alertSeverity';
import { batchMatcher, deviceKey, userKey, windowFindings, type BatchFindings, type RuleEvent } from './eventRules';
import { dayKey, localTime } from './practiceTime';
import type { OpenedAlert, RuleAlertDraft, RuleStore } from './ruleStore';
import type { RulesFile } from './rulesSchema';
import type { VerifiedEvent } from '../ingestVerifier';

const HOUR_MS = 3_600_000;
/** Sessions that can share a practice day with a sign-in, whatever the zone's offset. */
const DAY_REACH_MS = 27 * HOUR_MS;

/** Drafts of one rule, subject and window become one, with their occurrences added up. */
function fold(drafts: readonly RuleAlertDraft[]): RuleAlertDraft[] {
  const byKey = new Map<string, RuleAlertDraft>();
  for (const draft of drafts) {
    const key = JSON.stringify([draft.rule, draft.subjectKey, draft.windowStart]);
    const existing = byKey.get(key);
    if (existing === undefined) byKey.set(key, { ...draft });
    else existing.occurrences += draft.occurrences;
  }
  return [...byKey.values()];
}

export class RuleEngine {
  private readonly match: ReturnType<typeof batchMatcher>;
  /** Hits older than every window (plus an hour for late batches) are never counted again. */
  private readonly hitRetentionMs: number;

  constructor(
    private readonly file: RulesFile,
    private readonly store: RuleStore,
    private readonly announce: (alert: OpenedAlert) => Promise<void>,
    private readonly metrics: CollectorMetrics,
  ) {
    this.match = batchMatcher(file);
    const { rules } = file;
    this.hitRetentionMs = Math.max(rules['blocked-burst'].withinMinutes, rules['failed-sign-ins'].withinMinutes, rules['idle-locks'].withinMinutes) * 60_000 + HOUR_MS;
  }

  /** A verified batch was stored for `deviceId`. */
  async ingested(deviceId: string, events: readonly VerifiedEvent[], now: number): Promise<void> {
    const findings = this.match(deviceId, events);
    if (findings.hits.length + findings.drafts.length + findings.signIns.length === 0) return;
    const opened = await this.store.transaction(async (store) => {
      const drafts = [...findings.drafts, ...(await this.windowed(store, findings, now))];
      for (const signIn of findings.signIns) drafts.push(...(await this.signInFindings(store, deviceId, signIn)));
      return this.raise(store, fold(drafts), now, 'count');
    });
    for (const alert of opened) await this.announce(alert);
  }

  /** Windowed rules count stored hits too: a burst may straddle batches. */
  private async windowed(store: RuleStore, findings: BatchFindings, now: number): Promise<RuleAlertDraft[]> {
    if (findings.hits.length === 0) return [];
    await store.addHits(
      findings.hits.map((h) => h.hit),
      now,
    );
    const groups = new Map<string, BatchFindings['hits']>();
    for (const entry of findings.hits) {
      const key = JSON.stringify([entry.hit.rule, entry.hit.subjectKey]);
      groups.set(key, [...(groups.get(key) ?? []), entry]);
    }
    const ranges = [...groups.values()].map((group) => {
      const { rule, hit } = group[0] as BatchFindings['hits'][number];
      const ats = group.map((g) => g.hit.at);
      return { rule: hit.rule, subjectKey: hit.subjectKey, from: Math.min(...ats) - rule.windowMs, to: Math.max(...ats) };
    });
    const times = await store.hitTimes(ranges);
    return [...groups.values()].flatMap((group, i) => {
      const { rule, label, hit } = group[0] as BatchFindings['hits'][number];
      return windowFindings(rule, { key: hit.subjectKey, label }, group.map((g) => g.hit), times[i] ?? []);
    });
  }

  private async signInFindings(store: RuleStore, deviceId: string, signIn: RuleEvent): Promise<RuleAlertDraft[]> {
    const { rules, practice } = this.file;
    const subject = signIn.subject as string;
    const day = localTime(signIn.recordedAt, practice.timezone).date;
    const draft = (rule: 'new-device-for-user' | 'shared-device', about: string | null, detail: string): RuleAlertDraft => ({
      rule,
      severity: rules[rule].severity,
      subjectKey: about === null ? deviceKey(deviceId) : userKey(about),
      subject: about,
      windowStart: dayKey(signIn.recordedAt, practice.timezone),
      deviceId,
      seq: signIn.seq,
      detail,
      occurrences: 1,
    });
    const drafts: RuleAlertDraft[] = [];
    if (rules['new-device-for-user'].enabled && !(await store.userKnowsDevice(subject, deviceId, signIn.session as string)) && (await store.userSeenElsewhere(subject, deviceId))) {
      drafts.push(draft('new-device-for-user', subject, `${userKey(subject)} signed in on device ${deviceId} for the first time (known on other devices)`));
    }
    const shared = rules['shared-device'];
    if (shared.enabled) {
      const sessions = await store.deviceSessions(deviceId, signIn.recordedAt - DAY_REACH_MS, signIn.recordedAt + DAY_REACH_MS);
      const users = new Set([subject, ...sessions.filter((s) => localTime(s.startedAt, practice.timezone).date === day).map((s) => s.subject)]);
      if (users.size >= shared.minUsers) drafts.push(draft('shared-device', null, `${users.size} users signed in on this device on ${day} (${practice.timezone}; threshold ${shared.minUsers})`));
    }
    return drafts;
  }

  /** Stores the drafts; returns the alerts they opened, to announce once committed. */
  private async raise(store: RuleStore, drafts: readonly RuleAlertDraft[], now: number, mode: 'count' | 'once'): Promise<OpenedAlert[]> {
    for (const draft of drafts) CollectorMetrics.bump(this.metrics.ruleFindings, draft.rule);
    if (mode === 'count') return store.raise(drafts, now);
    const opened: OpenedAlert[] = [];
    for (const draft of drafts) {
      const alert = await store.raiseOnce(draft, now);
      if (alert !== null) opened.push(alert);
    }
    return opened;
  }

  /** What no batch can show: devices gone quiet in the middle of a session. */
  async tick(now: number): Promise<void> {
    const silent = this.file.rules['device-silent'];
    if (silent.enabled) {
      const drafts = (await this.store.silentDevicesMidSession(now - silent.afterHours * HOUR_MS)).map(
        (device): RuleAlertDraft => ({
          rule: 'device-silent',
          severity: silent.severity,
          subjectKey: deviceKey(device.deviceId),
          subject: null,
          windowStart: device.lastSeenAt,
          deviceId: device.deviceId,
          seq: device.headSeq,
          detail: `no sync for more than ${silent.afterHours} h (last at ${new Date(device.lastSeenAt).toISOString()}) while a session was open`,
          occurrences: 1,
        }),
      );
      for (const alert of await this.store.transaction((store) => this.raise(store, drafts, now, 'once'))) await this.announce(alert);
    }
    await this.store.purgeHits(now - this.hitRetentionMs);
  }

  /** collectorStore.addAlert stored `alert` at `now`: a new row is announced (a folded repeat is not). */
  async chainAlertStored(alert: AlertDraft, now: number, sourceAddress: string | null): Promise<void> {
    const chain = this.file.rules['chain-alerts'];
    const severity = alertSeverity(alert.kind);
    if (!chain.enabled || !atLeast(severity, chain.minSeverity)) return;
    const id = await this.store.newChainAlertId(alert, now, sourceAddress);
    if (id !== null) await this.announce({ id, kind: alert.kind, severity, deviceId: alert.deviceId, subject: null, detectedAt: now, detail: alert.detail });
  }
}
