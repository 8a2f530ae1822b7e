// Enrollment: registers this device's key with the practice's collector (POST /v1/enroll),
// proven either by the VA's access token for the collector's audience (zero-touch, at
// sign-in) or by a one-time code IT issued. The request carries the key's signature over
// enrollmentMessage() (proof of possession). The result is kept in the encrypted queue;
// enrolling again with the same collector and key is answered from there, without a
// request. Errors never carry the proof (a token or code) in their message.
import { sign } from 'node:crypto';
import type { z } from 'zod';
import { enrollmentMessage, enrollmentProofSchema, type EnrollmentRequest } from '../../common/audit/syncProtocol';
import type { AuditQueue, Enrollment } from './auditQueue';
import type { CollectorClient } from './collectorClient';
import { deviceIdOf, type DeviceKey } from './deviceKey';

export type EnrollmentProof = z.infer<typeof enrollmentProofSchema>;

export type EnrollmentErrorCode = 'invalid-proof' | 'collector-unreachable' | 'refused';

export class EnrollmentError extends Error {
  constructor(
    readonly code: EnrollmentErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'EnrollmentError';
  }
}

const MAX_DEVICE_NAME = 128;

/** The signed enrollment request for this device key. */
export function enrollmentRequest(deviceKey: DeviceKey, deviceName: string, proof: EnrollmentProof): EnrollmentRequest {
  const name = deviceName.trim().slice(0, MAX_DEVICE_NAME) || 'Cordon device';
  const unsigned = { deviceId: deviceIdOf(deviceKey.publicKeyPem), publicKeyPem: deviceKey.publicKeyPem, deviceName: name };
  return { ...unsigned, proof, signature: sign(null, Buffer.from(enrollmentMessage(unsigned), 'utf8'), deviceKey.privateKey).toString('base64url') };
}

/** Whether the queue records an enrollment of this key with this collector. */
export function currentEnrollment(queue: AuditQueue, client: CollectorClient): Enrollment | null {
  const enrollment = queue.enrollment();
  return enrollment !== null && enrollment.collectorUrl === client.collectorUrl && enrollment.deviceId === client.deviceId ? enrollment : null;
}

export async function enrollDevice(options: { queue: AuditQueue; client: CollectorClient; deviceKey: DeviceKey; deviceName: string; proof: EnrollmentProof; now?: () => number }): Promise<Enrollment> {
  const { queue, client, deviceKey } = options;
  const existing = currentEnrollment(queue, client);
  if (existing !== null) return existing;
  const proof = enrollmentProofSchema.safeParse(options.proof);
  if (!proof.success) {
    throw new EnrollmentError('invalid-proof', options.proof.kind === 'enrollment-code' ? 'An enrollment code looks like ABCD-EFGH-JKLM-NPQR (letters and digits). Check the code IT gave you.' : 'The sign-in did not yield a usable token for the audit collector.');
  }
  const answer = await client.enroll(enrollmentRequest(deviceKey, options.deviceName, proof.data));
  if (answer.kind === 'unavailable') throw new EnrollmentError('collector-unreachable', `Cordon cannot reach the practice's audit collector to enroll this computer (${answer.message}). It will try again.`);
  if (answer.kind === 'refused') {
    throw new EnrollmentError('refused', `The practice's audit collector refused to enroll this computer (HTTP ${answer.status}${answer.error === null ? '' : ` ${answer.error}`}: ${answer.message}). Call IT.`);
  }
  const enrollment: Enrollment = { deviceId: client.deviceId, collectorUrl: client.collectorUrl, enrolledAt: (options.now ?? Date.now)() };
  queue.recordEnrollment(enrollment);
  return enrollment;
}
