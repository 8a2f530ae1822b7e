// The queries alert rules make, over the collector's database (the tables of migration
// 0005 are declared here, beside the only code that uses them). Deduplication is the
// database's: a unique index allows one open alert per rule, subject and window, so
// collectors sharing a PostgreSQL never open two.
import { sql, type Kysely } from 'kysely';
import type { AlertDraft, AlertSeverity } from '../alerts';
import type { CollectorDatabase } from '../database';
import type { RuleId } from './rulesSchema';

interface RuleHitsTable {
  rule: string;
  subject_key: string;
  /** When the event happened (the device's clock). */
  at: number;
  received_at: number;
  device_id: string;
  seq: number;
}

interface RuleAlertColumns {
  subject_key: string | null;
  window_start: number | null;
  severity: AlertSeverity | null;
}

export type RulesDatabase = CollectorDatabase & { rule_hits: RuleHitsTable; alerts: RuleAlertColumns };

export interface Hit {
  rule: RuleId;
  subjectKey: string;
  at: number;
  deviceId: string;
  seq: number;
}

/** A rule's finding, before storage folds it into the open alert of its subject and window. */
export interface RuleAlertDraft {
  rule: RuleId;
  severity: AlertSeverity;
  /** `user:<IdP subject>` or `device:<id>`, with a suffix where one subject has several counters. */
  subjectKey: string;
  /** The VA's IdP subject, when the alert is about a person. */
  subject: string | null;
  /** Start of the dedup window (epoch ms): a burst's bucket, the practice's day, a silence's start. */
  windowStart: number;
  deviceId: string | null;
  seq: number | null;
  detail: string;
  /** How many findings this draft stands for. */
  occurrences: number;
}

/** An alert row that did not exist before: what notifications announce. */
export interface OpenedAlert {
  id: number;
  kind: string;
  severity: AlertSeverity;
  deviceId: string | null;
  subject: string | null;
  detectedAt: number;
  detail: string;
}

// Literal, not a bound parameter: PostgreSQL matches an ON CONFLICT target to a partial
// index only when it can prove the predicates equal while parsing.
const OPEN = sql<boolean>`status = 'open'`;

export class RuleStore {
  private constructor(private readonly db: Kysely<RulesDatabase>) {}

  static over(db: Kysely<CollectorDatabase>): RuleStore {
    return new RuleStore(db.withTables<{ rule_hits: RuleHitsTable; alerts: RuleAlertColumns }>());
  }

  /** All of a batch's rule writes in one transaction: one commit (one fsync on SQLite) instead of one per finding. */
  transaction<T>(work: (store: RuleStore) => Promise<T>): Promise<T> {
    return this.db.transaction().execute((trx) => work(new RuleStore(trx)));
  }

  async addHits(hits: readonly Hit[], now: number): Promise<void> {
    if (hits.length === 0) return;
    await this.db
      .insertInto('rule_hits')
      .values(hits.map((h) => ({ rule: h.rule, subject_key: h.subjectKey, at: h.at, received_at: now, device_id: h.deviceId, seq: h.seq })))
      .onConflict((oc) => oc.columns(['device_id', 'seq', 'rule']).doNothing())
      .execute();
  }

  /** For each range, the times of its subject's hits for its rule in [from, to], oldest first: one query for a batch. */
  async hitTimes(ranges: readonly { rule: RuleId; subjectKey: string; from: number; to: number }[]): Promise<number[][]> {
    if (ranges.length === 0) return [];
    const rows = await this.db
      .selectFrom('rule_hits')
      .select(['rule', 'subject_key', 'at'])
      .where((eb) => eb.or(ranges.map((r) => eb.and([eb('rule', '=', r.rule), eb('subject_key', '=', r.subjectKey), eb('at', '>=', r.from), eb('at', '<=', r.to)]))))
      .orderBy('at')
      .execute();
    return ranges.map((r) => rows.filter((row) => row.rule === r.rule && row.subject_key === r.subjectKey && Number(row.at) >= r.from && Number(row.at) <= r.to).map((row) => Number(row.at)));
  }

  /** Forgets hits no window can reach any more. */
  async purgeHits(receivedBefore: number): Promise<void> {
    await this.db.deleteFrom('rule_hits').where('received_at', '<', receivedBefore).execute();
  }

  /**
   * Opens each draft's alert, or counts its occurrences on the open one of its rule,
   * subject and window, in one statement (drafts must differ in rule, subject or window).
   * Returns the alerts this call opened.
   */
  async raise(drafts: readonly RuleAlertDraft[], now: number): Promise<OpenedAlert[]> {
    if (drafts.length === 0) return [];
    const rows = await this.db
      .insertInto('alerts')
      .values(drafts.map((d) => this.values(d, now)))
      .onConflict((oc) =>
        oc
          .columns(['kind', 'subject_key', 'window_start'])
          .where(OPEN)
          .doUpdateSet((eb) => ({ occurrences: eb(eb.ref('alerts.occurrences'), '+', eb.ref('excluded.occurrences')), last_detected_at: now })),
      )
      .returning(['id', 'kind', 'subject_key', 'window_start', 'occurrences'])
      .execute();
    return drafts.flatMap((draft) => {
      const row = rows.find((r) => r.kind === draft.rule && r.subject_key === draft.subjectKey && Number(r.window_start) === draft.windowStart);
      // Inserted rows carry exactly the draft's count; an updated one had at least one before.
      return row !== undefined && Number(row.occurrences) === draft.occurrences ? [this.opened(Number(row.id), draft, now)] : [];
    });
  }

