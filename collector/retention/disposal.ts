// One disposal run: everything past its retention period and under no legal hold is deleted,
// each part in one transaction with its signed disposal record, then erased from the database
// files (secureErase.ts). Device events go per device as a prefix of its chain, so what is
// kept still verifies from a collector-signed anchor (retentionAnchors.ts):
// - an event is past its period when the collector received it before the cutoff (the
//   collector's own clock: a device cannot date its events into early disposal);
// - the prefix stops at the first event a legal hold covers, and never ends inside a VA
//   session (a session is kept or disposed whole, so the console never shows half of one);
// - a device's newest stored event is always kept, so its chain goes on from a stored event.
// The console access log goes the same way (by entry time), and is kept whole while any
// legal hold is active. Alerts go by their last occurrence or handling (open ones never),
// reviews by the time of the review.
import type { Kysely } from 'kysely';
import type { RetentionConfig, RetentionPeriod } from '../collectorConfig';
import { describePeriod, periodCutoff } from '../collectorConfig';
import type { CollectorKey } from '../console/accessLog';
import type { CollectorDatabase } from '../database';
import type { StorageKind } from '../migrations/collectorMigrations';
import { ACCESS_LOG_CHAIN, deviceChain } from './anchorMessage';
import { appendDisposalRecord, type DisposalRule } from './disposalRecords';
import { newRunResult, type BlockedDisposal, type DisposalRunResult } from './disposalResult';
import { activeHolds, type LegalHold } from './legalHolds';
import { allAnchors, moveAnchor, readAnchor } from './retentionAnchors';
import { endTurn, LEASE_HOLDER, takeTurn } from './retentionSchedule';
import { retentionDatabase, type RetentionDatabase } from './retentionTables';
import { eraseDeleted, startSecureDelete } from './secureErase';

export interface DisposalDependencies {
  db: Kysely<CollectorDatabase>;
  storage: StorageKind;
  /** Signs the disposal records and anchors. */
  key: CollectorKey;
}

export interface DisposalOptions {
  now: number;
  /** `automatic`, `command line (<login>)`, or a console user. */
  by: string;
  /** Say what would be disposed; change nothing. */
  dryRun?: boolean;
  /** Automatic runs: act only when the last run (any collector's) started at least this long ago. */
  dueEveryMs?: number;
}

export type RetentionPeriods = Pick<RetentionConfig, 'events' | 'alerts' | 'reviews' | 'accessLog'>;

/** Ids per IN list: far below both engines' bound-parameter limits. */
const ID_CHUNK = 500;
const ACCESS_LOG_SCAN = 1000;

/** Another run moved the anchor between planning and deleting: this device's part is rolled back. */
class AnchorMoved extends Error {}

interface Holds {
  all: LegalHold[];
  users: Map<string, number[]>;
  devices: Map<string, number[]>;
}

async function loadHolds(db: Kysely<CollectorDatabase>): Promise<Holds> {
  const all = await activeHolds(db);
  const byTarget = (kind: LegalHold['kind']) => {
    const map = new Map<string, number[]>();
    for (const hold of all) if (hold.kind === kind) map.set(hold.target, [...(map.get(hold.target) ?? []), hold.id]);
    return map;
  };
  return { all, users: byTarget('user'), devices: byTarget('device') };
}

function rule(period: RetentionPeriod, now: number, basis: DisposalRule['basis']): DisposalRule {
  return { period: describePeriod(period), cutoff: new Date(periodCutoff(period, now)).toISOString(), basis };
}

function chunks<T>(items: readonly T[]): T[][] {
  return Array.from({ length: Math.ceil(items.length / ID_CHUNK) }, (_, i) => items.slice(i * ID_CHUNK, (i + 1) * ID_CHUNK));
}

/** Whether a rule alert's subject key (`user:<subject>` with an optional `|…` counter suffix) names a held VA. */
function heldUserOf(subjectKey: string | null, users: ReadonlyMap<string, number[]>): number[] | null {
  if (subjectKey?.startsWith('user:') !== true) return null;
  for (const [subject, ids] of users) if (subjectKey === `user:${subject}` || subjectKey.startsWith(`user:${subject}|`)) return ids;
  return null;
}

interface PrefixPlan {
  from: number;
  to: number;
  blocked: BlockedDisposal | null;
}

