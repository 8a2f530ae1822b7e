// What one verified batch means to the alert rules, decided without storage: the events
// that windowed rules count (hits), the findings a single event is enough for (drafts),
// and the sign-ins that rules about devices and users look up further. Details carry
// ids, codes and counts, never event content beyond the catalog's codes.
import type { AlertSeverity } from '../alerts';
import type { VerifiedEvent } from '../ingestVerifier';
import { dayKey, inWorkingHours, localTime } from './practiceTime';
import type { Hit, RuleAlertDraft } from './ruleStore';
import { BURST_KINDS, type BurstKind, type RuleId, type RulesFile } from './rulesSchema';

export interface RuleEvent {
  seq: number;
  type: string;
  outcome: string;
  recordedAt: number;
  reason?: string;
  appId?: string;
  subject?: string;
  session?: string;
}

/**
 * A canonical body's type without parsing it: in canonical JSON the only unescaped
 * `"type":"` is the key itself (quotes inside values are escaped), and types have no quotes.
 */
function typeOf(body: string): string {
  const start = body.indexOf('"type":"') + '"type":"'.length;
  return body.slice(start, body.indexOf('"', start));
}

/** The fields ingest verified (the body is not parsed again). */
function parse(event: VerifiedEvent): RuleEvent {
  const { fields } = event;
  return { ...fields, seq: event.seq, recordedAt: Date.parse(fields.recordedAt) };
}

export const userKey = (subject: string) => `user:${subject}`;
export const deviceKey = (deviceId: string) => `device:${deviceId}`;

/** Whom an event is about: the signed-in VA, or the device when nobody was signed in. */
function subjectKeyOf(event: RuleEvent, deviceId: string): string {
  return event.subject === undefined ? deviceKey(deviceId) : userKey(event.subject);
}

/** A rule that fires when `count` of its hits fall within `windowMs` for one subject. */
export interface WindowedRule {
  rule: RuleId;
  severity: AlertSeverity;
  count: number;
  windowMs: number;
  describe(seen: number, subjectKey: string): string;
}

export interface BatchFindings {
  /** `label`: whom the hit is about, as details name it (the key may add a counter's name). */
  hits: { hit: Hit; rule: WindowedRule; label: string }[];
  drafts: RuleAlertDraft[];
  /** Successful sign-ins with a user and session, for the rules that need stored sessions. */
  signIns: RuleEvent[];
}

function windowedRules(config: RulesFile['rules']): { burst: Map<BurstKind, WindowedRule>; failed: WindowedRule | null; idle: WindowedRule | null } {
  const minutes = (m: number) => m * 60_000;
  const b = config['blocked-burst'];
  const burst = new Map<BurstKind, WindowedRule>(
    b.enabled
      ? b.kinds.map((kind) => [kind, { rule: 'blocked-burst', severity: b.severity, count: b.count, windowMs: minutes(b.withinMinutes), describe: (seen, key) => `${seen} blocked ${kind} attempts by ${key} within ${b.withinMinutes} min (threshold ${b.count})` }])
      : [],
  );
  const f = config['failed-sign-ins'];
  const i = config['idle-locks'];
  return {
    burst,
    failed: f.enabled ? { rule: 'failed-sign-ins', severity: f.severity, count: f.count, windowMs: minutes(f.withinMinutes), describe: (seen, key) => `${seen} refused sign-ins or MFA checks on ${key} within ${f.withinMinutes} min (threshold ${f.count})` } : null,
    idle: i.enabled ? { rule: 'idle-locks', severity: i.severity, count: i.count, windowMs: minutes(i.withinMinutes), describe: (seen, key) => `${seen} idle locks for ${key} within ${i.withinMinutes} min (threshold ${i.count})` } : null,
  };
}

type Handler = (event: RuleEvent, subjectKey: string, findings: BatchFindings, deviceId: string) => void;

/**
 * What each event type means to the rules, built from the config once per engine. Only
 * events of these types are parsed: most of a VA's events matter to no rule.
 */
