// The signed access statements the collector gives devices (common/audit/accessProtocol):
// the answer to a device's access-status request, and the notice a revoked device gets with
// the acknowledgement of every batch it delivers (bound to that request's nonce).
import type { Kysely } from 'kysely';
import { ACCESS_STATUS_FORMAT, accessStatementMessage, type AccessStanding, type AccessStatement, type AccessStatusAnswer } from '../../common/audit/accessProtocol';
import { challengeSchema } from '../../common/audit/collectorStatement';
import { signCollectorStatement } from '../collectorStatementSigner';
import type { CollectorKey } from '../console/accessLog';
import type { CollectorDatabase } from '../database';
import { revocationInForce, standingOf } from './accessStanding';

export interface AccessAnswerParts {
  deviceId: string;
  challenge: string;
  now: number;
  device: AccessStanding;
  /** The VA asked about and their standing; null when the device asked for itself alone. */
  va: { subject: string; standing: AccessStanding } | null;
}

/** The statement for these standings, signed with the collector key. */
export function accessAnswer(key: CollectorKey, parts: AccessAnswerParts): AccessStatusAnswer {
  const statement: AccessStatement = {
    format: ACCESS_STATUS_FORMAT,
    deviceId: parts.deviceId,
    subject: parts.va?.subject ?? null,
    challenge: parts.challenge,
    issuedAt: new Date(parts.now).toISOString(),
    device: parts.device,
    user: parts.va?.standing ?? null,
  };
  return { statement, signature: signCollectorStatement(key, accessStatementMessage(statement)) };
}

/**
 * For the answer to a delivered batch: the signed statement that the device is revoked, bound
 * to the request's nonce; null for a device that is not revoked (the common case: one
 * indexed lookup), or when the nonce cannot serve as a challenge.
 */
export async function revokedDeviceNotice(db: Kysely<CollectorDatabase>, key: CollectorKey, deviceId: string, nonce: unknown, now: number): Promise<AccessStatusAnswer | null> {
  const challenge = challengeSchema.safeParse(nonce);
  if (!challenge.success) return null;
  const inForce = await revocationInForce(db, 'device', deviceId, now);
  if (inForce === null) return null;
  return accessAnswer(key, { deviceId, challenge: challenge.data, now, device: standingOf([inForce], now), va: null });
}