/** The prefix of a device's chain that may go, and the hold that stopped it short, if any. */
async function planDevice(db: Kysely<RetentionDatabase>, deviceId: string, anchorSeq: number, cutoff: number, holds: Holds): Promise<PrefixPlan | null> {
  const from = anchorSeq + 1;
  const newest = await db.selectFrom('events').select((eb) => eb.fn.max('seq').as('seq')).where('device_id', '=', deviceId).executeTakeFirst();
  if (newest?.seq === null || newest?.seq === undefined) return null;
  const fresh = await db.selectFrom('events').select('seq').where('device_id', '=', deviceId).where('seq', '>=', from).where('received_at', '>=', cutoff).orderBy('seq').limit(1).executeTakeFirst();
  let to = Math.min(fresh === undefined ? Number(newest.seq) : Number(fresh.seq) - 1, Number(newest.seq) - 1);
  if (to < from) return null;

  let blocked: BlockedDisposal | null = null;
  const deviceHolds = holds.devices.get(deviceId);
  if (deviceHolds !== undefined) {
    return { from, to: from - 1, blocked: { what: 'events', deviceId, holdIds: deviceHolds, detail: `events ${from}..${to} of device ${deviceId} are past their retention period; the device is on hold` } };
  }
  const subjects = [...holds.users.keys()];
  if (subjects.length > 0) {
    const heldSessions = db.selectFrom('sessions').select('code').where('device_id', '=', deviceId).where('subject', 'in', subjects);
    const held = await db
      .selectFrom('events')
      .select(['seq', 'subject', 'session_code'])
      .where('device_id', '=', deviceId)
      .where('seq', '>=', from)
      .where('seq', '<=', to)
      .where((eb) => eb.or([eb('subject', 'in', subjects), eb('session_code', 'in', heldSessions)]))
      .orderBy('seq')
      .limit(1)
      .executeTakeFirst();
    if (held !== undefined) {
      const session = held.session_code === null ? undefined : await db.selectFrom('sessions').select('subject').where('device_id', '=', deviceId).where('code', '=', held.session_code).executeTakeFirst();
      const holdIds = new Set([held.subject, session?.subject].flatMap((s) => (s === null || s === undefined ? [] : (holds.users.get(s) ?? []))));
      blocked = { what: 'events', deviceId, holdIds: [...holdIds].sort((a, b) => a - b), detail: `events ${held.seq}..${to} of device ${deviceId} are past their retention period; event ${held.seq} is the held VA's` };
      to = Number(held.seq) - 1;
    }
  }
  // Never end inside a session: stop before the first session the cut would split.
  for (;;) {
    const split = await db
      .selectFrom('sessions')
      .select((eb) => eb.fn.min('first_seq').as('seq'))
      .where('device_id', '=', deviceId)
      .where('first_seq', '<=', to)
      .where('last_seq', '>', to)
      .executeTakeFirst();
    if (split?.seq === null || split?.seq === undefined) break;
    to = Number(split.seq) - 1;
  }
  return { from, to, blocked };
}

class Disposal {
  private readonly db: Kysely<RetentionDatabase>;
  private readonly result: DisposalRunResult;
  private readonly deleted = new Set<string>();

  constructor(
    private readonly deps: DisposalDependencies,
    private readonly periods: RetentionPeriods,
    private readonly options: DisposalOptions,
  ) {
    this.db = retentionDatabase(deps.db);
    this.result = newRunResult(options.by, options.now, options.dryRun === true);
  }

  private get now(): number {
    return this.options.now;
  }

  private get dryRun(): boolean {
    return this.options.dryRun === true;
  }

