import type { Migration } from './index';

/**
 * Each VA's last training status the collector confirmed, as it came (the statement and the
 * collector's signature, checked again when read), so Cordon can go on for the policy's
 * offline days while the collector cannot be reached, and not a day more.
 */
export const migration006TrainingStatus: Migration = {
  version: 6,
  description: 'last confirmed training status per VA',
  sql: `
    CREATE TABLE training_status (
      subject TEXT NOT NULL PRIMARY KEY,
      statement TEXT NOT NULL,
      signature TEXT NOT NULL,
      stored_at INTEGER NOT NULL
    ) STRICT;
  `,
};
