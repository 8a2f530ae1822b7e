// POST /v1/training-status for devices (common/audit/trainingProtocol): a request signed by
// an enrolled device's key (the same check as every device request, with its alerts), one
// VA's completions in a statement that names the VA, the device and the device's challenge,
// signed with the collector key that the practice's policy tells devices to trust. A Fastify
// plugin of its own: the collector's server registers it beside its other device routes.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { MAX_STATUS_COMPLETIONS, TRAINING_STATUS_FORMAT, TRAINING_STATUS_PATH, trainingStatementMessage, trainingStatusRequestSchema, type TrainingStatusAnswer } from '../../common/audit/trainingProtocol';
import type { CollectorKey } from '../console/accessLog';
import type { CollectorDatabase } from '../database';
import type { DeviceAuthResult } from '../deviceRequestAuth';
import { latestCompletions } from '../../common/gates/trainingStanding';
import { signCollectorStatement } from '../collectorStatementSigner';
import { parseDeviceBody } from '../deviceRequestBody';
import { completionsOf } from './trainingRecords';

export interface TrainingRoutesOptions {
  db: Kysely<CollectorDatabase>;
  /** Signs the answers; its public half is the policy's audit.collectorPublicKey. */
  key: CollectorKey;
  /** The collector's device request check (signature, timestamp, nonce), storing an alert on failure. */
  authenticate: (request: FastifyRequest, route: string) => Promise<DeviceAuthResult>;
  now: () => number;
}

/** The latest completion of each course is all a device judges by; the most recent first if a VA had more courses than an answer carries. */
async function latestOf(db: Kysely<CollectorDatabase>, subject: string) {
  const latest = [...latestCompletions(await completionsOf(db, subject)).values()];
  return latest.sort((a, b) => (a.completedOn < b.completedOn ? 1 : a.completedOn > b.completedOn ? -1 : 0)).slice(0, MAX_STATUS_COMPLETIONS);
}

export async function trainingRoutes(app: FastifyInstance, options: TrainingRoutesOptions): Promise<void> {
  app.post(TRAINING_STATUS_PATH, async (request, reply) => {
    const auth = await options.authenticate(request, TRAINING_STATUS_PATH);
    if (!auth.ok) return reply.code(auth.status).send(auth.refusal);
    const asked = parseDeviceBody(request.body, trainingStatusRequestSchema);
    if (!asked.ok) return reply.code(400).send({ error: 'invalid-body', message: asked.message });
    const statement = {
      format: TRAINING_STATUS_FORMAT,
      subject: asked.value.subject,
      deviceId: auth.device.deviceId,
      challenge: asked.value.challenge,
      issuedAt: new Date(options.now()).toISOString(),
      completions: await latestOf(options.db, asked.value.subject),
    } as const;
    const answer: TrainingStatusAnswer = { statement, signature: signCollectorStatement(options.key, trainingStatementMessage(statement)) };
    return reply.code(200).header('cache-control', 'no-store').send(answer);
  });
}
