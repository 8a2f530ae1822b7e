// Asks the practice's collector whether this device's and the signed-in VA's access still
// stand, and decides whether to believe an answer (main/gates/collectorAnswers.ts): asked
// with a fresh challenge, or carried by a batch's answer, where the challenge is that
// request's nonce.
import type { KeyObject } from 'node:crypto';
import { ACCESS_STATUS_PATH, accessStatusAnswerSchema, type AccessStatement } from '../../common/audit/accessProtocol';
import { REQUEST_CLOCK_SKEW_MS } from '../../common/audit/syncProtocol';
import type { CollectorClient } from '../audit/collectorClient';
import type { SyncTransport } from '../audit/syncTransport';
import { askCollector, judgeCollectorAnswer, newChallenge, type ExpectedAnswer, type JudgedAnswer } from './collectorAnswers';

/** `declined`: the collector refused the question (this device not enrolled, or its clock too far off): no outage, and no confirmation. */
export type AccessAnswer = JudgedAnswer<AccessStatement> | { kind: 'declined'; status: number; error: string | null } | { kind: 'unavailable'; message: string };

/** The decision on an answer (its text, or JSON already parsed from a batch's answer). */
export function judgeAccessAnswer(answer: unknown, key: KeyObject, expected: ExpectedAnswer): JudgedAnswer<AccessStatement> {
  return judgeCollectorAnswer(answer, accessStatusAnswerSchema, key, expected, REQUEST_CLOCK_SKEW_MS);
}

export interface AccessAsk {
  client: Pick<CollectorClient, 'signed' | 'deviceId'>;
  transport: SyncTransport;
  key: KeyObject;
  /** The signed-in VA, or null to ask for the device alone. */
  subject: string | null;
  now: () => number;
}

/** One question to the collector, and the decision on its answer. */
export async function askAccessStatus(ask: AccessAsk): Promise<AccessAnswer> {
  const challenge = newChallenge();
  const answer = await askCollector({ client: ask.client, transport: ask.transport, path: ACCESS_STATUS_PATH, body: { subject: ask.subject, challenge } });
  if (answer.kind !== 'answer') return answer;
  return judgeAccessAnswer(answer.body, ask.key, { subject: ask.subject, deviceId: ask.client.deviceId, challenge, now: ask.now() });
}
