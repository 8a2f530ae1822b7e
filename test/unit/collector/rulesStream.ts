// Synthetic audit streams for the alert-rule tests: canonical event bodies at chosen
// times, sent by a TestDevice through a real collector, and the rule alerts it stored.
import { canonicalJson } from '../../../common/policy/canonicalJson';
import type { RunningCollector } from '../../../collector/collectorServer';
import type { Alert } from '../../../collector/alerts';
import { TestDevice } from './collectorTestDevice';

export interface StreamEvent {
  type: string;
  outcome?: 'success' | 'failure' | 'blocked';
  /** ISO 8601 with offset, the device's clock. */
  at: string;
  subject?: string;
  session?: string;
  reason?: string;
  appId?: string;
}

export function body(e: StreamEvent): string {
  return canonicalJson({
    type: e.type,
    outcome: e.outcome ?? 'success',
    recordedAt: new Date(e.at).toISOString(),
    ...(e.subject === undefined ? {} : { subject: e.subject }),
    ...(e.session === undefined ? {} : { session: e.session }),
    ...(e.reason === undefined ? {} : { reason: e.reason }),
    ...(e.appId === undefined ? {} : { appId: e.appId }),
  });
}

/** A device enrolled with the collector that sends each call's events as one batch. */
export async function streamDevice(collector: RunningCollector, url: string, now: () => number = Date.now): Promise<{ device: TestDevice; send(events: StreamEvent[]): Promise<void> }> {
  const device = new TestDevice(url);
  await device.enrollWithCode(collector);
  return {
    device,
    send: async (events) => {
      const reply = await device.sendBatch(
        device.record(events.length, (i) => body(events[i] as StreamEvent)),
        {},
        { timestamp: new Date(now()).toISOString() },
      );
      if (reply.status !== 200) throw new Error(`batch refused: ${reply.text}`);
    },
  };
}

export async function ruleAlerts(collector: RunningCollector, kind: string, deviceId: string): Promise<Alert[]> {
  return (await collector.alerts(deviceId)).filter((a) => (a.kind as string) === kind);
}
