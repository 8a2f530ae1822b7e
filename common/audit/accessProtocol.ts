// Whether a device and its VA may still reach the practice: the device asks at start, at
// sign-in and every few minutes (a request signed with its device key, with a fresh
// challenge), and the collector answers with a statement signed by the collector key,
// naming the device, the VA and the challenge. A revoked device also hears it in the answer
// to every batch it delivers (ACK_WITH_ACCESS): there the challenge is the batch request's
// own nonce, so an old answer cannot be replayed either. The statement carries standings,
// not commands: the device decides with common/gates/accessDecision under its own clock.
import { z } from 'zod';
import { challengeSchema, collectorSignatureSchema, collectorStatementMessage, subjectSchema } from './collectorStatement';
import { batchAckSchema, deviceIdSchema } from './syncProtocol';

export const ACCESS_STATUS_PATH = '/v1/access-status';
export const ACCESS_STATUS_FORMAT = 'cordon-access-status/1';

/** Why access ended: revoked by an admin now, or a user's access end date has passed. */
export const ACCESS_END_REASONS = ['revoked', 'access-ended'] as const;
export type AccessEndReason = (typeof ACCESS_END_REASONS)[number];

const instant = z.iso.datetime({ offset: true });

/** A device's or a VA's access: active (a VA's with the end date IT set, if any), or ended since when and why. */
export const accessStandingSchema = z.discriminatedUnion('state', [
  z.object({ state: z.literal('active'), endsAt: instant.nullable() }).strict(),
  z.object({ state: z.literal('revoked'), since: instant, reason: z.enum(ACCESS_END_REASONS) }).strict(),
]);
export type AccessStanding = z.infer<typeof accessStandingSchema>;

/** `subject` null: the device asks for itself alone (nobody signed in). */
export const accessStatusRequestSchema = z.object({ subject: subjectSchema.nullable(), challenge: challengeSchema }).strict();
export type AccessStatusRequest = z.infer<typeof accessStatusRequestSchema>;

export const accessStatementSchema = z
  .object({
    format: z.literal(ACCESS_STATUS_FORMAT),
    deviceId: deviceIdSchema,
    subject: subjectSchema.nullable(),
    challenge: challengeSchema,
    /** The collector's clock when it answered. */
    issuedAt: instant,
    device: accessStandingSchema,
    /** The VA's standing; null exactly when `subject` is. */
    user: accessStandingSchema.nullable(),
  })
  .strict()
  .refine((s) => (s.subject === null) === (s.user === null), { path: ['user'], message: 'must be given exactly when subject is' });
export type AccessStatement = z.infer<typeof accessStatementSchema>;

export const accessStatusAnswerSchema = z.object({ statement: accessStatementSchema, signature: collectorSignatureSchema }).strict();
export type AccessStatusAnswer = z.infer<typeof accessStatusAnswerSchema>;

/** The answer to a delivered batch: the ack, and for a revoked device the signed statement saying so (challenge: the request's nonce). */
export const ackWithAccessSchema = batchAckSchema.extend({ access: accessStatusAnswerSchema.optional() }).strict();
export type AckWithAccess = z.infer<typeof ackWithAccessSchema>;

/** The exact bytes the collector's signature covers. */
export function accessStatementMessage(statement: AccessStatement): string {
  return collectorStatementMessage(statement);
}
