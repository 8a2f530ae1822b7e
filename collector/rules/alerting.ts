// Alert rules and notifications as one running part of a collector: the rule engine, its
// timer, and the notifier that announces every alert that opens. Rule evaluation never
// refuses or loses a batch: the batch is stored first, and a failure is logged (without
// content) and counted on /metrics.
import type { Kysely } from 'kysely';
import type { AlertDraft } from '../alerts';
import { DEFAULT_RULE_TIMER_MS, type AlertingConfig } from '../collectorConfig';
import type { CollectorMetrics } from '../collectorMetrics';
import type { CollectorDatabase } from '../database';
import { createChannels } from '../notify/channels';
import { DEFAULT_NOTIFIER_TIMING, Notifier } from '../notify/notifier';
import { Outbox } from '../notify/outbox';
import { RuleEngine } from './ruleEngine';
import { RuleStore } from './ruleStore';
import type { VerifiedEvent } from '../ingestVerifier';

export interface Alerting {
  /** After a batch of a device was stored. */
  ingested(deviceId: string, events: readonly VerifiedEvent[]): Promise<void>;
  /** After collectorStore.addAlert(alert, at, sourceAddress). */
  chainAlertStored(alert: AlertDraft, at: number, sourceAddress: string | null): Promise<void>;
  close(): Promise<void>;
}

export function startAlerting(config: AlertingConfig, db: Kysely<CollectorDatabase>, metrics: CollectorMetrics, now: () => number): Alerting {
  const notifier = new Notifier(new Outbox(db), createChannels(config.channels), metrics, { ...DEFAULT_NOTIFIER_TIMING, ...config.notifierTiming });
  const engine = new RuleEngine(config.rules, RuleStore.over(db), (alert) => notifier.announce(alert), metrics);
  const failed = (when: string) => (error: unknown) => {
    metrics.ruleFailures += 1;
    console.error(`collector: alert rules failed ${when}: ${error instanceof Error ? error.message : String(error)}`);
  };
  let ticking: Promise<void> = Promise.resolve();
  const timer = setInterval(() => {
    ticking = engine.tick(now()).catch(failed('on the timer'));
  }, config.ruleTimerMs ?? DEFAULT_RULE_TIMER_MS);
  timer.unref();
  notifier.start();
  return {
    ingested: (deviceId, events) => engine.ingested(deviceId, events, now()).catch(failed('after a stored batch')),
    chainAlertStored: (alert, at, sourceAddress) => engine.chainAlertStored(alert, at, sourceAddress).catch(failed('after a chain alert')),
    close: async () => {
      clearInterval(timer);
      await ticking;
      await notifier.close();
    },
  };
}
