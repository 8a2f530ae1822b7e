import type { Migration } from './index';

/** The events: sequence, compact canonical body, hash-chain link, delivery state. */
export const migration001Events: Migration = {
  version: 1,
  description: 'events with sequence numbers and hash-chain links',
  sql: `
    CREATE TABLE events (
      seq INTEGER PRIMARY KEY,
      body TEXT NOT NULL,
      link BLOB NOT NULL CHECK (length(link) = 32),
      acked_at INTEGER
    ) STRICT;
    CREATE INDEX events_unacked ON events (seq) WHERE acked_at IS NULL;
  `,
};