function handlers(file: RulesFile): Map<string, Handler> {
  const { rules, practice } = file;
  const windowed = windowedRules(rules);
  const offHours = rules['off-hours-sign-in'];
  const queue = rules['queue-pressure'];
  const failed = rules['failed-sign-ins'];
  const day = (at: number) => dayKey(at, practice.timezone);
  const hit = (findings: BatchFindings, deviceId: string, rule: WindowedRule | null | undefined, event: RuleEvent, label: string, counter = '') => {
    if (rule != null) findings.hits.push({ rule, label, hit: { rule: rule.rule, subjectKey: `${label}${counter}`, at: event.recordedAt, deviceId, seq: event.seq } });
  };
  const draft = (findings: BatchFindings, deviceId: string, rule: RuleId, severity: AlertSeverity, event: RuleEvent, subjectKey: string, windowStart: number, detail: string) => {
    findings.drafts.push({ rule, severity, subjectKey, subject: subjectKey === deviceKey(deviceId) ? null : (event.subject ?? null), windowStart, deviceId, seq: event.seq, detail, occurrences: 1 });
  };
  const refused: Handler = (event, _subjectKey, findings, deviceId) => {
    if (!failed.ignoreReasons.includes(event.reason ?? '')) hit(findings, deviceId, windowed.failed, event, deviceKey(deviceId));
  };
  const table = new Map<string, Handler>([
    [
      'sign-in.succeeded',
      (event, subjectKey, findings, deviceId) => {
        if (event.subject === undefined) return;
        if (event.session !== undefined) findings.signIns.push(event);
        if (offHours?.enabled === true && !inWorkingHours(practice, event.subject, event.recordedAt)) {
          const zone = practice.users[event.subject]?.timezone ?? practice.timezone;
          const local = localTime(event.recordedAt, zone);
          const clock = `${String(Math.floor(local.minute / 60)).padStart(2, '0')}:${String(local.minute % 60).padStart(2, '0')}`;
          draft(findings, deviceId, 'off-hours-sign-in', offHours.severity, event, subjectKey, dayKey(event.recordedAt, zone), `${subjectKey} signed in at ${clock} on ${local.weekday} ${local.date} (${zone}), outside working hours`);
        }
      },
    ],
    ['sign-in.failed', refused],
    ['reauth.failed', refused],
    [
      'session.locked',
      (event, subjectKey, findings, deviceId) => {
        if (event.reason === 'idle') hit(findings, deviceId, windowed.idle, event, subjectKey);
      },
    ],
    [
      'capture.blocked',
      (event, subjectKey, findings, deviceId) => {
        const rule = rules['capture-tool'];
        if (rule.enabled && event.reason?.startsWith('process:') === true) draft(findings, deviceId, 'capture-tool', rule.severity, event, subjectKey, day(event.recordedAt), `capture tool detected (${event.reason}) for ${subjectKey}`);
      },
    ],
    [
      'watermark.tampered',
      (event, subjectKey, findings, deviceId) => {
        const rule = rules['watermark-tampering'];
        if (rule.enabled) draft(findings, deviceId, 'watermark-tampering', rule.severity, event, subjectKey, day(event.recordedAt), `watermark tampering in app ${event.appId ?? '(none)'} for ${subjectKey}${event.reason === undefined ? '' : ` (${event.reason})`}`);
      },
    ],
    [
      'audit.queue-pressure',
      (event, _subjectKey, findings, deviceId) => {
        const [level, count] = (event.reason ?? '').split(':');
        const reached = level === 'hard' || (level === 'soft' && queue.minLevel === 'soft');
        if (queue.enabled && reached) draft(findings, deviceId, 'queue-pressure', queue.severity, event, deviceKey(deviceId), day(event.recordedAt), `undelivered audit queue reached its ${level} limit (${count ?? '?'} events waiting)`);
      },
    ],
  ]);
  for (const [kind, rule] of windowed.burst) {
    table.set(BURST_KINDS[kind], (event, subjectKey, findings, deviceId) => {
      if (event.outcome === 'blocked') hit(findings, deviceId, rule, event, subjectKey, `|${kind}`);
    });
  }
  return table;
}

/** What a stored batch means to the rules; the handlers are built once per engine. */
export function batchMatcher(file: RulesFile): (deviceId: string, events: readonly VerifiedEvent[]) => BatchFindings {
  const table = handlers(file);
  return (deviceId, events) => {
    const findings: BatchFindings = { hits: [], drafts: [], signIns: [] };
    for (const chained of events) {
      const handle = table.get(typeOf(chained.body));
      if (handle === undefined) continue;
      const event = parse(chained);
      handle(event, subjectKeyOf(event, deviceId), findings, deviceId);
    }
    return findings;
  };
}

/** How many of the sorted `times` are at most `value`. */
function countAtMost(times: readonly number[], value: number): number {
  let low = 0;
  let high = times.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if ((times[mid] as number) <= value) low = mid + 1;
    else high = mid;
  }
  return low;
}

/**
 * The findings of one windowed rule for one subject: each of the batch's hits at which
 * `count` or more hits (stored ones included, `times` sorted) fall in the window ending
 * there. Findings in one dedup bucket (the window's length) become one draft.
 */
export function windowFindings(rule: WindowedRule, subject: { key: string; label: string }, batchHits: readonly Hit[], times: readonly number[]): RuleAlertDraft[] {
  const byBucket = new Map<number, RuleAlertDraft>();
  for (const hit of batchHits) {
    const seen = countAtMost(times, hit.at) - countAtMost(times, hit.at - rule.windowMs);
    if (seen < rule.count) continue;
    const windowStart = Math.floor(hit.at / rule.windowMs) * rule.windowMs;
    const existing = byBucket.get(windowStart);
    if (existing !== undefined) existing.occurrences += 1;
    else byBucket.set(windowStart, { rule: rule.rule, severity: rule.severity, subjectKey: subject.key, subject: subject.label.startsWith('user:') ? subject.label.slice('user:'.length) : null, windowStart, deviceId: hit.deviceId, seq: hit.seq, detail: rule.describe(seen, subject.label), occurrences: 1 });
  }
  return [...byBucket.values()];
}
