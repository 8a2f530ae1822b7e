// The real alert-rule engine beside a console test stack that runs without one: its own
// connection to the collector's database, fed the very events a device sent, so the
// console reads rule alerts exactly as a collector with rules stores them.
import type { StorageConfig } from '../../../collector/collectorConfig';
import { CollectorMetrics } from '../../../collector/collectorMetrics';
import { openDatabase } from '../../../collector/database';
import { parseEventBody, type VerifiedEvent } from '../../../collector/ingestVerifier';
import { RuleEngine } from '../../../collector/rules/ruleEngine';
import type { RulesFile } from '../../../collector/rules/rulesSchema';
import { RuleStore } from '../../../collector/rules/ruleStore';
import type { ChainedEvent } from '../../../common/audit/syncProtocol';

export interface RulesBeside {
  /** What the collector's ingest hook does after a stored batch. */
  ingested(deviceId: string, events: readonly ChainedEvent[]): Promise<void>;
  close(): Promise<void>;
}

/** The event as ingest hands it on: with the fields its verified body holds. */
function verified(event: ChainedEvent): VerifiedEvent {
  const parsed = parseEventBody(event.body);
  if ('problem' in parsed) throw new Error(`event ${event.seq} ${parsed.problem}`);
  return { ...event, fields: parsed.fields };
}

export async function rulesBeside(storage: StorageConfig, rules: RulesFile): Promise<RulesBeside> {
  const db = await openDatabase(storage);
  const engine = new RuleEngine(rules, RuleStore.over(db), async () => {}, new CollectorMetrics());
  return { ingested: (deviceId, events) => engine.ingested(deviceId, events.map(verified), Date.now()), close: () => db.destroy() };
}
