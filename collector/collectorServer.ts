// The collector's HTTP(S) server: enrollment, verified ingest, device status, health and
// metrics (paths and bodies from common/audit/syncProtocol), and automatic disposal on the
// retention schedule (retention/). Every refusal of a request is a 4xx with a JSON
// { error, message }; load is shed with 503 + Retry-After, never a 500; every tamper
// finding is stored as an alert before answering.
import rateLimit from '@fastify/rate-limit';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { AckWithAccess } from '../common/audit/accessProtocol';
import { DEVICE_HEADERS, enrollmentRequestSchema, MAX_BODY_BYTES, REQUEST_CLOCK_SKEW_MS, SYNC_PATHS, type BatchRefusal, type DeviceStatus } from '../common/audit/syncProtocol';
import { revokedDeviceNotice } from './access/accessAnswer';
import { accessRoutes } from './access/accessRoutes';
import { createAccessTokenVerifier } from './accessTokenVerifier';
import type { Alert, AlertDraft } from './alerts';
import { checkRetentionConfig, DEFAULT_CONNECTION_LIMITS, DEFAULT_ENROLLMENT_CODE_TTL_MS, DEFAULT_PORT, type ConnectionLimits, DEFAULT_RATE_LIMIT, DEFAULT_SQLITE_FILE, type CollectorConfig, type StorageConfig } from './collectorConfig';
import { CollectorMetrics } from './collectorMetrics';
import { storageOverloaded } from './database';
import { CollectorStore, statusOf, type DeviceRecord, type ReceivedEvent } from './collectorStore';
import { loadOrCreateCollectorKey } from './console/accessLog';
import { consoleOriginProblem, registerConsole } from './console/consolePlugin';
import { authenticateDeviceRequest, type DeviceAuthResult } from './deviceRequestAuth';
import { parseDeviceBody } from './deviceRequestBody';
import { BatchChecker, defaultVerifyWorkers, THREAD_REST_MS } from './batchChecker';
import { enrollDevice, issueEnrollmentCode } from './enrollment';
import { findSession, type SessionSummary } from './sessionLookup';
import { deviceDisposedThrough } from './retention/retentionAnchors';
import { startRetentionSchedule } from './retention/retentionScheduler';
import { startAlerting, type Alerting } from './rules/alerting';
import { sameSecret } from './sameSecret';
import { trainingRoutes } from './training/trainingRoutes';

export interface RunningCollector {
  /** Base URL with the real port, e.g. http://127.0.0.1:43117 (https:// with TLS). */
  url: string;
  /** Where the separate metrics listener answers (config.metricsListen), e.g. http://10.0.0.2:9464/metrics. */
  metricsUrl?: string;
  storage: StorageConfig['kind'];
  close(): Promise<void>;
  /** A one-time enrollment code (ABCD-EFGH-JKLM-NPQR) for IT to hand to one device. */
  issueEnrollmentCode(options?: { ttlMs?: number }): Promise<string>;
  /** Stored alerts, oldest first; only one device's with `deviceId`. */
  alerts(deviceId?: string): Promise<Alert[]>;
  /** A device's verified events, by sequence number. */
  deviceEvents(deviceId: string): Promise<ReceivedEvent[]>;
  /** The session(s) a watermark's session code names. */
  findSession(code: string): Promise<SessionSummary[]>;
  devices(): Promise<DeviceRecord[]>;
  deviceStatus(deviceId: string): Promise<DeviceStatus | null>;
}

const NONCE_PURGE_INTERVAL_MS = 60_000;
const DEVICE_GAUGE_REFRESH_MS = 60_000;
/** Concurrent batches of one device: re-verify against the new head this many times. */
const INGEST_ATTEMPTS = 5;

/** Seconds a shed request (storage busy, pool exhausted) is told to wait. */
const OVERLOAD_RETRY_AFTER_S = 2;

/** Concurrent copies of one device's batches kept winning: the device should simply retry. */
class HeadKeptMoving extends Error {}

/** Clearer words than the framework's for the refusals it makes before a route runs. */
const CLIENT_ERROR_MESSAGES: Record<number, string> = {
  413: `the body is larger than ${MAX_BODY_BYTES} bytes`,
  415: 'the body must be JSON (content-type: application/json)',
};

