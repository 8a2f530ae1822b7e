// The device side of BENCH device-sync-memory, in its own process so its peak memory is its
// own: opens an encrypted queue, enrolls with an IT code and syncs until the collector has
// everything, then prints {"maxRssKb": …, "delivered": …}. Arguments: queue file, queue key
// (hex), collector URL, enrollment code.
import { AuditQueue } from '../../main/audit/auditQueue';
import { AuditSync } from '../../main/audit/auditSync';
import { NodeSyncTransport } from '../../main/audit/nodeSyncTransport';
import { syncPolicy, testDeviceKey } from '../support/auditSyncFixtures';
import { peakRssKb } from '../support/peakRss';

const [file, keyHex, collectorUrl, code] = process.argv.slice(2) as [string, string, string, string];
const queue = AuditQueue.open(file, Buffer.from(keyHex, 'hex'));
const transport = new NodeSyncTransport();
const sync = new AuditSync({
  queue,
  deviceKey: testDeviceKey(),
  policy: syncPolicy(collectorUrl, { queueSoftLimit: 1e9, queueHardLimit: 2e9 }),
  transport,
  audit: { record: () => undefined },
  onQueueFailure: (error) => {
    throw error;
  },
});
await sync.enrollWithCode(code);
const held = queue.unacknowledgedCount();
for (;;) {
  const status = await sync.syncNow();
  if (status.unacknowledged === 0) break;
  if (status.state === 'stopped') throw new Error(`sync stopped: ${JSON.stringify(status.problem)}`);
}
await sync.stop();
transport.close();
queue.close();
console.log(JSON.stringify({ maxRssKb: peakRssKb(), delivered: held }));
