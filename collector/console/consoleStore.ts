// The console's reads and its few writes (review marks, alert handling), over the same
// Kysely database as ingest. Every list is keyset-paged on an index (never OFFSET), so a
// page is as cheap with a million events as with ten thousand and stays stable while
// devices keep syncing.
import { sql, type Expression, type Kysely } from 'kysely';
import { GENESIS_LINK_HEX } from '../../common/audit/hashChain';
import type { AlertRow, AlertStatus, ChainStretch, ReviewStatus, SessionRow, TimelineEvent } from '../../common/console/consoleApi';
import type { AlertKind } from '../alerts';
import { sha256Link } from '../chainDigest';
import type { CollectorDatabase } from '../database';
import type { RulesDatabase } from '../rules/ruleStore';
import { alertSeverity } from './alertSeverity';
import { chainStatuses } from './chainStatus';
import { deviceChain } from '../retention/anchorMessage';
import { readAnchor } from '../retention/retentionAnchors';

/** Most events one timeline answer carries (a session is a working day at most). */
export const TIMELINE_LIMIT = 5000;
/** A device that has not synced for this long shows as "not heard from". */
export const SILENT_AFTER_MS = 24 * 60 * 60 * 1000;

export interface SessionFilters {
  user?: string;
  device?: string;
  from?: string;
  to?: string;
  hasAlerts?: boolean;
  notReviewed?: boolean;
  /** One session's code (an export from its timeline); the list itself never sets it. */
  code?: string;
}

/** The filters as the access log names them (`user=… from=…`); null when there are none. */
export function describeFilters(filters: SessionFilters): string | null {
  const parts = Object.entries(filters)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => `${key}=${String(value)}`);
  return parts.length === 0 ? null : parts.join(' ');
}

interface SessionCursor {
  startedAt: number;
  deviceId: string;
  code: string;
}

const iso = (ms: number) => new Date(ms).toISOString();

export function encodeCursor(value: unknown): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}

/** The cursor's content, or null when it is not one this console issued in that shape. */
export function decodeCursor<T>(cursor: string, check: (value: unknown) => value is T): T | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    return check(value) ? value : null;
  } catch {
    return null;
  }
}

export const isSessionCursor = (v: unknown): v is SessionCursor =>
  typeof v === 'object' && v !== null && Number.isSafeInteger((v as SessionCursor).startedAt) && typeof (v as SessionCursor).deviceId === 'string' && typeof (v as SessionCursor).code === 'string';
export const isIdCursor = (v: unknown): v is { id: number } => typeof v === 'object' && v !== null && Number.isSafeInteger((v as { id: number }).id);

/** The collector's tables with the alert columns rules added (migration 0005). */
export type ConsoleDatabase = CollectorDatabase & Pick<RulesDatabase, 'alerts'>;
export const withRuleColumns = (db: Kysely<CollectorDatabase>): Kysely<ConsoleDatabase> => db.withTables<Pick<RulesDatabase, 'alerts'>>();

export class ConsoleStore {
  private readonly db: Kysely<ConsoleDatabase>;

  constructor(private readonly collectorDb: Kysely<CollectorDatabase>) {
    this.db = withRuleColumns(collectorDb);
  }

  /** Open (unresolved) alerts that fall in a session's stretch of its device's chain. */
  private openAlertsOf(deviceRef: Expression<string>, firstSeq: Expression<number>, lastSeq: Expression<number>) {
    return this.db
      .selectFrom('alerts')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .whereRef('alerts.device_id', '=', deviceRef)
      .where('alerts.status', '!=', 'resolved')
      .where((eb) => eb.between('alerts.seq', firstSeq, eb(lastSeq, '+', 1)));
  }

