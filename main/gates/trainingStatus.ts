// Asks the practice's collector for the signed-in VA's training status and decides whether
// to believe the answer: a device-signed request with a fresh challenge, then an answer
// signed by the collector key the signed policy names, about this VA, for this device,
// echoing this challenge, issued within the clock skew. Anything else is refused with its
// reason (to audit) and changes nothing; no answer at all leaves the last confirmed status.
import { createPublicKey, randomBytes, verify, type KeyObject } from 'node:crypto';
import { TRAINING_STATUS_PATH, trainingStatementMessage, trainingStatusAnswerSchema, type TrainingStatement } from '../../common/audit/trainingProtocol';
import { TRAINING_CLOCK_SKEW_MS, type ConfirmedTraining } from '../../common/gates/trainingAssessment';
import type { CollectorClient } from '../audit/collectorClient';
import { TransportError, type SyncTransport } from '../audit/syncTransport';

/** Why an answer was not believed: each is audited (training.status-refused), none says anything about the VA. */
export const REFUSAL_REASONS = ['not-json', 'malformed', 'bad-signature', 'other-subject', 'other-device', 'other-challenge', 'clock-skew'] as const;
export type TrainingRefusal = (typeof REFUSAL_REASONS)[number];

/** A believed answer carries the signed statement (kept as it came, so it can be checked again when read back). */
export type TrainingAnswer = { kind: 'confirmed'; statement: TrainingStatement; signature: string } | { kind: 'refused'; reason: TrainingRefusal } | { kind: 'unavailable'; message: string };

/** The policy's collector key, or null when it is not one (the policy schema already checks its form). */
export function collectorKeyFrom(pem: string): KeyObject | null {
  try {
    const key = createPublicKey(pem);
    return key.asymmetricKeyType === 'ed25519' ? key : null;
  } catch {
    return null;
  }
}

/** Whether `statement` is the collector key's, with the signature as the answer carries it (base64). */
export function signedByCollector(statement: TrainingStatement, signature: string, key: KeyObject): boolean {
  const bytes = Buffer.from(signature, 'base64');
  return bytes.length === 64 && verify(null, Buffer.from(trainingStatementMessage(statement), 'utf8'), key, bytes);
}

/** The status in a verified statement. */
export function confirmedFrom(statement: TrainingStatement): ConfirmedTraining {
  return { issuedAt: Date.parse(statement.issuedAt), completions: statement.completions };
}

export interface ExpectedAnswer {
  subject: string;
  deviceId: string;
  challenge: string;
  now: number;
}

/** The decision on an answer's body: believed, or why not. */
export function judgeTrainingAnswer(body: string, key: KeyObject, expected: ExpectedAnswer): Exclude<TrainingAnswer, { kind: 'unavailable' }> {
  const refuse = (reason: TrainingRefusal) => ({ kind: 'refused' as const, reason });
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return refuse('not-json');
  }
  const parsed = trainingStatusAnswerSchema.safeParse(json);
  if (!parsed.success) return refuse('malformed');
  const { statement, signature } = parsed.data;
  // Signature first: nothing in an unsigned answer is looked at.
  if (!signedByCollector(statement, signature.value, key)) return refuse('bad-signature');
  if (statement.subject !== expected.subject) return refuse('other-subject');
  if (statement.deviceId !== expected.deviceId) return refuse('other-device');
  if (statement.challenge !== expected.challenge) return refuse('other-challenge');
  if (Math.abs(Date.parse(statement.issuedAt) - expected.now) > TRAINING_CLOCK_SKEW_MS) return refuse('clock-skew');
  return { kind: 'confirmed', statement, signature: signature.value };
}

export interface TrainingAsk {
  client: Pick<CollectorClient, 'signed' | 'deviceId'>;
  transport: SyncTransport;
  key: KeyObject;
  subject: string;
  now: () => number;
}

/** One question to the collector, and the decision on its answer. */
export async function askTrainingStatus(ask: TrainingAsk): Promise<TrainingAnswer> {
  const challenge = randomBytes(24).toString('base64url');
  const request = ask.client.signed('POST', TRAINING_STATUS_PATH, JSON.stringify({ subject: ask.subject, challenge }));
  let response;
  try {
    response = await ask.transport.send(request);
  } catch (error) {
    if (error instanceof TransportError) return { kind: 'unavailable', message: error.message };
    throw error;
  }
  // A refusal (an unknown device, a rate limit) or an outage: no answer to judge.
  if (response.status !== 200) return { kind: 'unavailable', message: `the collector answered HTTP ${response.status}` };
  return judgeTrainingAnswer(response.body, ask.key, { subject: ask.subject, deviceId: ask.client.deviceId, challenge, now: ask.now() });
}
