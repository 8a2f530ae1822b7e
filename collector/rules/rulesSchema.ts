// The collector's rules file (JSON or YAML): the practice's working hours, each alert
// rule with its severity and thresholds, and where notifications go. Validated whole
// before the collector starts; every field has a default except what only the practice
// can know (its schedule, its receivers).
import { z } from 'zod';
import { alertSeveritySchema } from '../alerts';

const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

const timeZone = z.string().refine((zone) => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}, 'must be an IANA time zone such as America/New_York');

/** "08:00-17:30" as minutes of the day; the end may be 24:00. */
const interval = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d-(([01]\d|2[0-3]):[0-5]\d|24:00)$/, 'must be HH:MM-HH:MM (24-hour clock), e.g. 08:00-17:30')
  .transform((text) => {
    const [from, to] = text.split('-').map((t) => Number(t.slice(0, 2)) * 60 + Number(t.slice(3))) as [number, number];
    return { from, to };
  })
  .refine(({ from, to }) => from < to, 'must end after it starts (split a shift that crosses midnight over two days)');

/** Days left out are days off. */
const weekSchedule = z.partialRecord(z.enum(WEEKDAYS), z.array(interval).max(8)).refine((week) => Object.keys(week).length > 0, 'must name at least one day, e.g. mon: ["08:00-17:00"]');

const scheduleSchema = z.object({ timezone: timeZone.optional(), workingHours: weekSchedule }).strict();

const practiceSchema = z
  .object({
    /** Days (off-hours, one device used by several users) are the practice's days in this zone. */
    timezone: timeZone.default('UTC'),
    workingHours: weekSchedule.optional(),
    /** By IdP subject: a VA whose hours differ from the practice's. */
    users: z.record(z.string().min(1).max(255), scheduleSchema).default({}),
  })
  .strict();
export type PracticeSchedule = z.output<typeof practiceSchema>;
export type WeekSchedule = z.output<typeof weekSchedule>;

const severity = alertSeveritySchema;
const count = z.number().int().min(2).max(10_000);
const minutes = z.number().int().min(1).max(7 * 24 * 60);

/** A rule's own fields, plus enabled and severity shared by all. */
const rule = <T extends z.ZodRawShape>(defaultSeverity: z.output<typeof severity>, shape: T) =>
  z.object({ enabled: z.boolean().default(true), severity: severity.default(defaultSeverity), ...shape }).strict();

export const BURST_KINDS = { copy: 'clipboard.blocked', print: 'print.blocked', download: 'download.blocked', upload: 'upload.blocked', navigation: 'navigation.blocked' } as const;
export type BurstKind = keyof typeof BURST_KINDS;

/** One entry per rule, keyed by the id its alerts carry as their kind. */
const rulesSchema = z
  .object({
    'off-hours-sign-in': rule('medium', {}).optional(),
    'blocked-burst': rule('high', { count: count.default(5), withinMinutes: minutes.default(10), kinds: z.array(z.enum(Object.keys(BURST_KINDS) as [BurstKind, ...BurstKind[]])).min(1).default(['copy', 'print', 'download', 'upload', 'navigation']) }).prefault({}),
    'device-silent': rule('high', { afterHours: z.number().int().min(1).max(24 * 30).default(24) }).prefault({}),
    'queue-pressure': rule('medium', { minLevel: z.enum(['soft', 'hard']).default('soft') }).prefault({}),
    'failed-sign-ins': rule('high', { count: count.default(5), withinMinutes: minutes.default(15), ignoreReasons: z.array(z.string().max(64)).default(['cancelled', 'idp-unreachable']) }).prefault({}),
    'new-device-for-user': rule('medium', {}).prefault({}),
    'shared-device': rule('medium', { minUsers: z.number().int().min(2).max(100).default(2) }).prefault({}),
    'idle-locks': rule('low', { count: count.default(6), withinMinutes: minutes.default(60) }).prefault({}),
    'capture-tool': rule('high', {}).prefault({}),
    'watermark-tampering': rule('high', {}).prefault({}),
    /** The collector's own chain alerts (gap, edit, fork, …): already stored, here only notified. */
    'chain-alerts': z.object({ enabled: z.boolean().default(true), minSeverity: severity.default('low') }).strict().prefault({}),
  })
  .strict();
export type RulesConfig = z.output<typeof rulesSchema>;
export type RuleId = Exclude<keyof RulesConfig, 'chain-alerts'>;

const channel = <T extends z.ZodRawShape>(shape: T) => z.object({ minSeverity: severity.default('high'), ...shape }).strict();
const host = z.string().min(1).max(253);
const port = z.number().int().min(1).max(65535);
const file = z.string().min(1).max(4096);
const email = z.email();

const notificationsSchema = z
  .object({
    /** RFC 5424 messages over TLS (RFC 5425) to a SIEM's syslog receiver. */
    syslog: channel({ host, port: port.default(6514), caFile: file, certFile: file.optional(), keyFile: file.optional(), appName: z.string().regex(/^[!-~]{1,48}$/).default('cordon-collector') })
      .refine((s) => (s.certFile === undefined) === (s.keyFile === undefined), { message: 'certFile and keyFile go together (a client certificate for the SIEM)', path: ['certFile'] })
      .optional(),
    /** JSON POSTs signed with HMAC-SHA256; the secret comes from CORDON_COLLECTOR_WEBHOOK_SECRET. */
    webhook: channel({ url: z.url({ protocol: /^https?$/ }), caFile: file.optional() }).optional(),
    /** Mail through an SMTP relay, always upgraded with STARTTLS; the password (if any) comes from CORDON_COLLECTOR_SMTP_PASSWORD. */
    email: channel({ host, port: port.default(587), from: email, to: z.array(email).min(1).max(50), user: z.string().min(1).max(255).optional(), caFile: file.optional() }).optional(),
  })
  .strict();
export type NotificationsConfig = z.output<typeof notificationsSchema>;
export type ChannelName = keyof NotificationsConfig;

export const rulesFileSchema = z
  .object({
    version: z.literal(1),
    practice: practiceSchema.default({ timezone: 'UTC', users: {} }),
    rules: rulesSchema.prefault({}),
    notifications: notificationsSchema.default({}),
  })
  .strict()
  .superRefine((file, context) => {
    const offHours = file.rules['off-hours-sign-in'];
    if (offHours?.enabled === true && file.practice.workingHours === undefined) {
      context.addIssue({ code: 'custom', path: ['practice', 'workingHours'], message: 'the off-hours-sign-in rule needs the practice\'s working hours, e.g. mon: ["08:00-17:00"]' });
    }
  });
export type RulesFile = z.output<typeof rulesFileSchema>;

/** The rules without a rules file: every rule that needs nothing practice-specific, no notifications. */
export const DEFAULT_RULES_FILE: RulesFile = rulesFileSchema.parse({ version: 1 });