  private sessionQuery() {
    return this.db
      .selectFrom('sessions as s')
      .innerJoin('devices as d', 'd.device_id', 's.device_id')
      .select((eb) => [
        's.device_id',
        's.code',
        's.subject',
        's.started_at',
        's.ended_at',
        's.last_event_at',
        's.events',
        's.blocks',
        's.locks',
        's.review_status',
        's.review_note',
        's.first_seq',
        's.last_seq',
        'd.device_name',
        this.openAlertsOf(eb.ref('s.device_id'), eb.ref('s.first_seq'), eb.ref('s.last_seq')).as('open_alerts'),
      ]);
  }

  private async toRows(rows: Awaited<ReturnType<ReturnType<ConsoleStore['sessionQuery']>['execute']>>): Promise<SessionRow[]> {
    if (rows.length === 0) return [];
    const apps = await this.db
      .selectFrom('session_apps')
      .select(['device_id', 'code', 'app_id'])
      .where((eb) => eb.or(rows.map((r) => eb.and([eb('device_id', '=', r.device_id), eb('code', '=', r.code)]))))
      .orderBy('app_id')
      .execute();
    return rows.map((r) => ({
      deviceId: r.device_id,
      deviceName: r.device_name,
      code: r.code,
      subject: r.subject,
      startedAt: iso(r.started_at),
      endedAt: r.ended_at === null ? null : iso(r.ended_at),
      lastEventAt: iso(r.last_event_at),
      apps: apps.filter((a) => a.device_id === r.device_id && a.code === r.code).map((a) => a.app_id),
      events: Number(r.events),
      blocks: Number(r.blocks),
      locks: Number(r.locks),
      openAlerts: Number(r.open_alerts ?? 0),
      review: r.review_status,
      reviewNote: r.review_note,
    }));
  }

  /** The sessions the list shows for `filters`: one query for the list's pages and for exports. */
  private filteredSessions(filters: SessionFilters) {
    let query = this.sessionQuery();
    if (filters.user !== undefined) query = query.where('s.subject', '=', filters.user);
    if (filters.device !== undefined) {
      const device = filters.device;
      query = query.where((eb) => eb.or([eb('s.device_id', '=', device), eb('d.device_name', '=', device)]));
    }
    if (filters.code !== undefined) query = query.where('s.code', '=', filters.code);
    if (filters.from !== undefined) query = query.where('s.started_at', '>=', Date.parse(filters.from));
    if (filters.to !== undefined) query = query.where('s.started_at', '<=', Date.parse(filters.to));
    if (filters.notReviewed === true) query = query.where('s.review_status', '=', 'not-reviewed');
    if (filters.hasAlerts !== undefined) {
      const has = filters.hasAlerts;
      query = query.where((eb) => {
        const exists = eb.exists(this.openAlertsOf(eb.ref('s.device_id'), eb.ref('s.first_seq'), eb.ref('s.last_seq')).clearSelect().select(sql<number>`1`.as('one')));
        return has ? exists : eb.not(exists);
      });
    }
    return query.orderBy('s.started_at', 'desc').orderBy('s.device_id', 'desc').orderBy('s.code', 'desc');
  }

  /** Newest first, by (start, device, code); `cursor` is the last row of the previous page. */
  async sessions(filters: SessionFilters, cursor: SessionCursor | null, limit: number): Promise<{ items: SessionRow[]; next: SessionCursor | null }> {
    let query = this.filteredSessions(filters);
    // A row-value comparison: both engines turn it into one index range.
    if (cursor !== null) query = query.where((eb) => eb(eb.refTuple('s.started_at', 's.device_id', 's.code'), '<', eb.tuple(cursor.startedAt, cursor.deviceId, cursor.code)));
    const rows = await query.limit(limit + 1).execute();
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return { items: await this.toRows(page), next: rows.length > limit && last !== undefined ? { startedAt: last.started_at, deviceId: last.device_id, code: last.code } : null };
  }

  /** Every session the list shows for `filters`, all pages, as the keys an export reads events by. */
  async matchingSessions(filters: SessionFilters): Promise<{ deviceId: string; code: string }[]> {
    const rows = await this.filteredSessions(filters).execute();
    return rows.map((r) => ({ deviceId: r.device_id, code: r.code }));
  }

