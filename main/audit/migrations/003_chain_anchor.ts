import type { Migration } from './index';

/**
 * Where the chain starts after delivered events were purged: the last purged sequence and
 * its link, so the remaining events still verify (and a purge cannot hide an edit).
 */
export const migration003ChainAnchor: Migration = {
  version: 3,
  description: 'chain anchor kept across purges of delivered events',
  sql: `
    CREATE TABLE chain_anchor (
      id INTEGER PRIMARY KEY CHECK (id = 1),
      seq INTEGER NOT NULL,
      link BLOB NOT NULL CHECK (length(link) = 32)
    ) STRICT;
  `,
};