  async run(): Promise<DisposalRunResult> {
    const { db } = this.deps;
    if (!this.dryRun && !(await takeTurn(db, LEASE_HOLDER, this.now, this.options.dueEveryMs ?? null))) {
      return { ...this.result, skipped: this.options.dueEveryMs === undefined ? 'another disposal run is under way (another collector, or the command line)' : 'not due yet, or another collector is running it' };
    }
    try {
      if (!this.dryRun) await startSecureDelete(db, this.deps.storage);
      const holds = await loadHolds(db);
      await this.events(holds);
      await this.reviews(holds);
      await this.alerts(holds);
      await this.accessLog(holds);
    } catch (error) {
      this.result.error = error instanceof Error ? error.message : String(error);
    }
    try {
      if (this.deleted.size > 0) this.result.erased = await eraseDeleted(db, this.deps.storage, [...this.deleted].sort());
    } catch (error) {
      this.result.error ??= `the disposed rows were deleted but the database files were not rewritten: ${error instanceof Error ? error.message : String(error)}`;
    }
    this.result.finishedAt = new Date(this.now).toISOString();
    if (!this.dryRun) await endTurn(db, LEASE_HOLDER, this.now, this.result);
    return this.result;
  }

  private async events(holds: Holds): Promise<void> {
    const cutoff = periodCutoff(this.periods.events, this.now);
    const reviewsCutoff = periodCutoff(this.periods.reviews, this.now);
    const devices = await this.db.selectFrom('devices').select('device_id').orderBy('device_id').execute();
    for (const { device_id: deviceId } of devices) {
      const anchor = await readAnchor(this.deps.db, deviceChain(deviceId));
      const plan = await planDevice(this.db, deviceId, anchor?.seq ?? 0, cutoff, holds);
      if (plan === null) continue;
      if (plan.blocked !== null) this.result.blocked.push(plan.blocked);
      if (plan.to < plan.from) continue;
      if (this.dryRun) {
        const row = await this.db.selectFrom('events').select((eb) => eb.fn.countAll<number>().as('n')).where('device_id', '=', deviceId).where('seq', '<=', plan.to).executeTakeFirstOrThrow();
        this.result.events.push({ deviceId, from: plan.from, to: plan.to, count: Number(row.n), recordSeq: null });
        continue;
      }
      try {
        this.result.events.push(await this.disposeEvents(deviceId, plan, anchor?.seq ?? null, reviewsCutoff));
      } catch (error) {
        if (!(error instanceof AnchorMoved)) throw error;
      }
      for (const table of ['events', 'checkpoints', 'sessions', 'session_apps', 'rule_hits']) this.deleted.add(table);
    }
  }

  private disposeEvents(deviceId: string, plan: PrefixPlan, previousAnchor: number | null, reviewsCutoff: number): Promise<DisposalRunResult['events'][number]> {
    const { from, to } = plan;
    return this.deps.db.transaction().execute(async (tx) => {
      const trx = retentionDatabase(tx);
      const ends = await trx.selectFrom('events').select(['seq', 'link']).where('device_id', '=', deviceId).where('seq', 'in', [to, to + 1]).orderBy('seq').execute();
      const [last, firstKept] = ends;
      if (last === undefined || firstKept === undefined || Number(last.seq) !== to) throw new Error(`device ${deviceId}'s events ${to} and ${to + 1} are not both stored: its chain has a gap, so nothing was disposed`);
      const deleted = await trx.deleteFrom('events').where('device_id', '=', deviceId).where('seq', '<=', to).executeTakeFirst();
      await trx.deleteFrom('checkpoints').where('device_id', '=', deviceId).where('seq', '<=', to).execute();
      await trx.deleteFrom('rule_hits').where('device_id', '=', deviceId).where('seq', '<=', to).execute();
      // Sessions whose events are all gone go too, unless their review is still kept.
      const gone = (qb: Kysely<RetentionDatabase>) =>
        qb
          .selectFrom('sessions')
          .select('code')
          .where('device_id', '=', deviceId)
          .where('last_seq', '<=', to)
          .where((eb) => eb.or([eb('reviewed_at', 'is', null), eb('reviewed_at', '<', reviewsCutoff)]));
      await trx.deleteFrom('session_apps').where('device_id', '=', deviceId).where('code', 'in', gone(trx)).execute();
      await trx.deleteFrom('sessions').where('device_id', '=', deviceId).where('code', 'in', gone(trx)).execute();
      const count = Number(deleted.numDeletedRows);
      const recordSeq = await appendDisposalRecord(
        tx,
        this.deps.key,
        { what: 'events', by: this.options.by, deviceId, from, to, count, lastDisposedLink: last.link, firstKept: { seq: Number(firstKept.seq), link: firstKept.link }, rule: rule(this.periods.events, this.now, 'received') },
        this.now,
      );
      if (!(await moveAnchor(tx, this.deps.key, { chain: deviceChain(deviceId), seq: to, link: last.link, recordSeq, at: this.now }, previousAnchor))) throw new AnchorMoved();
      return { deviceId, from, to, count, recordSeq };
    });
  }

