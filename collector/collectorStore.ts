// Every query the collector makes, over one Kysely interface for SQLite and PostgreSQL.
// Writes that must not half-happen (a batch, a code's use with its device) are single
// transactions; races between requests are settled by conditional updates, not locks.
import type { Kysely } from 'kysely';
import type { ChainedEvent, DeviceStatus } from '../common/audit/syncProtocol';
import { ALERT_FOLD_WINDOW_MS, UNAUTHENTICATED_ALERT_KINDS, UNAUTHENTICATED_ROWS_PER_WINDOW, type Alert, type AlertDraft, type AlertKind } from './alerts';
import type { StorageConfig } from './collectorConfig';
import { indexBatch, type IndexedEvent, type SessionDelta } from './console/sessionIndex';
import { insertEvents, insertNonce, openDatabase, type CollectorDatabase, type DevicesTable, type EventsTable } from './database';
import type { ChainHead, SignedHead, StoredEvent, VerifiedEvent } from './ingestVerifier';
import { storageProblem } from './storageProblem';

export interface DeviceRecord {
  deviceId: string;
  publicKeyPem: string;
  deviceName: string;
  enrollmentMethod: DevicesTable['enrollment_method'];
  /** IdP subject for access-token enrollments; null for codes. */
  enrolledBy: string | null;
  enrolledAt: number;
  head: ChainHead;
  lastSeenAt: number | null;
}

export interface ReceivedEvent extends StoredEvent {
  receivedAt: number;
}

export type EnrollResult = 'enrolled' | 'already-enrolled' | 'code-refused';

class AlreadyEnrolled extends Error {}

/** Grows a session's row by a batch's share of it (created on its first event). */
async function upsertSession(trx: Kysely<CollectorDatabase>, deviceId: string, s: SessionDelta): Promise<void> {
  await trx
    .insertInto('sessions')
    .values({ device_id: deviceId, code: s.code, subject: s.subject, started_at: s.startedAt, ended_at: s.endedAt, last_event_at: s.lastEventAt, first_seq: s.firstSeq, last_seq: s.lastSeq, events: s.events, blocks: s.blocks, locks: s.locks, review_note: null, reviewed_by: null, reviewed_at: null })
    .onConflict((oc) =>
      oc.columns(['device_id', 'code']).doUpdateSet((eb) => ({
        subject: eb.fn.coalesce('sessions.subject', 'excluded.subject'),
        // Portable min/max (SQLite's min() is PostgreSQL's least()).
        started_at: eb.case().when('excluded.started_at', '<', eb.ref('sessions.started_at')).then(eb.ref('excluded.started_at')).else(eb.ref('sessions.started_at')).end(),
        ended_at: eb.fn.coalesce('excluded.ended_at', 'sessions.ended_at'),
        last_event_at: eb.case().when('excluded.last_event_at', '>', eb.ref('sessions.last_event_at')).then(eb.ref('excluded.last_event_at')).else(eb.ref('sessions.last_event_at')).end(),
        last_seq: eb.ref('excluded.last_seq'),
        events: eb(eb.ref('sessions.events'), '+', eb.ref('excluded.events')),
        blocks: eb(eb.ref('sessions.blocks'), '+', eb.ref('excluded.blocks')),
        locks: eb(eb.ref('sessions.locks'), '+', eb.ref('excluded.locks')),
      })),
    )
    .execute();
  if (s.apps.size > 0) {
    await trx
      .insertInto('session_apps')
      .values([...s.apps].map((app) => ({ device_id: deviceId, code: s.code, app_id: app })))
      .onConflict((oc) => oc.columns(['device_id', 'code', 'app_id']).doNothing())
      .execute();
  }
}

/** The rows a verified batch adds to `events`: each event with its session index columns. */
export function eventRows(deviceId: string, events: readonly ChainedEvent[], indexed: readonly IndexedEvent[], receivedAt: number): EventsTable[] {
  return events.map((e, i) => {
    const columns = indexed[i] as IndexedEvent;
    return { device_id: deviceId, seq: e.seq, body: e.body, link: e.link, received_at: receivedAt, session_code: columns.sessionCode, subject: columns.subject, type: columns.type, recorded_at: columns.recordedAt };
  });
}

function toDevice(row: DevicesTable): DeviceRecord {
  return {
    deviceId: row.device_id,
    publicKeyPem: row.public_key_pem,
    deviceName: row.device_name,
    enrollmentMethod: row.enrollment_method,
    enrolledBy: row.enrolled_by,
    enrolledAt: row.enrolled_at,
    head: { seq: row.acknowledged_seq, link: row.acknowledged_link },
    lastSeenAt: row.last_seen_at,
  };
}

