import type { Migration } from './index';

/**
 * The last access status the collector signed, for this device (`device`) and per VA
 * (`user:<subject>`), as it came (checked again when read): a revoked computer stays locked
 * across restarts and without a network, and a revoked VA is signed out at once on sign-in.
 */
export const migration008AccessStatus: Migration = {
  version: 8,
  description: 'last confirmed access status of the device and of each VA',
  sql: `
    CREATE TABLE access_status (
      scope TEXT NOT NULL PRIMARY KEY,
      statement TEXT NOT NULL,
      signature TEXT NOT NULL,
      stored_at INTEGER NOT NULL
    ) STRICT;
  `,
};
