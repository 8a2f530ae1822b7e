// Asking the practice's collector something about this device and its VA, and deciding
// whether to believe the answer (training status, access status): a device-signed request
// with a fresh challenge, then a statement signed by the collector key the signed policy
// names, about this VA, for this device, echoing this challenge, issued within the clock
// skew. Anything else is refused with its reason (to audit) and changes nothing.
import { createPublicKey, randomBytes, verify, type KeyObject } from 'node:crypto';
import type { z } from 'zod';
import { collectorStatementMessage } from '../../common/audit/collectorStatement';
import { isTransientStatus, type CollectorClient } from '../audit/collectorClient';
import { TransportError, type SyncTransport } from '../audit/syncTransport';

/** Why an answer was not believed: each is audited, none says anything about the VA. */
export const REFUSAL_REASONS = ['not-json', 'malformed', 'bad-signature', 'other-subject', 'other-device', 'other-challenge', 'clock-skew'] as const;
export type AnswerRefusal = (typeof REFUSAL_REASONS)[number];

/** What every signed statement names, so an answer cannot be moved to another VA, device or question. */
interface Addressed {
  subject: string | null;
  deviceId: string;
  challenge: string;
  issuedAt: string;
}

export type JudgedAnswer<S> = { kind: 'confirmed'; statement: S; signature: string } | { kind: 'refused'; reason: AnswerRefusal };

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
export function signedByCollector(statement: object, signature: string, key: KeyObject): boolean {
  const bytes = Buffer.from(signature, 'base64');
  return bytes.length === 64 && verify(null, Buffer.from(collectorStatementMessage(statement), 'utf8'), key, bytes);
}

export interface ExpectedAnswer {
  subject: string | null;
  deviceId: string;
  challenge: string;
  now: number;
}

/** A new challenge for one question: 24 random bytes, base64url. */
export function newChallenge(): string {
  return randomBytes(24).toString('base64url');
}

/** The decision on an answer (its body's text, or JSON already parsed): believed, or why not. */
export function judgeCollectorAnswer<S extends Addressed>(answer: string | unknown, schema: z.ZodType<{ statement: S; signature: { value: string } }>, key: KeyObject, expected: ExpectedAnswer, skewMs: number): JudgedAnswer<S> {
  const refuse = (reason: AnswerRefusal) => ({ kind: 'refused' as const, reason });
  let json: unknown = answer;
  if (typeof answer === 'string') {
    try {
      json = JSON.parse(answer);
    } catch {
      return refuse('not-json');
    }
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) return refuse('malformed');
  const { statement, signature } = parsed.data;
  // Signature first: nothing in an unsigned answer is looked at.
  if (!signedByCollector(statement, signature.value, key)) return refuse('bad-signature');
  if (statement.subject !== expected.subject) return refuse('other-subject');
  if (statement.deviceId !== expected.deviceId) return refuse('other-device');
  if (statement.challenge !== expected.challenge) return refuse('other-challenge');
  if (Math.abs(Date.parse(statement.issuedAt) - expected.now) > skewMs) return refuse('clock-skew');
  return { kind: 'confirmed', statement, signature: signature.value };
}

export interface CollectorQuestion {
  client: Pick<CollectorClient, 'signed' | 'deviceId'>;
  transport: SyncTransport;
  path: string;
  body: object;
}

/**
 * What came back: an answer to judge; `declined` when the collector refused the question
 * itself (this device not enrolled, or its clock too far from the collector's), which is
 * not an outage; `unavailable` when nothing usable came (no network, overload, a rate limit).
 */
export type CollectorReply = { kind: 'answer'; body: string } | { kind: 'declined'; status: number; error: string | null } | { kind: 'unavailable'; message: string };

function errorCodeOf(body: string): string | null {
  try {
    const json: unknown = JSON.parse(body);
    const error = typeof json === 'object' && json !== null && 'error' in json ? json.error : null;
    return typeof error === 'string' && /^[a-z-]{1,40}$/.test(error) ? error : null;
  } catch {
    return null;
  }
}

/** Sends one signed question. */
export async function askCollector(question: CollectorQuestion): Promise<CollectorReply> {
  const request = question.client.signed('POST', question.path, JSON.stringify(question.body));
  let response;
  try {
    response = await question.transport.send(request);
  } catch (error) {
    if (error instanceof TransportError) return { kind: 'unavailable', message: error.message };
    throw error;
  }
  if (isTransientStatus(response.status)) return { kind: 'unavailable', message: `the collector answered HTTP ${response.status}` };
  if (response.status !== 200) return { kind: 'declined', status: response.status, error: errorCodeOf(response.body) };
  return { kind: 'answer', body: response.body };
}