function hostForUrl(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

function statusCodeOf(error: unknown): number {
  const code = typeof error === 'object' && error !== null && 'statusCode' in error ? Number(error.statusCode) : NaN;
  return Number.isInteger(code) && code >= 400 && code <= 599 ? code : 500;
}

/** Whether an Authorization header carries the expected bearer token (constant time). */
function bearerMatches(header: string | undefined, token: string): boolean {
  return sameSecret(header, `Bearer ${token}`);
}

/**
 * Idle or slow connections must not use up the process's file descriptors: over the total
 * the server drops new connections, over the per-address bound it closes them at once, so
 * one client holding sockets open cannot lock out the others.
 */
function boundConnections(server: Server, limits: ConnectionLimits): void {
  server.maxConnections = limits.maxTotal;
  const open = new Map<string, number>();
  server.on('connection', (socket: Socket) => {
    const address = socket.remoteAddress ?? 'unknown';
    const count = (open.get(address) ?? 0) + 1;
    if (count > limits.maxPerAddress) {
      socket.destroy();
      return;
    }
    open.set(address, count);
    socket.once('close', () => {
      const left = (open.get(address) ?? 1) - 1;
      if (left === 0) open.delete(address);
      else open.set(address, left);
    });
  });
}

async function buildServer(config: CollectorConfig, store: CollectorStore, metrics: CollectorMetrics, listeningUrl: () => string, alerting: Alerting | null, checker: BatchChecker): Promise<FastifyInstance> {
  const limits = { ...DEFAULT_CONNECTION_LIMITS, ...config.connections };
  const options = {
    logger: false,
    bodyLimit: MAX_BODY_BYTES,
    requestTimeout: 30_000,
    return503OnClosing: true,
    keepAliveTimeout: limits.idleTimeoutMs,
    connectionTimeout: limits.inactivityTimeoutMs,
    http: { headersTimeout: limits.headersTimeoutMs, maxHeaderSize: 16 * 1024 },
    // request.ip: the forwarded client address only behind a balancer named in config.
    ...(config.trustedProxies === undefined || config.trustedProxies.length === 0 ? {} : { trustProxy: config.trustedProxies }),
  };
  // Fastify types HTTP and HTTPS instances apart; the routes are the same for both.
  const app = (config.tls === undefined ? Fastify(options) : Fastify({ ...options, https: { key: config.tls.key, cert: config.tls.cert } })) as unknown as FastifyInstance;
  const verifyAccessToken = config.trustedIssuer === undefined ? null : createAccessTokenVerifier(config.trustedIssuer);
  const limit = config.rateLimit ?? DEFAULT_RATE_LIMIT;
  const now = config.clock ?? Date.now;

  boundConnections(app.server, limits);

  // JSON bodies arrive as bytes: the device's request signature covers the exact bytes.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));

  app.setErrorHandler((error, request, reply) => {
    const status = statusCodeOf(error);
    if (status === 429) return reply.code(429).send({ error: 'rate-limited', message: error instanceof Error ? error.message : 'too many requests' });
    if (status < 500) return reply.code(status).send({ error: 'invalid-body', message: CLIENT_ERROR_MESSAGES[status] ?? (error instanceof Error ? error.message : 'the request was refused') });
    if (storageOverloaded(error) || error instanceof HeadKeptMoving) {
      CollectorMetrics.bump(metrics.shed, request.routeOptions.url ?? 'none');
      return reply.code(503).header('retry-after', String(OVERLOAD_RETRY_AFTER_S)).send({ error: 'overloaded', message: `the collector is busy: nothing was stored, retry in ${OVERLOAD_RETRY_AFTER_S} s` });
    }
    // Only the route and the error: bodies may hold event content, headers a signature.
    console.error(`collector: ${request.method} ${request.routeOptions.url ?? '(no route)'} failed: ${error instanceof Error ? error.message : String(error)}`);
    return reply.code(500).send({ error: 'internal', message: 'the collector could not process this request; nothing was stored' });
  });
  app.setNotFoundHandler((request, reply) => reply.code(404).send({ error: 'not-found', message: `no ${request.method} endpoint here` }));

  await app.register(rateLimit, {
    max: limit.max,
    timeWindow: limit.windowMs,
    errorResponseBuilder: (_request, context) => ({ statusCode: 429, message: `too many requests from this address: retry in ${context.after}` }),
  });

  const storeAlert = async (request: FastifyRequest, alert: AlertDraft | null): Promise<void> => {
    if (alert === null) return;
    const at = now();
    await store.addAlert(alert, at, request.ip);
    CollectorMetrics.bump(metrics.alertsStored, alert.kind);
    await alerting?.chainAlertStored(alert, at, request.ip);
  };
  const authenticate = async (request: FastifyRequest, route: string): Promise<DeviceAuthResult> => {
    const auth = await authenticateDeviceRequest({ method: request.method, url: request.url, route, headers: request.headers, rawBody: Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0) }, store, now());
    if (!auth.ok) {
      await storeAlert(request, auth.alert);
      CollectorMetrics.bump(metrics.batchesRefused, auth.refusal.error);
    }
    return auth;
  };
  // Signs training and access statements; its public half is the policy's audit.collectorPublicKey.
  const collectorKeyFile = config.retention?.keyFile ?? config.console?.keyFile;
  const collectorKey = collectorKeyFile === undefined ? null : loadOrCreateCollectorKey(collectorKeyFile);
  const refuseInvalidBody = (reply: FastifyReply, message: string) => {
    CollectorMetrics.bump(metrics.batchesRefused, 'invalid-body');
    return reply.code(400).send({ error: 'invalid-body', message });
  };

  app.post(SYNC_PATHS.enroll, async (request, reply) => {
    const body = parseDeviceBody(request.body, enrollmentRequestSchema);
    if (!body.ok) {
      CollectorMetrics.bump(metrics.enrollmentsRefused, 'invalid-body');
      return reply.code(400).send({ error: 'invalid-body', message: body.message });
    }
    const outcome = await enrollDevice(body.value, store, verifyAccessToken, now());
    if (!outcome.ok) {
      CollectorMetrics.bump(metrics.enrollmentsRefused, outcome.error);
      return reply.code(outcome.httpStatus).send({ error: outcome.error, message: outcome.message });
    }
    if (outcome.newDevice) {
      CollectorMetrics.bump(metrics.enrollments, body.value.proof.kind);
      metrics.devices += 1;
    }
    return reply.code(outcome.newDevice ? 201 : 200).send(outcome.status);
  });

  app.post(SYNC_PATHS.events, async (request, reply) => {
    const auth = await authenticate(request, SYNC_PATHS.events);
    if (!auth.ok) return reply.code(auth.status).send(auth.refusal);
    let device = auth.device;
    const checks = checker.forRequest({ body: Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0), deviceId: device.deviceId, publicKey: auth.publicKey, publicKeyPem: device.publicKeyPem });
    for (let attempt = 1; ; attempt += 1) {
      let check = await checks.check(device.head, null);
      if (check.kind === 'needs-stored') {
        const { from, to } = check.range;
        const stored = await store.storedEvents(device.deviceId, from, to);
        // Re-sent acknowledged events, some of which retention disposed of.
        if (stored.length < to - from + 1 && from <= (await deviceDisposedThrough(store.database, device.deviceId))) {
          // Nothing to compare them with: an honest device re-sent acknowledged events (its ack
          // was lost) and reconciles from the collector's head; not a sign of tampering.
          CollectorMetrics.bump(metrics.batchesRefused, 'gap');
          const refusal: BatchRefusal = { error: 'gap', message: `events from ${from} on were acknowledged before, and the oldest of them disposed under the retention policy: continue after event ${device.head.seq}`, expectedSeq: device.head.seq + 1 };
          return reply.code(409).send(refusal);
        }
        check = await checks.check(device.head, stored);
      }
      if (check.kind === 'not-a-batch') {
        // Signed by an enrolled device yet not a batch: a broken or tampered client, worth a look.
        await storeAlert(request, { kind: 'invalid-event', deviceId: device.deviceId, seq: null, detail: `a signed request from this device is not a valid event batch (${check.codes})` });
        return refuseInvalidBody(reply, check.message);
      }
      if (check.kind !== 'decided') throw new Error('the batch check asked for stored events it was given');
      const { decision } = check;
      if (!decision.accepted) {
        await storeAlert(request, decision.alert);
        CollectorMetrics.bump(metrics.batchesRefused, decision.refusal.error);
        return reply.code(decision.status).send(decision.refusal);
      }
      const stores = decision.newEvents.length === 0 || (await store.appendEvents(device.deviceId, device.head.seq, decision.head, decision.newEvents, now()));
      if (stores) {
        // Stored: rules see the batch before the device hears back, and cannot refuse it.
        if (decision.newEvents.length > 0) await alerting?.ingested(device.deviceId, decision.newEvents);
        metrics.batchesAccepted += 1;
        metrics.eventsIngested += decision.newEvents.length;
        // A revoked device's events are stored like any other's; its answer also says it is revoked.
        const access = collectorKey === null ? null : await revokedDeviceNotice(store.database, collectorKey, device.deviceId, request.headers[DEVICE_HEADERS.nonce], now());
        const ack: AckWithAccess = { acknowledgedSeq: decision.head.seq, acknowledgedLink: decision.head.link, ...(access === null ? {} : { access }) };
        return reply.code(200).send(ack);
      }
      // Another request for this device moved its head meanwhile: verify again against it.
      const current = await store.findDevice(device.deviceId);
      if (current === null || attempt >= INGEST_ATTEMPTS) throw new HeadKeptMoving('the device head kept moving during ingest');
      device = current;
    }
  });

  app.get(SYNC_PATHS.status, async (request, reply) => {
    const auth = await authenticate(request, SYNC_PATHS.status);
    if (!auth.ok) return reply.code(auth.status).send(auth.refusal);
    return reply.code(200).send(statusOf(auth.device));
  });

  // Training and access status for devices, answered only by a collector with its key.
  if (collectorKey !== null) {
    await app.register(trainingRoutes, { db: store.database, key: collectorKey, authenticate, now });
    await app.register(accessRoutes, { db: store.database, key: collectorKey, authenticate, now });
  }

  app.get('/health', async (_request, reply) => {
    try {
      await store.ping();
      return await reply.code(200).send({ status: 'ok' });
    } catch {
      return reply.code(503).send({ status: 'unavailable', message: 'the collector cannot reach its storage' });
    }
  });

  app.get('/metrics', async (request, reply) => {
    // Device, enrollment and alert counts say how busy the practice is: only for the
    // monitoring system's token, and not served at all until one is configured.
    if (config.metricsToken === undefined) return reply.code(404).send({ error: 'not-found', message: '/metrics is off: configure a metrics token (CORDON_COLLECTOR_METRICS_TOKEN)' });
    if (!bearerMatches(request.headers.authorization, config.metricsToken)) {
      return reply.code(401).header('www-authenticate', 'Bearer').send({ error: 'unauthorized', message: '/metrics needs the configured bearer token' });
    }
    return reply.code(200).type('text/plain; version=0.0.4; charset=utf-8').send(metrics.render());
  });

  if (config.console !== undefined) {
    const ttlMs = config.enrollmentCodeTtlMs ?? DEFAULT_ENROLLMENT_CODE_TTL_MS;
    await registerConsole(app, config.console, { db: store.database, listeningUrl, issueEnrollmentCode: () => issueEnrollmentCode(store, ttlMs, now()), now, ...(config.retention === undefined ? {} : { retention: config.retention }) });
  }

  // Nonces older than the skew window can never be replayed successfully: forget them.
  const purge = setInterval(() => {
    store.purgeNonces(now()).catch((error: unknown) => console.error(`collector: nonce purge failed: ${error instanceof Error ? error.message : String(error)}`));
  }, Math.min(NONCE_PURGE_INTERVAL_MS, REQUEST_CLOCK_SKEW_MS));
  purge.unref();
  // The one gauge that needs the database is refreshed here, never per scrape.
  const refreshDevices = () => {
    store.deviceCount().then(
      (count) => (metrics.devices = count),
      (error: unknown) => console.error(`collector: device count for /metrics failed: ${error instanceof Error ? error.message : String(error)}`),
    );
  };
  const metricsServed = config.metricsToken !== undefined || config.metricsListen !== undefined;
  if (metricsServed) refreshDevices();
  const deviceGauge = metricsServed ? setInterval(refreshDevices, DEVICE_GAUGE_REFRESH_MS) : null;
  deviceGauge?.unref();
  app.addHook('onClose', async () => {
    clearInterval(purge);
    if (deviceGauge !== null) clearInterval(deviceGauge);
  });
  return app;
}