  /**
   * Opens the alert unless one for its rule, subject and window exists in any state: for
   * conditions a timer sees again on every tick (a silence), so that one a supervisor
   * resolved stays resolved until the condition starts anew.
   */
  async raiseOnce(draft: RuleAlertDraft, now: number): Promise<OpenedAlert | null> {
    const seen = await this.db.selectFrom('alerts').select('id').where('kind', '=', draft.rule).where('subject_key', '=', draft.subjectKey).where('window_start', '=', draft.windowStart).limit(1).executeTakeFirst();
    if (seen !== undefined) return null;
    const row = await this.db
      .insertInto('alerts')
      .values(this.values(draft, now))
      .onConflict((oc) => oc.columns(['kind', 'subject_key', 'window_start']).where(OPEN).doNothing())
      .returning('id')
      .executeTakeFirst();
    return row === undefined ? null : this.opened(Number(row.id), draft, now);
  }

  private values(draft: RuleAlertDraft, now: number) {
    return {
      device_id: draft.deviceId,
      kind: draft.rule,
      seq: draft.seq,
      detected_at: now,
      detail: draft.detail,
      source_address: null,
      last_detected_at: null,
      occurrences: draft.occurrences,
      subject_key: draft.subjectKey,
      window_start: draft.windowStart,
      severity: draft.severity,
    };
  }

  private opened(id: number, draft: RuleAlertDraft, now: number): OpenedAlert {
    return { id, kind: draft.rule, severity: draft.severity, deviceId: draft.deviceId, subject: draft.subject, detectedAt: now, detail: draft.detail };
  }

  /**
   * The chain alert collectorStore.addAlert just stored at `now`, when it stored a new row
   * (a folded repeat has last_detected_at set): its id, for its notification.
   */
  async newChainAlertId(alert: AlertDraft, now: number, sourceAddress: string | null): Promise<number | null> {
    const row = await this.db
      .selectFrom('alerts')
      .select('id')
      .where('kind', '=', alert.kind)
      .where('detected_at', '=', now)
      .where('last_detected_at', 'is', null)
      .where('device_id', alert.deviceId === null ? 'is' : '=', alert.deviceId)
      .where('source_address', sourceAddress === null ? 'is' : '=', sourceAddress)
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row === undefined ? null : Number(row.id);
  }

  /** Whether `subject` signed in on this device before, in a session other than `code`. */
  async userKnowsDevice(subject: string, deviceId: string, code: string): Promise<boolean> {
    const row = await this.db.selectFrom('sessions').select('code').where('subject', '=', subject).where('device_id', '=', deviceId).where('code', '!=', code).limit(1).executeTakeFirst();
    return row !== undefined;
  }

  /** Whether `subject` has any session on another device. */
  async userSeenElsewhere(subject: string, deviceId: string): Promise<boolean> {
    const row = await this.db.selectFrom('sessions').select('code').where('subject', '=', subject).where('device_id', '!=', deviceId).limit(1).executeTakeFirst();
    return row !== undefined;
  }

  /** Who started sessions on a device between two times. */
  async deviceSessions(deviceId: string, from: number, to: number): Promise<{ subject: string; startedAt: number }[]> {
    const rows = await this.db.selectFrom('sessions').select(['subject', 'started_at']).where('device_id', '=', deviceId).where('started_at', '>=', from).where('started_at', '<=', to).where('subject', 'is not', null).execute();
    return rows.map((r) => ({ subject: r.subject as string, startedAt: Number(r.started_at) }));
  }

  /**
   * Devices not heard from since before `cutoff` whose latest session never ended, and
   * that have no device-silent alert for this silence (it starts at their last sync) yet.
   */
  async silentDevicesMidSession(cutoff: number): Promise<{ deviceId: string; lastSeenAt: number; headSeq: number }[]> {
    const rows = await this.db
      .selectFrom('devices as d')
      .select(['d.device_id', 'd.last_seen_at', 'd.acknowledged_seq'])
      .where('d.last_seen_at', '<', cutoff)
      .where((eb) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom('alerts as a')
              .select('a.id')
              .where('a.kind', '=', 'device-silent')
              .whereRef('a.window_start', '=', 'd.last_seen_at')
              .where(sql<boolean>`a.subject_key = 'device:' || d.device_id`),
          ),
        ),
      )
      .where((eb) =>
        eb(
          eb.selectFrom('sessions as s').select('s.ended_at').whereRef('s.device_id', '=', 'd.device_id').orderBy('s.last_event_at', 'desc').limit(1),
          'is',
          null,
        ),
      )
      .where((eb) => eb.exists(eb.selectFrom('sessions as s').select('s.code').whereRef('s.device_id', '=', 'd.device_id')))
      .execute();
    return rows.map((r) => ({ deviceId: r.device_id, lastSeenAt: Number(r.last_seen_at), headSeq: Number(r.acknowledged_seq) }));
  }
}
