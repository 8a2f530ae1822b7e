// The training status route served as the collector's server registers it (the lines its
// report gives for collector/collectorServer.ts): on the collector's own storage, behind the
// collector's device request check that stores an alert on a failure, bodies kept as bytes.
// Devices enroll at a real collector on the same storage; this serves the route beside it.
import Fastify, { type FastifyRequest } from 'fastify';
import type { AddressInfo } from 'node:net';
import type { StorageConfig } from '../../../collector/collectorConfig';
import { CollectorStore } from '../../../collector/collectorStore';
import { loadOrCreateCollectorKey, type CollectorKey } from '../../../collector/console/accessLog';
import { authenticateDeviceRequest } from '../../../collector/deviceRequestAuth';
import { trainingRoutes } from '../../../collector/training/trainingRoutes';

export interface TrainingRoute {
  url: string;
  key: CollectorKey;
  store: CollectorStore;
  close(): Promise<void>;
}

export async function serveTrainingRoute(storage: StorageConfig, keyFile: string, now: () => number = Date.now): Promise<TrainingRoute> {
  const store = await CollectorStore.open(storage);
  const key = loadOrCreateCollectorKey(keyFile);
  const app = Fastify({ logger: false });
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
  const authenticate = async (request: FastifyRequest, route: string) => {
    const auth = await authenticateDeviceRequest({ method: request.method, url: request.url, route, headers: request.headers, rawBody: Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0) }, store, now());
    if (!auth.ok && auth.alert !== null) await store.addAlert(auth.alert, now(), request.ip);
    return auth;
  };
  await app.register(trainingRoutes, { db: store.database, key, authenticate, now });
  await app.listen({ host: '127.0.0.1', port: 0 });
  return {
    url: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`,
    key,
    store,
    close: async () => {
      await app.close();
      await store.close();
    },
  };
}