export function statusOf(device: DeviceRecord): DeviceStatus {
  return { deviceId: device.deviceId, acknowledgedSeq: device.head.seq, acknowledgedLink: device.head.link };
}

export class CollectorStore {
  private constructor(private readonly db: Kysely<CollectorDatabase>) {}

  /** The same database, for the console's own queries (collector/console). */
  get database(): Kysely<CollectorDatabase> {
    return this.db;
  }

  /** Fails with a sentence naming the database and why (collector/storageProblem.ts), never its password. */
  static async open(storage: StorageConfig): Promise<CollectorStore> {
    try {
      return new CollectorStore(await openDatabase(storage));
    } catch (error) {
      throw new Error(storageProblem(storage, error), { cause: error });
    }
  }

  close(): Promise<void> {
    return this.db.destroy();
  }

  /** Throws when the database cannot answer. */
  async ping(): Promise<void> {
    await this.db.selectFrom('devices').select('device_id').limit(1).execute();
  }

  async findDevice(deviceId: string): Promise<DeviceRecord | null> {
    const row = await this.db.selectFrom('devices').selectAll().where('device_id', '=', deviceId).executeTakeFirst();
    return row === undefined ? null : toDevice(row);
  }

  async devices(): Promise<DeviceRecord[]> {
    return (await this.db.selectFrom('devices').selectAll().orderBy('enrolled_at').orderBy('device_id').execute()).map(toDevice);
  }

  async addEnrollmentCode(codeHash: string, now: number, expiresAt: number): Promise<void> {
    await this.db.insertInto('enrollment_codes').values({ code_hash: codeHash, created_at: now, expires_at: expiresAt, used_at: null, used_by_device: null }).execute();
  }

  /**
   * Adds a device with an empty chain. With `codeHash`, the code is used up in the same
   * transaction: it must exist, be unused and unexpired, and stays unused if the device
   * turns out to exist already (a concurrent retry of the same enrollment).
   */
  async enrollDevice(device: Omit<DeviceRecord, 'head' | 'lastSeenAt'>, genesisLink: string, codeHash: string | null): Promise<EnrollResult> {
    try {
      return await this.db.transaction().execute(async (trx) => {
        if (codeHash !== null) {
          const used = await trx
            .updateTable('enrollment_codes')
            .set({ used_at: device.enrolledAt, used_by_device: device.deviceId })
            .where('code_hash', '=', codeHash)
            .where('used_at', 'is', null)
            .where('expires_at', '>', device.enrolledAt)
            .executeTakeFirst();
          if (used.numUpdatedRows !== 1n) return 'code-refused';
        }
        const inserted = await trx
          .insertInto('devices')
          .values({
            device_id: device.deviceId,
            public_key_pem: device.publicKeyPem,
            device_name: device.deviceName,
            enrollment_method: device.enrollmentMethod,
            enrolled_by: device.enrolledBy,
            enrolled_at: device.enrolledAt,
            acknowledged_seq: 0,
            acknowledged_link: genesisLink,
            last_seen_at: null,
          })
          .onConflict((oc) => oc.column('device_id').doNothing())
          .executeTakeFirst();
        if (inserted.numInsertedOrUpdatedRows !== 1n) throw new AlreadyEnrolled();
        return 'enrolled';
      });
    } catch (error) {
      if (error instanceof AlreadyEnrolled) return 'already-enrolled';
      throw error;
    }
  }

  /** The device a code was used by, or null (unknown, unused or expired code). */
  async codeUsedBy(codeHash: string, now: number): Promise<string | null> {
    const row = await this.db.selectFrom('enrollment_codes').select('used_by_device').where('code_hash', '=', codeHash).where('expires_at', '>', now).executeTakeFirst();
    return row?.used_by_device ?? null;
  }

  /** Records a request nonce; false when the device already used it (a replay). */
  async useNonce(deviceId: string, nonce: string, expiresAt: number): Promise<boolean> {
    return insertNonce(this.db, { device_id: deviceId, nonce, expires_at: expiresAt });
  }

