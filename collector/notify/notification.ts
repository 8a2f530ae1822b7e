// What a notification says about an alert that opened, the same for every channel: ids,
// codes, severity and the alert's detail (which names sequence numbers, counts and codes,
// never event content). No PHI leaves the collector this way.
import { z } from 'zod';
import { alertSeveritySchema } from '../alerts';
import type { OpenedAlert } from '../rules/ruleStore';

export const alertNotificationSchema = z
  .object({
    type: z.literal('cordon.alert'),
    alertId: z.number().int().positive(),
    /** A chain alert kind (gap, edit, …) or a rule id (blocked-burst, …). */
    kind: z.string(),
    severity: alertSeveritySchema,
    deviceId: z.string().nullable(),
    /** The VA's IdP subject when the alert is about a person. */
    subject: z.string().nullable(),
    detectedAt: z.iso.datetime(),
    detail: z.string(),
  })
  .strict();
export type AlertNotification = z.infer<typeof alertNotificationSchema>;

export function alertNotification(alert: OpenedAlert): AlertNotification {
  return {
    type: 'cordon.alert',
    alertId: alert.id,
    kind: alert.kind,
    severity: alert.severity,
    deviceId: alert.deviceId,
    subject: alert.subject,
    detectedAt: new Date(alert.detectedAt).toISOString(),
    detail: alert.detail,
  };
}

/** One line for a subject or a syslog MSG. */
export function headline(n: AlertNotification): string {
  return `Cordon ${n.severity} alert: ${n.kind}${n.deviceId === null ? '' : ` on device ${n.deviceId}`}`;
}

/** The fields, in reading order, for channels that list them (syslog structured data, email text). */
export function notificationFields(n: AlertNotification): [name: string, value: string][] {
  return [
    ['alertId', String(n.alertId)],
    ['kind', n.kind],
    ['severity', n.severity],
    ['device', n.deviceId ?? ''],
    ['subject', n.subject ?? ''],
    ['detectedAt', n.detectedAt],
    ['detail', n.detail],
  ];
}
