import type { Migration } from './index';

/**
 * What the collector acknowledged, one row per acknowledgement (every event up to
 * `up_to_seq`, at `acked_at`), instead of a time on every event: marking a 1000-event batch
 * delivered then writes one small row, not every row of the batch again (which, on the
 * encrypted file, re-encrypted and later re-checkpointed every page the batch filled).
 * The marks already made carry over exactly: each run of events acknowledged at the same
 * time becomes one row, and only the acknowledged prefix counts (as the queue reads it).
 * The per-event column and its index go.
 */
export const migration007Deliveries: Migration = {
  version: 7,
  description: 'acknowledgements as one row each, not a time on every event',
  sql: `
    CREATE TABLE deliveries (
      up_to_seq INTEGER PRIMARY KEY,
      acked_at INTEGER NOT NULL
    ) STRICT;
    INSERT INTO deliveries (up_to_seq, acked_at)
      SELECT seq, acked_at FROM (SELECT seq, acked_at, lead(acked_at) OVER (ORDER BY seq) AS next_acked_at FROM events)
      WHERE acked_at IS NOT NULL
        AND next_acked_at IS NOT acked_at
        AND seq < coalesce((SELECT min(seq) FROM events WHERE acked_at IS NULL), 9007199254740991);
    DROP INDEX events_unacked;
    ALTER TABLE events DROP COLUMN acked_at;
  `,
};
