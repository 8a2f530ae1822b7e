// Each device's latest posture result per check, as the device reported it: the newest
// device.posture-changed event of that check (reason `<check>:<result>:<level>`, written by
// main/posture/devicePosture). One index seek per device and check, on migration 0008's
// partial indexes, however many events the collector holds. An event whose reason does not
// read counts for nothing.
import { sql, type Kysely } from 'kysely';
import type { DevicePostureRow } from '../../common/console/consoleApi';
import { CHECK_RESULTS, DEVICE_CHECK_IDS, type CheckResult, type DeviceCheckId } from '../../common/posture/deviceChecks';
import type { CollectorDatabase } from '../database';

const LEVELS = ['recommended', 'required'] as const;

/** The check's result and level from a posture event's body, when it reads as one of `check`. */
export function postureOfEvent(check: DeviceCheckId, body: string): DevicePostureRow | null {
  let event: { reason?: unknown; recordedAt?: unknown };
  try {
    event = JSON.parse(body) as typeof event;
  } catch {
    return null;
  }
  if (typeof event.reason !== 'string' || typeof event.recordedAt !== 'string' || Number.isNaN(Date.parse(event.recordedAt))) return null;
  const [named, result, level, ...rest] = event.reason.split(':');
  if (named !== check || rest.length > 0 || !CHECK_RESULTS.includes(result as CheckResult) || !LEVELS.includes(level as (typeof LEVELS)[number])) return null;
  return { check, result: result as CheckResult, level: level as (typeof LEVELS)[number], at: new Date(event.recordedAt).toISOString() };
}

/** Per device, the body of its newest posture event of each check (null: none). */
export function latestPostureQuery(db: Kysely<CollectorDatabase>) {
  return db
    .selectFrom('devices as d')
    .select((eb) => [
      'd.device_id',
      // The type and the body's pattern as literals, written as the indexes have them: only then do both engines use them.
      ...DEVICE_CHECK_IDS.map((check) =>
        eb
          .selectFrom('events')
          .select('events.body')
          .whereRef('events.device_id', '=', 'd.device_id')
          .where(sql<boolean>`type = 'device.posture-changed' and body like ${sql.lit(`%"reason":"${check}:%`)}`)
          .orderBy('events.seq', 'desc')
          .limit(1)
          .as(check),
      ),
    ]);
}

/** Every device's latest result per check it has reported, in DEVICE_CHECK_IDS order. */
export async function latestPosture(db: Kysely<CollectorDatabase>): Promise<Map<string, DevicePostureRow[]>> {
  const rows = await latestPostureQuery(db).execute();
  return new Map(
    rows.map((row) => [row.device_id, DEVICE_CHECK_IDS.flatMap((check) => postureOfEvent(check, row[check] ?? '') ?? [])]),
  );
}
