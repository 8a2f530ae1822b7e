// POST /v1/access-status for devices (common/audit/accessProtocol): a request signed by an
// enrolled device's key (the same check as every device request), answered with the device's
// standing and, when it names one, the VA's, in a statement bound to the device's challenge
// and signed with the collector key. A revoked device is still answered: it must learn that
// it is revoked, and it still delivers what it has queued.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { ACCESS_STATUS_PATH, accessStatusRequestSchema } from '../../common/audit/accessProtocol';
import type { CollectorKey } from '../console/accessLog';
import type { CollectorDatabase } from '../database';
import type { DeviceAuthResult } from '../deviceRequestAuth';
import { parseDeviceBody } from '../deviceRequestBody';
import { accessAnswer } from './accessAnswer';
import { accessStanding } from './accessStanding';

export interface AccessRoutesOptions {
  db: Kysely<CollectorDatabase>;
  /** Signs the answers; its public half is the policy's audit.collectorPublicKey. */
  key: CollectorKey;
  /** The collector's device request check (signature, timestamp, nonce), storing an alert on failure. */
  authenticate: (request: FastifyRequest, route: string) => Promise<DeviceAuthResult>;
  now: () => number;
}

export async function accessRoutes(app: FastifyInstance, options: AccessRoutesOptions): Promise<void> {
  app.post(ACCESS_STATUS_PATH, async (request, reply) => {
    const auth = await options.authenticate(request, ACCESS_STATUS_PATH);
    if (!auth.ok) return reply.code(auth.status).send(auth.refusal);
    const asked = parseDeviceBody(request.body, accessStatusRequestSchema);
    if (!asked.ok) return reply.code(400).send({ error: 'invalid-body', message: asked.message });
    const now = options.now();
    const { deviceId } = auth.device;
    const { subject, challenge } = asked.value;
    const device = await accessStanding(options.db, 'device', deviceId, now);
    const va = subject === null ? null : { subject, standing: await accessStanding(options.db, 'user', subject, now) };
    const answer = accessAnswer(options.key, { deviceId, challenge, now, device, va });
    return reply.code(200).header('cache-control', 'no-store').send(answer);
  });
}
