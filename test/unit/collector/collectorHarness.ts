// Real collectors for the collector tests, on a temporary SQLite file or a fresh
// PostgreSQL schema (each test suite runs on both: test/support/collectorStorages.ts), and
// a small real OIDC issuer.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe } from 'vitest';
import type { CollectorConfig } from '../../../collector/collectorConfig';
import { startCollector, type RunningCollector } from '../../../collector/collectorServer';
import { STORAGES, type StorageUnderTest } from '../../support/collectorStorages';

export { STORAGES, type StorageUnderTest };

/** Declares `suite` once per storage; a storage that cannot run here is a visible skip. */
export function describeOnEachStorage(title: string, suite: (storage: StorageUnderTest) => void): void {
  for (const storage of STORAGES) {
    if (storage.skipReason !== null) console.log(`SKIPPED collector-${storage.name} (${title}): ${storage.skipReason}`);
    describe.skipIf(storage.skipReason !== null)(`${title} [${storage.name}]`, () => suite(storage));
  }
}

export interface TestCollector {
  collector: RunningCollector;
  url: string;
  /** Closes the collector and starts a new one on the same storage (and port). */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export async function startTestCollector(storage: StorageUnderTest, config: Omit<CollectorConfig, 'storage'> = {}): Promise<TestCollector> {
  const { storage: storageConfig, remove } = await storage.create();
  const options: CollectorConfig = { port: 0, rateLimit: { max: 1_000_000, windowMs: 60_000 }, ...config, storage: storageConfig };
  const running: TestCollector = {
    collector: await startCollector(options),
    get url() {
      return this.collector.url;
    },
    restart: async () => {
      const port = Number(new URL(running.collector.url).port);
      await running.collector.close();
      // Let fetch's pool see the old process's closed keep-alive sockets before reuse.
      await new Promise((resolve) => setTimeout(resolve, 50));
      running.collector = await startCollector({ ...options, port });
    },
    stop: async () => {
      await running.collector.close();
      await remove();
    },
  };
  return running;
}

/** A collector for one describe block: started before its tests, stopped and removed after. */
export function useTestCollector(storage: StorageUnderTest, config: Omit<CollectorConfig, 'storage'> = {}): TestCollector {
  let running: TestCollector | null = null;
  beforeAll(async () => {
    running = await startTestCollector(storage, config);
  });
  afterAll(async () => {
    await running?.stop();
  });
  const current = (): TestCollector => {
    if (running === null) throw new Error('the test collector starts in beforeAll');
    return running;
  };
  return {
    get collector() {
      return current().collector;
    },
    get url() {
      return current().url;
    },
    restart: () => current().restart(),
    stop: () => current().stop(),
  };
}

export interface TestIssuer {
  issuer: string;
  audience: string;
  token(claims?: { sub?: string; aud?: string; iss?: string; expiresIn?: string | number; signWith?: 'issuer' | 'stranger' }): Promise<string>;
  close(): Promise<void>;
}

/** A real OpenID Provider's discovery and JWKS endpoints over HTTP, with a real ES256 key. */
export async function startTestIssuer(audience = 'urn:cordon:collector'): Promise<TestIssuer> {
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  const stranger = await generateKeyPair('ES256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'issuer-key-1', alg: 'ES256', use: 'sig' };
  const server = createServer((request, response) => {
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const json = (value: unknown) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify(value));
    };
    if (request.url === '/.well-known/openid-configuration') return json({ issuer: base, jwks_uri: `${base}/jwks` });
    if (request.url === '/jwks') return json({ keys: [jwk] });
    response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    issuer,
    audience,
    token: (claims = {}) =>
      new SignJWT({})
        .setProtectedHeader({ alg: 'ES256', kid: 'issuer-key-1', typ: 'at+jwt' })
        .setIssuer(claims.iss ?? issuer)
        .setAudience(claims.aud ?? audience)
        .setSubject(claims.sub ?? 'va-subject-1')
        .setIssuedAt()
        .setExpirationTime(claims.expiresIn ?? '5m')
        .sign(claims.signWith === 'stranger' ? stranger.privateKey : privateKey),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