  /** Forgets nonces whose requests would now be refused as stale anyway. */
  async purgeNonces(now: number): Promise<number> {
    const result = await this.db.deleteFrom('request_nonces').where('expires_at', '<', now).executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  async storedEvents(deviceId: string, fromSeq: number, toSeq: number): Promise<StoredEvent[]> {
    return this.db.selectFrom('events').select(['seq', 'body', 'link']).where('device_id', '=', deviceId).where('seq', '>=', fromSeq).where('seq', '<=', toSeq).orderBy('seq').execute();
  }

  /** Events whose body names the session code (validated by the caller), with their device. */
  async sessionEvents(code: string): Promise<{ deviceId: string; deviceName: string; body: string }[]> {
    return this.db
      .selectFrom('events')
      .innerJoin('devices', 'devices.device_id', 'events.device_id')
      .select(['events.device_id as deviceId', 'devices.device_name as deviceName', 'events.body as body'])
      .where('events.body', 'like', `%"session":"${code}"%`)
      .orderBy('events.device_id')
      .orderBy('events.seq')
      .execute();
  }

  async deviceEvents(deviceId: string): Promise<ReceivedEvent[]> {
    const rows = await this.db.selectFrom('events').select(['seq', 'body', 'link', 'received_at']).where('device_id', '=', deviceId).orderBy('seq').execute();
    return rows.map((r) => ({ seq: r.seq, body: r.body, link: r.link, receivedAt: r.received_at }));
  }

  /**
   * Stores verified events and moves the head, all or nothing, with the device's checkpoint
   * over the new head when it signed one. False (and nothing stored) when the head is no
   * longer `fromSeq`: another request for this device got there first.
   */
  async appendEvents(deviceId: string, fromSeq: number, head: ChainHead | SignedHead, events: readonly VerifiedEvent[], now: number): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      const moved = await trx
        .updateTable('devices')
        .set({ acknowledged_seq: head.seq, acknowledged_link: head.link, last_seen_at: now })
        .where('device_id', '=', deviceId)
        .where('acknowledged_seq', '=', fromSeq)
        .executeTakeFirst();
      if (moved.numUpdatedRows !== 1n) return false;
      const index = indexBatch(events);
      await insertEvents(trx, eventRows(deviceId, events, index.events, now));
      for (const session of index.sessions) await upsertSession(trx, deviceId, session);
      if ('signature' in head) await trx.insertInto('checkpoints').values({ device_id: deviceId, seq: head.seq, link: head.link, signature: head.signature }).execute();
      return true;
    });
  }

  /**
   * Stores an alert, or counts it on the row of the same alert from the same source whose
   * last occurrence is within ALERT_FOLD_WINDOW_MS (see there), or, for an unauthenticated
   * kind past UNAUTHENTICATED_ROWS_PER_WINDOW rows, on that kind's newest row. Two concurrent first
   * occurrences may both insert: the bound is per request in flight, not exact.
   */
  async addAlert(alert: AlertDraft, now: number, sourceAddress: string | null): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      let query = trx
        .selectFrom('alerts')
        .select('id')
        .where('kind', '=', alert.kind)
        .where('status', '=', 'open')
        .where((eb) => eb.fn.coalesce('last_detected_at', 'detected_at'), '>=', now - ALERT_FOLD_WINDOW_MS)
        .where('source_address', sourceAddress === null ? 'is' : '=', sourceAddress)
        .where('seq', alert.seq === null ? 'is' : '=', alert.seq);
      if (alert.kind !== 'unknown-device') query = query.where('device_id', alert.deviceId === null ? 'is' : '=', alert.deviceId);
      let existing = await query.orderBy('id', 'desc').limit(1).executeTakeFirst();
      if (existing === undefined && UNAUTHENTICATED_ALERT_KINDS.has(alert.kind)) {
        const recent = await trx
          .selectFrom('alerts')
          .select('id')
          .where('kind', '=', alert.kind)
          .where('detected_at', '>=', now - ALERT_FOLD_WINDOW_MS)
          .orderBy('id', 'desc')
          .limit(UNAUTHENTICATED_ROWS_PER_WINDOW)
          .execute();
        if (recent.length >= UNAUTHENTICATED_ROWS_PER_WINDOW) existing = recent[0];
      }
      if (existing !== undefined) {
        await trx
          .updateTable('alerts')
          .set((eb) => ({ occurrences: eb(eb.ref('occurrences'), '+', 1), last_detected_at: now }))
          .where('id', '=', existing.id)
          .execute();
        return;
      }
      await trx.insertInto('alerts').values({ device_id: alert.deviceId, kind: alert.kind, seq: alert.seq, detected_at: now, detail: alert.detail, source_address: sourceAddress, last_detected_at: null }).execute();
    });
  }

  async alerts(deviceId?: string): Promise<Alert[]> {
    let query = this.db.selectFrom('alerts').selectAll().orderBy('id');
    if (deviceId !== undefined) query = query.where('device_id', '=', deviceId);
    return (await query.execute()).map((r) => ({
      id: r.id,
      kind: r.kind as AlertKind,
      deviceId: r.device_id,
      seq: r.seq,
      detectedAt: new Date(r.detected_at).toISOString(),
      detail: r.detail,
      sourceAddress: r.source_address,
      occurrences: Number(r.occurrences),
      lastDetectedAt: new Date(r.last_detected_at ?? r.detected_at).toISOString(),
    }));
  }

  async deviceCount(): Promise<number> {
    const row = await this.db.selectFrom('devices').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return Number(row.n);
  }
}
