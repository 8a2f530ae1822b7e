// Asks the practice's collector for the signed-in VA's training status and decides whether
// to believe the answer (main/gates/collectorAnswers.ts: signed by the policy's collector
// key, about this VA, for this device, echoing this challenge, issued within the clock
// skew). A refused answer changes nothing; no answer at all leaves the last confirmed status.
import type { KeyObject } from 'node:crypto';
import { TRAINING_STATUS_PATH, trainingStatusAnswerSchema, type TrainingStatement } from '../../common/audit/trainingProtocol';
import { TRAINING_CLOCK_SKEW_MS, type ConfirmedTraining } from '../../common/gates/trainingAssessment';
import type { CollectorClient } from '../audit/collectorClient';
import type { SyncTransport } from '../audit/syncTransport';
import { askCollector, judgeCollectorAnswer, newChallenge, type AnswerRefusal } from './collectorAnswers';

/** A believed answer carries the signed statement (kept as it came, so it can be checked again when read back). */
export type TrainingAnswer = { kind: 'confirmed'; statement: TrainingStatement; signature: string } | { kind: 'refused'; reason: AnswerRefusal } | { kind: 'unavailable'; message: string };

/** The status in a verified statement. */
export function confirmedFrom(statement: TrainingStatement): ConfirmedTraining {
  return { issuedAt: Date.parse(statement.issuedAt), completions: statement.completions };
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
  const challenge = newChallenge();
  const answer = await askCollector({ client: ask.client, transport: ask.transport, path: TRAINING_STATUS_PATH, body: { subject: ask.subject, challenge } });
  if (answer.kind === 'unavailable') return answer;
  // Training keeps its offline allowance either way: a refusal is no answer about the VA.
  if (answer.kind === 'declined') return { kind: 'unavailable', message: `the collector answered HTTP ${answer.status}${answer.error === null ? '' : ` ${answer.error}`}` };
  return judgeCollectorAnswer(answer.body, trainingStatusAnswerSchema, ask.key, { subject: ask.subject, deviceId: ask.client.deviceId, challenge, now: ask.now() }, TRAINING_CLOCK_SKEW_MS);
}