  async session(deviceId: string, code: string): Promise<SessionRow | null> {
    const rows = await this.sessionQuery().where('s.device_id', '=', deviceId).where('s.code', '=', code).execute();
    return (await this.toRows(rows))[0] ?? null;
  }

  async sessionsByCode(code: string): Promise<SessionRow[]> {
    return this.toRows(await this.sessionQuery().where('s.code', '=', code).orderBy('s.started_at', 'desc').limit(20).execute());
  }

  async timeline(deviceId: string, code: string): Promise<{ session: SessionRow; events: TimelineEvent[]; stretches: ChainStretch[]; truncated: boolean } | null> {
    // One read of the session's row: its summary and the chain range it spans.
    const bounds = await this.sessionQuery().where('s.device_id', '=', deviceId).where('s.code', '=', code).executeTakeFirst();
    const device = await this.db.selectFrom('devices').select(['acknowledged_seq']).where('device_id', '=', deviceId).executeTakeFirst();
    const [session] = bounds === undefined ? [] : await this.toRows([bounds]);
    if (session === undefined || bounds === undefined || device === undefined) return null;
    const lastSeq = Math.min(bounds.last_seq, bounds.first_seq + TIMELINE_LIMIT - 1);
    const previous = bounds.first_seq <= 1 ? undefined : await this.db.selectFrom('events').select(['seq', 'link']).where('device_id', '=', deviceId).where('seq', '=', bounds.first_seq - 1).executeTakeFirst();
    // Every event of the device in the session's range carries the chain, the session's own are shown.
    const rows = await this.db
      .selectFrom('events')
      .select(['seq', 'body', 'link', 'received_at', 'recorded_at', 'session_code'])
      .where('device_id', '=', deviceId)
      .where('seq', '>=', bounds.first_seq)
      .where('seq', '<=', lastSeq)
      .orderBy('seq')
      .execute();
    // Chain alerts only: a rule alert (a burst of blocks) says nothing about the chain.
    const alerts = await this.db
      .selectFrom('alerts')
      .select(['kind', 'seq', 'detail'])
      .where('device_id', '=', deviceId)
      .where('subject_key', 'is', null)
      .where((eb) => eb.between('seq', bounds.first_seq, bounds.last_seq + 1))
      .execute();
    // After a disposal the event before the session may be gone; the signed anchor where the kept chain starts stands in for it.
    const anchor = bounds.first_seq <= 1 || previous !== undefined ? null : await readAnchor(this.collectorDb, deviceChain(deviceId));
    const start =
      bounds.first_seq <= 1 ? { seq: 0, link: GENESIS_LINK_HEX } : previous !== undefined ? { seq: previous.seq, link: previous.link } : anchor?.seq === bounds.first_seq - 1 ? { seq: anchor.seq, link: anchor.link } : null;
    const chain = chainStatuses({
      digest: sha256Link,
      start,
      events: rows.map((r) => ({ seq: r.seq, body: r.body, link: r.link, receivedAt: r.received_at, recordedAt: r.recorded_at ?? r.received_at, inSession: r.session_code === code })),
      alerts: alerts.map((a) => ({ kind: a.kind as AlertKind, seq: a.seq, detail: a.detail })),
      headSeq: device.acknowledged_seq,
    });
    const events = rows
      .filter((r) => r.session_code === code)
      .map((r): TimelineEvent => {
        const body = JSON.parse(r.body) as { type: string; outcome: string; recordedAt: string; appId?: string; origin?: string; reason?: string };
        return {
          seq: r.seq,
          type: body.type,
          outcome: body.outcome,
          recordedAt: body.recordedAt,
          receivedAt: iso(r.received_at),
          appId: body.appId ?? null,
          origin: body.origin ?? null,
          reason: body.reason ?? null,
          chain: chain.bySeq.get(r.seq) ?? 'verified',
        };
      });
    return { session, events, stretches: chain.stretches, truncated: lastSeq < bounds.last_seq };
  }

