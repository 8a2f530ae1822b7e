import type { Migration } from './index';

/**
 * The collector this device enrolled with (zero-touch or by IT's code), kept in the
 * encrypted queue so the enrollment and the events it covers live and die together.
 */
export const migration004Enrollment: Migration = {
  version: 4,
  description: 'collector enrollment of this device',
  sql: `
    CREATE TABLE enrollment (
      id INTEGER PRIMARY KEY CHECK (id = 1),
      device_id TEXT NOT NULL CHECK (length(device_id) = 32),
      collector_url TEXT NOT NULL,
      enrolled_at INTEGER NOT NULL
    ) STRICT;
  `,
};
