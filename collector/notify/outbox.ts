// Notifications waiting for their receivers, in the collector's database: written when an
// alert opens (one row per channel, never twice for one alert), taken by one collector at
// a time under a lease, and kept until delivered, so a receiver that is down, or a
// collector restart, loses nothing. Times here are the real clock, not the collector's.
import type { Generated, Kysely } from 'kysely';
import type { CollectorDatabase } from '../database';
import type { ChannelName } from '../rules/rulesSchema';

interface OutboxTable {
  id: Generated<number>;
  alert_id: number;
  channel: string;
  payload: string;
  created_at: number;
  attempts: number;
  next_attempt_at: number;
  lease_until: number | null;
  last_error: string | null;
  delivered_at: number | null;
}

export interface OutboxRow {
  id: number;
  channel: ChannelName;
  payload: string;
  attempts: number;
}

export interface PendingCount {
  channel: string;
  count: number;
  oldestCreatedAt: number;
}

export class Outbox {
  private readonly db: Kysely<CollectorDatabase & { notification_outbox: OutboxTable }>;

  constructor(db: Kysely<CollectorDatabase>) {
    this.db = db.withTables<{ notification_outbox: OutboxTable }>();
  }

  async enqueue(alertId: number, channels: readonly ChannelName[], payload: string, now: number): Promise<void> {
    if (channels.length === 0) return;
    await this.db
      .insertInto('notification_outbox')
      .values(channels.map((channel) => ({ alert_id: alertId, channel, payload, created_at: now, attempts: 0, next_attempt_at: now, lease_until: null, last_error: null, delivered_at: null })))
      .onConflict((oc) => oc.columns(['alert_id', 'channel']).doNothing())
      .execute();
  }

  /** Undelivered rows of `channel` due by `now` and not leased, oldest first. */
  async due(channel: ChannelName, now: number, limit: number): Promise<OutboxRow[]> {
    const rows = await this.db
      .selectFrom('notification_outbox')
      .select(['id', 'payload', 'attempts'])
      .where('delivered_at', 'is', null)
      .where('channel', '=', channel)
      .where('next_attempt_at', '<=', now)
      .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', now)]))
      .orderBy('next_attempt_at')
      .orderBy('id')
      .limit(limit)
      .execute();
    return rows.map((r) => ({ id: Number(r.id), channel, payload: r.payload, attempts: Number(r.attempts) }));
  }

  /** Takes a row for one delivery attempt; false when another collector holds it. */
  async claim(id: number, now: number, leaseMs: number): Promise<boolean> {
    const result = await this.db
      .updateTable('notification_outbox')
      .set({ lease_until: now + leaseMs })
      .where('id', '=', id)
      .where('delivered_at', 'is', null)
      .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', now)]))
      .executeTakeFirst();
    return result.numUpdatedRows === 1n;
  }

  async delivered(id: number, now: number): Promise<void> {
    await this.db.updateTable('notification_outbox').set((eb) => ({ delivered_at: now, lease_until: null, attempts: eb(eb.ref('attempts'), '+', 1), last_error: null })).where('id', '=', id).execute();
  }

  /** `reason` is the receiver's or the network's answer, never the payload. */
  async failed(id: number, nextAttemptAt: number, reason: string): Promise<void> {
    await this.db
      .updateTable('notification_outbox')
      .set((eb) => ({ next_attempt_at: nextAttemptAt, lease_until: null, attempts: eb(eb.ref('attempts'), '+', 1), last_error: reason.slice(0, 500) }))
      .where('id', '=', id)
      .execute();
  }

  async pending(): Promise<PendingCount[]> {
    const rows = await this.db
      .selectFrom('notification_outbox')
      .select((eb) => ['channel', eb.fn.countAll<number>().as('count'), eb.fn.min('created_at').as('oldest')])
      .where('delivered_at', 'is', null)
      .groupBy('channel')
      .execute();
    return rows.map((r) => ({ channel: r.channel, count: Number(r.count), oldestCreatedAt: Number(r.oldest) }));
  }
}
