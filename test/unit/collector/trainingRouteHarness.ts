// The training status route as devices reach it: a real collector on the test's storage,
// which serves the route whenever it has a key file (here through its retention settings,
// with automatic disposal off), at the test's clock.
import { DEFAULT_RETENTION_PERIODS, type StorageConfig } from '../../../collector/collectorConfig';
import { startCollector } from '../../../collector/collectorServer';
import { CollectorStore } from '../../../collector/collectorStore';
import { loadOrCreateCollectorKey, type CollectorKey } from '../../../collector/console/accessLog';

export interface TrainingRoute {
  url: string;
  key: CollectorKey;
  store: CollectorStore;
  close(): Promise<void>;
}

export async function serveTrainingRoute(storage: StorageConfig, keyFile: string, now: () => number = Date.now): Promise<TrainingRoute> {
  const key = loadOrCreateCollectorKey(keyFile);
  const collector = await startCollector({ storage, port: 0, clock: now, retention: { ...DEFAULT_RETENTION_PERIODS, intervalMs: null, keyFile } });
  const store = await CollectorStore.open(storage);
  return {
    url: collector.url,
    key,
    store,
    close: async () => {
      await store.close();
      await collector.close();
    },
  };
}