  async review(deviceId: string, code: string, status: Exclude<ReviewStatus, 'not-reviewed'>, note: string, by: string, now: number): Promise<boolean> {
    const result = await this.db
      .updateTable('sessions')
      .set({ review_status: status, review_note: note === '' ? null : note, reviewed_by: by, reviewed_at: now })
      .where('device_id', '=', deviceId)
      .where('code', '=', code)
      .executeTakeFirst();
    return result.numUpdatedRows === 1n;
  }

  private alertQuery() {
    return this.db
      .selectFrom('alerts as a')
      .leftJoin('devices as d', 'd.device_id', 'a.device_id')
      .select((eb) => [
        'a.id',
        'a.kind',
        'a.device_id',
        'a.seq',
        'a.detected_at',
        'a.detail',
        'a.source_address',
        'a.occurrences',
        'a.last_detected_at',
        'a.window_start',
        'a.severity',
        'a.status',
        'a.note',
        'a.handled_by',
        'd.device_name',
        eb
          .selectFrom('sessions as s')
          .select('s.subject')
          .whereRef('s.device_id', '=', 'a.device_id')
          .where((inner) => inner.between(inner.ref('a.seq'), inner.ref('s.first_seq'), inner(inner.ref('s.last_seq'), '+', 1)))
          .limit(1)
          .as('subject'),
      ]);
  }

  private static toAlert(r: Awaited<ReturnType<ReturnType<ConsoleStore['alertQuery']>['execute']>>[number]): AlertRow {
    return {
      id: Number(r.id),
      kind: r.kind,
      severity: r.severity ?? alertSeverity(r.kind),
      deviceId: r.device_id,
      deviceName: r.device_name,
      subject: r.subject ?? null,
      seq: r.seq,
      detectedAt: iso(r.detected_at),
      detail: r.detail,
      sourceAddress: r.source_address,
      occurrences: Number(r.occurrences),
      lastDetectedAt: r.last_detected_at === null ? null : iso(r.last_detected_at),
      windowStart: r.window_start === null ? null : iso(r.window_start),
      status: r.status,
      note: r.note,
      handledBy: r.handled_by,
    };
  }

  /** Newest first; `beforeId` is the last id of the previous page. */
  async alerts(status: AlertStatus | undefined, beforeId: number | null, limit: number): Promise<{ items: AlertRow[]; next: number | null }> {
    let query = this.alertQuery().orderBy('a.id', 'desc').limit(limit + 1);
    if (status !== undefined) query = query.where('a.status', '=', status);
    if (beforeId !== null) query = query.where('a.id', '<', beforeId);
    const rows = await query.execute();
    const items = rows.slice(0, limit).map(ConsoleStore.toAlert);
    return { items, next: rows.length > limit ? (items.at(-1)?.id ?? null) : null };
  }

  async handleAlert(id: number, status: Exclude<AlertStatus, 'open'>, note: string, by: string, now: number): Promise<AlertRow | null> {
    const result = await this.db.updateTable('alerts').set({ status, note: note === '' ? null : note, handled_by: by, handled_at: now }).where('id', '=', id).executeTakeFirst();
    if (result.numUpdatedRows !== 1n) return null;
    const row = await this.alertQuery().where('a.id', '=', id).executeTakeFirst();
    return row === undefined ? null : ConsoleStore.toAlert(row);
  }

  /** A device's unresolved alerts; `chainOnly`: those the collector raised about its history at ingest (rule alerts carry a subject key). */
  private openAlertsOfDevice(deviceRef: Expression<string>, chainOnly: boolean) {
    const query = this.db.selectFrom('alerts').select((eb) => eb.fn.countAll<number>().as('n')).whereRef('alerts.device_id', '=', deviceRef).where('alerts.status', '!=', 'resolved');
    return chainOnly ? query.where('alerts.subject_key', 'is', null) : query;
  }