/** GET /metrics and nothing else, on its own address (config.metricsListen). */
async function listenForMetrics(where: { host: string; port: number }, metrics: CollectorMetrics): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer((request, response) => {
    if (request.method !== 'GET' || request.url !== '/metrics') {
      response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('only GET /metrics here\n');
      return;
    }
    response.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' }).end(metrics.render());
  });
  boundConnections(server, { ...DEFAULT_CONNECTION_LIMITS, maxTotal: 32, maxPerAddress: 8 });
  server.headersTimeout = DEFAULT_CONNECTION_LIMITS.headersTimeoutMs;
  server.keepAliveTimeout = DEFAULT_CONNECTION_LIMITS.idleTimeoutMs;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(where.port, where.host, () => resolve());
  });
  return {
    url: `http://${hostForUrl(where.host)}:${(server.address() as AddressInfo).port}/metrics`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export async function startCollector(config: CollectorConfig = {}): Promise<RunningCollector> {
  const storage = config.storage ?? { kind: 'sqlite', file: DEFAULT_SQLITE_FILE };
  // A bad retention setting stops the start, before anything listens (notes are the caller's to print).
  if (config.retention !== undefined) checkRetentionConfig(config.retention);
  const store = await CollectorStore.open(storage);
  let app: FastifyInstance;
  const host = config.host ?? '127.0.0.1';
  let url = '';
  const metrics = new CollectorMetrics();
  let metricsListener: Awaited<ReturnType<typeof listenForMetrics>> | null = null;
  const alerting = config.alerting === undefined ? null : startAlerting(config.alerting, store.database, metrics, config.clock ?? Date.now);
  const checker = new BatchChecker({
    workers: config.verifyWorkers ?? defaultVerifyWorkers(storage.kind),
    counts: metrics,
    onThreadStopped: (why) => {
      console.error(`collector: a batch verification thread stopped (${why}); batches are checked on the main thread for the next ${THREAD_REST_MS / 1000} s`);
    },
  });
  try {
    app = await buildServer(config, store, metrics, () => url, alerting, checker);
    await app.listen({ host, port: config.port ?? DEFAULT_PORT });
    url = `${config.tls === undefined ? 'http' : 'https'}://${hostForUrl(host)}:${(app.server.address() as AddressInfo).port}`;
    const problem = config.console === undefined ? null : consoleOriginProblem(config.console.publicUrl ?? url);
    if (problem !== null) {
      await app.close();
      throw new Error(problem);
    }
    if (config.metricsListen !== undefined) {
      const where = config.metricsListen;
      metricsListener = await listenForMetrics(where, metrics).catch(async (error: unknown) => {
        await app.close();
        throw error;
      });
    }
  } catch (error) {
    await alerting?.close();
    await store.close();
    throw error;
  }
  const retention = config.retention === undefined ? null : startRetentionSchedule({ db: store.database, storage: storage.kind, key: loadOrCreateCollectorKey(config.retention.keyFile) }, config.retention, config.clock ?? Date.now);
  let closing: Promise<void> | null = null;
  return {
    url,
    ...(metricsListener === null ? {} : { metricsUrl: metricsListener.url }),
    storage: storage.kind,
    close: () =>
      (closing ??= (metricsListener?.close() ?? Promise.resolve())
        .then(() => app.close())
        .then(() => checker.close())
        .then(() => alerting?.close())
        .then(() => retention?.close())
        .then(() => store.close())),
    issueEnrollmentCode: async (options = {}) => (await issueEnrollmentCode(store, options.ttlMs ?? config.enrollmentCodeTtlMs ?? DEFAULT_ENROLLMENT_CODE_TTL_MS, (config.clock ?? Date.now)())).code,
    alerts: (deviceId) => store.alerts(deviceId),
    deviceEvents: (deviceId) => store.deviceEvents(deviceId),
    findSession: (code) => findSession(store, code),
    devices: () => store.devices(),
    deviceStatus: async (deviceId) => {
      const device = await store.findDevice(deviceId);
      return device === null ? null : statusOf(device);
    },
  };
}
