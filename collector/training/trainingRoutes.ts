// POST /v1/training-status for devices (common/audit/trainingProtocol): a request signed by
// an enrolled device's key (the same check as every device request, with its alerts), one
// VA's completions in a statement that names the VA, the device and the device's challenge,
// signed with the collector key that the practice's policy tells devices to trust. A Fastify
// plugin of its own: the collector's server registers it beside its other device routes.
import { sign } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { MAX_STATUS_COMPLETIONS, TRAINING_STATUS_FORMAT, TRAINING_STATUS_PATH, trainingStatementMessage, trainingStatusRequestSchema, type TrainingStatusAnswer } from '../../common/audit/trainingProtocol';
import type { CollectorKey } from '../console/accessLog';
import type { CollectorDatabase } from '../database';
import type { DeviceAuthResult } from '../deviceRequestAuth';
import { latestCompletions } from '../../common/gates/trainingStanding';
import { describeIssues } from '../validationMessage';
import { completionsOf } from './trainingRecords';

export interface TrainingRoutesOptions {
  db: Kysely<CollectorDatabase>;
  /** Signs the answers; its public half is the policy's audit.collectorPublicKey. */
  key: CollectorKey;
  /** The collector's device request check (signature, timestamp, nonce), storing an alert on failure. */
  authenticate: (request: FastifyRequest, route: string) => Promise<DeviceAuthResult>;
  now: () => number;
}

/** The raw body (bytes: the device's signature covers them) as a status request, or what is wrong with it. */
function readRequest(body: unknown): { ok: true; subject: string; challenge: string } | { ok: false; message: string } {
  if (!Buffer.isBuffer(body) || body.length === 0) return { ok: false, message: 'the body must be a JSON document (content-type: application/json)' };
  let value: unknown;
  try {
    value = JSON.parse(body.toString('utf8'));
  } catch {
    return { ok: false, message: 'the body is not valid JSON' };
  }
  const parsed = trainingStatusRequestSchema.safeParse(value);
  return parsed.success ? { ok: true, ...parsed.data } : { ok: false, message: describeIssues(parsed.error, 'messages') };
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
    const asked = readRequest(request.body);
    if (!asked.ok) return reply.code(400).send({ error: 'invalid-body', message: asked.message });
    const statement = {
      format: TRAINING_STATUS_FORMAT,
      subject: asked.subject,
      deviceId: auth.device.deviceId,
      challenge: asked.challenge,
      issuedAt: new Date(options.now()).toISOString(),
      completions: await latestOf(options.db, asked.subject),
    } as const;
    const value = sign(null, Buffer.from(trainingStatementMessage(statement), 'utf8'), options.key.privateKey).toString('base64');
    const answer: TrainingStatusAnswer = { statement, signature: { alg: 'Ed25519', keyId: options.key.keyId, value } };
    return reply.code(200).header('cache-control', 'no-store').send(answer);
  });
}