  async devices(): Promise<{ deviceId: string; deviceName: string; enrollmentMethod: string; enrolledBy: string | null; enrolledAt: string; lastSyncAt: string | null; headSeq: number; openAlerts: number; chainAlerts: number; softwareVersion: string | null }[]> {
    const rows = await this.db
      .selectFrom('devices as d')
      .select((eb) => [
        'd.device_id',
        'd.device_name',
        'd.enrollment_method',
        'd.enrolled_by',
        'd.enrolled_at',
        'd.last_seen_at',
        'd.acknowledged_seq',
        this.openAlertsOfDevice(eb.ref('d.device_id'), false).as('open_alerts'),
        this.openAlertsOfDevice(eb.ref('d.device_id'), true).as('chain_alerts'),
        // Cordon says what it is at every start (app.started: build kind and version); the latest one counts.
        eb.selectFrom('events').select('events.body').whereRef('events.device_id', '=', 'd.device_id').where('events.type', '=', 'app.started').orderBy('events.seq', 'desc').limit(1).as('started'),
      ])
      .orderBy('d.device_name')
      .orderBy('d.device_id')
      .execute();
    return rows.map((r) => ({
      deviceId: r.device_id,
      deviceName: r.device_name,
      enrollmentMethod: r.enrollment_method,
      enrolledBy: r.enrolled_by,
      enrolledAt: iso(r.enrolled_at),
      lastSyncAt: r.last_seen_at === null ? null : iso(r.last_seen_at),
      headSeq: r.acknowledged_seq,
      openAlerts: Number(r.open_alerts ?? 0),
      chainAlerts: Number(r.chain_alerts ?? 0),
      softwareVersion: r.started === null ? null : ((JSON.parse(r.started) as { reason?: string }).reason ?? null),
    }));
  }

  /** Per UTC day of the last `days`: sessions started and blocks in them; alerts by kind; silent devices. */
  async overview(days: number, now: number) {
    const since = Date.UTC(new Date(now).getUTCFullYear(), new Date(now).getUTCMonth(), new Date(now).getUTCDate()) - (days - 1) * 86_400_000;
    // Bucketed here rather than in SQL: integer division and date functions differ by dialect.
    const started = await this.db.selectFrom('sessions').select(['started_at', 'blocks']).where('started_at', '>=', since).execute();
    const byDay = new Map<number, { sessions: number; blocks: number }>();
    for (const row of started) {
      const day = Math.floor((row.started_at - since) / 86_400_000);
      const bucket = byDay.get(day) ?? { sessions: 0, blocks: 0 };
      bucket.sessions += 1;
      bucket.blocks += Number(row.blocks);
      byDay.set(day, bucket);
    }
    const alertsByKind = await this.db
      .selectFrom('alerts')
      .select(['kind', (eb) => eb.fn.countAll<number>().as('count')])
      .where('status', '!=', 'resolved')
      .groupBy('kind')
      .orderBy('kind')
      .execute();
    const silent = await this.db
      .selectFrom('devices')
      .select(['device_id', 'device_name', 'last_seen_at'])
      .where((eb) => eb.or([eb('last_seen_at', 'is', null), eb('last_seen_at', '<', now - SILENT_AFTER_MS)]))
      .orderBy('device_name')
      .limit(50)
      .execute();
    return {
      days: Array.from({ length: days }, (_, i) => {
        const row = byDay.get(i);
        return { day: iso(since + i * 86_400_000).slice(0, 10), sessions: row?.sessions ?? 0, blocks: row?.blocks ?? 0 };
      }),
      alertsByKind: alertsByKind.map((r) => ({ kind: r.kind, count: Number(r.count) })),
      silentDevices: silent.map((r) => ({ deviceId: r.device_id, deviceName: r.device_name, lastSyncAt: r.last_seen_at === null ? null : iso(r.last_seen_at) })),
    };
  }
}