  /** Reviews past their period: sessions whose events are gone are removed, others lose the mark. */
  private async reviews(holds: Holds): Promise<void> {
    const cutoff = periodCutoff(this.periods.reviews, this.now);
    const rows = await this.db.selectFrom('sessions').select(['device_id', 'code', 'subject', 'last_seq']).where('reviewed_at', 'is not', null).where('reviewed_at', '<', cutoff).execute();
    const remove: typeof rows = [];
    const clear: typeof rows = [];
    const heldBy = new Map<string, { deviceId: string; holdIds: Set<number>; count: number }>();
    const anchors = await allAnchors(this.deps.db);
    for (const row of rows) {
      const holdIds = [...(holds.devices.get(row.device_id) ?? []), ...(row.subject === null ? [] : (holds.users.get(row.subject) ?? []))];
      if (holdIds.length > 0) {
        const entry = heldBy.get(row.device_id) ?? { deviceId: row.device_id, holdIds: new Set<number>(), count: 0 };
        for (const id of holdIds) entry.holdIds.add(id);
        entry.count += 1;
        heldBy.set(row.device_id, entry);
        continue;
      }
      (Number(row.last_seq) <= (anchors.get(deviceChain(row.device_id))?.seq ?? 0) ? remove : clear).push(row);
    }
    for (const held of heldBy.values()) {
      this.result.blocked.push({ what: 'reviews', deviceId: held.deviceId, holdIds: [...held.holdIds].sort((a, b) => a - b), detail: `${held.count} review${held.count === 1 ? '' : 's'} of sessions on device ${held.deviceId} past the retention period` });
    }
    if (remove.length + clear.length === 0) return;
    if (this.dryRun) {
      this.result.reviews = { removed: remove.length, cleared: clear.length, recordSeq: null };
      return;
    }
    this.result.reviews = await this.deps.db.transaction().execute(async (tx) => {
      const trx = retentionDatabase(tx);
      for (const s of remove) {
        await trx.deleteFrom('session_apps').where('device_id', '=', s.device_id).where('code', '=', s.code).execute();
        await trx.deleteFrom('sessions').where('device_id', '=', s.device_id).where('code', '=', s.code).execute();
      }
      for (const s of clear) {
        await trx.updateTable('sessions').set({ review_status: 'not-reviewed', review_note: null, reviewed_by: null, reviewed_at: null }).where('device_id', '=', s.device_id).where('code', '=', s.code).execute();
      }
      const recordSeq = await appendDisposalRecord(tx, this.deps.key, { what: 'reviews', by: this.options.by, removed: remove.length, cleared: clear.length, rule: rule(this.periods.reviews, this.now, 'reviewed') }, this.now);
      return { removed: remove.length, cleared: clear.length, recordSeq };
    });
    for (const table of ['sessions', 'session_apps']) this.deleted.add(table);
  }

  /** Handled alerts whose last occurrence and handling are past the period; open alerts stay. */
  private async alerts(holds: Holds): Promise<void> {
    const cutoff = periodCutoff(this.periods.alerts, this.now);
    const rows = await this.db
      .selectFrom('alerts')
      .select(['id', 'device_id', 'subject_key', 'last_detected_at', 'handled_at'])
      .where('status', '!=', 'open')
      .where('detected_at', '<', cutoff)
      .orderBy('id')
      .execute();
    const due: number[] = [];
    const heldIds = new Set<number>();
    let heldCount = 0;
    for (const row of rows) {
      if (Math.max(Number(row.last_detected_at ?? 0), Number(row.handled_at ?? 0)) >= cutoff) continue;
      const holdIds = [...((row.device_id === null ? undefined : holds.devices.get(row.device_id)) ?? []), ...(heldUserOf(row.subject_key, holds.users) ?? [])];
      if (holdIds.length === 0) {
        due.push(Number(row.id));
        continue;
      }
      heldCount += 1;
      for (const id of holdIds) heldIds.add(id);
    }
    if (heldCount > 0) this.result.blocked.push({ what: 'alerts', deviceId: null, holdIds: [...heldIds].sort((a, b) => a - b), detail: `${heldCount} handled alert${heldCount === 1 ? '' : 's'} past the retention period about held devices or VAs` });
    if (due.length === 0) return;
    if (this.dryRun) {
      this.result.alerts = { count: due.length, recordSeq: null };
      return;
    }
    this.result.alerts = await this.deps.db.transaction().execute(async (tx) => {
      const trx = retentionDatabase(tx);
      for (const ids of chunks(due)) {
        await trx.deleteFrom('notification_outbox').where('alert_id', 'in', ids).execute();
        await trx.deleteFrom('alerts').where('id', 'in', ids).execute();
      }
      const recordSeq = await appendDisposalRecord(tx, this.deps.key, { what: 'alerts', by: this.options.by, count: due.length, ids: [due[0] as number, due.at(-1) as number], rule: rule(this.periods.alerts, this.now, 'activity') }, this.now);
      return { count: due.length, recordSeq };
    });
    for (const table of ['alerts', 'notification_outbox']) this.deleted.add(table);
  }

