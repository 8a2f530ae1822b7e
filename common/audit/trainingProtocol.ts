// The training status exchange between a device and the collector: the device asks, in a
// request signed with its device key (DEVICE_HEADERS), for one VA's completions with a fresh
// challenge; the collector answers with a statement signed by the collector key, naming the
// VA, the device and the challenge, so an answer cannot be moved to another VA or device or
// replayed later. The device believes it only under the collector key its signed policy
// names (audit.collectorPublicKey). The statement carries records, not a verdict: the device
// judges them against its own policy (common/gates/trainingAssessment).
import { z } from 'zod';
import { calendarDateSchema, courseIdSchema } from '../policy/policySchema';
import { challengeSchema, collectorSignatureSchema, collectorStatementMessage, subjectSchema } from './collectorStatement';
import { deviceIdSchema } from './syncProtocol';

export const TRAINING_STATUS_PATH = '/v1/training-status';
export const TRAINING_STATUS_FORMAT = 'cordon-training-status/1';

/** An answer carries the latest completion of each course, at most this many (well inside a device's 64 KB answer limit). */
export const MAX_STATUS_COMPLETIONS = 200;

export const trainingStatusRequestSchema = z.object({ subject: subjectSchema, challenge: challengeSchema }).strict();
export type TrainingStatusRequest = z.infer<typeof trainingStatusRequestSchema>;

export const trainingStatementSchema = z
  .object({
    format: z.literal(TRAINING_STATUS_FORMAT),
    subject: subjectSchema,
    deviceId: deviceIdSchema,
    challenge: challengeSchema,
    /** The collector's clock when it answered. */
    issuedAt: z.iso.datetime({ offset: true }),
    completions: z.array(z.object({ course: courseIdSchema, completedOn: calendarDateSchema, expiresOn: calendarDateSchema.nullable() }).strict()).max(MAX_STATUS_COMPLETIONS),
  })
  .strict();
export type TrainingStatement = z.infer<typeof trainingStatementSchema>;

export const trainingStatusAnswerSchema = z
  .object({
    statement: trainingStatementSchema,
    signature: collectorSignatureSchema,
  })
  .strict();
export type TrainingStatusAnswer = z.infer<typeof trainingStatusAnswerSchema>;

/** The exact bytes the collector's signature covers. */
export function trainingStatementMessage(statement: TrainingStatement): string {
  return collectorStatementMessage(statement);
}