  /** The access log's oldest entries, as a prefix (its newest entry always stays: the next one chains from it). */
  private async accessLog(holds: Holds): Promise<void> {
    const cutoff = periodCutoff(this.periods.accessLog, this.now);
    const anchor = await readAnchor(this.deps.db, ACCESS_LOG_CHAIN);
    const from = (anchor?.seq ?? 0) + 1;
    const newest = await this.db.selectFrom('access_log').select((eb) => eb.fn.max('seq').as('seq')).executeTakeFirst();
    if (newest?.seq === null || newest?.seq === undefined) return;
    let to = from - 1;
    for (let scanned = true; scanned; ) {
      const rows = await this.db.selectFrom('access_log').select(['seq', 'body']).where('seq', '>', to).where('seq', '<', Number(newest.seq)).orderBy('seq').limit(ACCESS_LOG_SCAN).execute();
      scanned = rows.length === ACCESS_LOG_SCAN;
      for (const row of rows) {
        const at = Date.parse(String((JSON.parse(row.body) as { at?: unknown }).at));
        if (!(at < cutoff) || Number(row.seq) !== to + 1) {
          scanned = false;
          break;
        }
        to = Number(row.seq);
      }
    }
    if (to < from) return;
    if (holds.all.length > 0) {
      this.result.blocked.push({ what: 'access-log', deviceId: null, holdIds: holds.all.map((h) => h.id), detail: `access log entries ${from}..${to} are past the retention period; the access log is kept whole while a legal hold is active` });
      return;
    }
    if (this.dryRun) {
      this.result.accessLog = { from, to, count: to - from + 1, recordSeq: null };
      return;
    }
    this.result.accessLog = await this.deps.db.transaction().execute(async (tx) => {
      const trx = retentionDatabase(tx);
      const ends = await trx.selectFrom('access_log').select(['seq', 'link']).where('seq', 'in', [to, to + 1]).orderBy('seq').execute();
      const [last, firstKept] = ends as [{ seq: number; link: string }, { seq: number; link: string }];
      const deleted = await trx.deleteFrom('access_log').where('seq', '<=', to).executeTakeFirst();
      const count = Number(deleted.numDeletedRows);
      const recordSeq = await appendDisposalRecord(
        tx,
        this.deps.key,
        { what: 'access-log', by: this.options.by, from, to, count, lastDisposedLink: last.link, firstKept: { seq: Number(firstKept.seq), link: firstKept.link }, rule: rule(this.periods.accessLog, this.now, 'logged') },
        this.now,
      );
      if (!(await moveAnchor(tx, this.deps.key, { chain: ACCESS_LOG_CHAIN, seq: to, link: last.link, recordSeq, at: this.now }, anchor?.seq ?? null))) throw new AnchorMoved();
      return { from, to, count, recordSeq };
    });
    this.deleted.add('access_log');
  }
}

/** Runs disposal once (taking the turn unless it is a dry run) and returns what it did. */
export function runDisposal(deps: DisposalDependencies, periods: RetentionPeriods, options: DisposalOptions): Promise<DisposalRunResult> {
  return new Disposal(deps, periods, options).run();
}
