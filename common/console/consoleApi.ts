// The console's API, defined once: per route its method, path, zod schemas and the roles
// allowed. The collector registers its routes from this table (one authorisation check in
// one place), the console UI calls through a client typed from it, and the role-matrix
// test is generated from it. Pure: no Node, no DOM.
import { z } from 'zod';
import { ACCESS_END_REASONS } from '../audit/accessProtocol';
import { AUDIT_EVENT_TYPES, type AuditEventType } from '../audit/auditCatalog';
import { deviceIdSchema } from '../audit/syncProtocol';
import { OUTSTANDING_WHY } from '../gates/agreementStanding';
import { COURSE_STATES, type CourseStanding } from '../gates/trainingStanding';
import { CHECK_RESULTS, DEVICE_CHECK_IDS } from '../posture/deviceChecks';
import { SESSION_CODE_PATTERN } from './sessionCode';

/** Roles that may use the console at all. A VA (or no role) is refused everywhere. */
export const CONSOLE_ROLES = ['supervisor', 'compliance', 'admin'] as const;
export type ConsoleRole = (typeof CONSOLE_ROLES)[number];

export const CONSOLE_BASE = '/console';
export const CONSOLE_API_BASE = `${CONSOLE_BASE}/api`;
export const CONSOLE_AUTH_PATHS = {
  signIn: `${CONSOLE_BASE}/auth/sign-in`,
  callback: `${CONSOLE_BASE}/auth/callback`,
  signedOut: `${CONSOLE_BASE}/signed-out`,
} as const;
/** The header a state-changing request carries its CSRF token in. */
export const CSRF_HEADER = 'x-cordon-csrf';
export const MAX_PAGE_SIZE = 200;
export const DEFAULT_PAGE_SIZE = 50;

const REVIEWERS = ['supervisor', 'compliance'] as const satisfies readonly ConsoleRole[];

const isoTime = z.iso.datetime({ offset: true });
const sessionCode = z.string().regex(SESSION_CODE_PATTERN, 'must be a session code like 7K2M-QX4P');
/** Opaque cursor (base64url); the server checks what it holds. */
const cursor = z.string().regex(/^[A-Za-z0-9_-]{1,400}$/, 'is not a cursor this console issued');
const pageSize = z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(DEFAULT_PAGE_SIZE);
const flag = z.enum(['true', 'false']).transform((v) => v === 'true');
const note = z.string().trim().max(2000);

export const REVIEW_STATUSES = ['not-reviewed', 'reviewed', 'flagged'] as const;
export type ReviewStatus = (typeof REVIEW_STATUSES)[number];
export const ALERT_STATUSES = ['open', 'acknowledged', 'resolved'] as const;
export type AlertStatus = (typeof ALERT_STATUSES)[number];
export const CHAIN_STATUSES = ['verified', 'delivered-late', 'gap', 'tampered'] as const;
export type ChainStatus = (typeof CHAIN_STATUSES)[number];

export const meSchema = z.object({
  subject: z.string(),
  name: z.string(),
  email: z.string(),
  roles: z.array(z.enum(CONSOLE_ROLES)),
  mfa: z.string(),
  csrfToken: z.string(),
  idleTimeoutSeconds: z.number().int(),
  expiresAt: isoTime,
});

export const sessionRowSchema = z.object({
  deviceId: z.string(),
  deviceName: z.string(),
  code: z.string(),
  subject: z.string().nullable(),
  startedAt: isoTime,
  endedAt: isoTime.nullable(),
  lastEventAt: isoTime,
  apps: z.array(z.string()),
  events: z.number().int(),
  blocks: z.number().int(),
  locks: z.number().int(),
  openAlerts: z.number().int(),
  review: z.enum(REVIEW_STATUSES),
  reviewNote: z.string().nullable(),
});
export type SessionRow = z.infer<typeof sessionRowSchema>;

/** The sessions list's filters; an export selects with exactly these. */
const sessionFilterFields = {
  user: z.string().trim().min(1).max(255).optional(),
  device: z.string().trim().min(1).max(128).optional(),
  from: isoTime.optional(),
  to: isoTime.optional(),
  hasAlerts: flag.optional(),
  notReviewed: flag.optional(),
};
const fromNotAfterTo = (q: { from?: string; to?: string }) => q.from === undefined || q.to === undefined || Date.parse(q.from) <= Date.parse(q.to);
const toBeforeFrom = { path: ['to'], message: 'must not be before from' };

export const sessionsQuerySchema = z
  .object({ ...sessionFilterFields, cursor: cursor.optional(), limit: pageSize })
  .strict()
  .refine(fromNotAfterTo, toBeforeFrom);

export const EXPORT_FORMATS = ['csv', 'fhir-collection', 'fhir-transaction', 'evidence'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/**
 * An export: every event of every session the sessions list shows for these filters (all
 * pages), or of one session (`device` and `code`, from its timeline).
 */
export const exportQuerySchema = z
  .object({ ...sessionFilterFields, code: sessionCode.optional(), format: z.enum(EXPORT_FORMATS) })
  .strict()
  .refine(fromNotAfterTo, toBeforeFrom);
export type ExportQuery = z.output<typeof exportQuerySchema>;

/** A file for the browser to save, not JSON to show. */
export const exportFileSchema = z.object({
  fileName: z.string().regex(/^[A-Za-z0-9._-]{1,100}$/),
  contentType: z.string(),
  content: z.custom<Uint8Array>((value) => value instanceof Uint8Array, 'must be the file content'),
});

export const timelineEventSchema = z.object({
  seq: z.number().int(),
  type: z.enum(AUDIT_EVENT_TYPES as [string, ...string[]]),
  outcome: z.string(),
  recordedAt: isoTime,
  receivedAt: isoTime,
  appId: z.string().nullable(),
  origin: z.string().nullable(),
  reason: z.string().nullable(),
  chain: z.enum(CHAIN_STATUSES),
});
export type TimelineEvent = z.infer<typeof timelineEventSchema>;

export const stretchSchema = z.object({ fromSeq: z.number().int(), toSeq: z.number().int(), status: z.enum(CHAIN_STATUSES), explanation: z.string() });
export type ChainStretch = z.infer<typeof stretchSchema>;

export const timelineSchema = z.object({
  session: sessionRowSchema,
  events: z.array(timelineEventSchema),
  stretches: z.array(stretchSchema),
  /** True when the session has more events than one answer carries. */
  truncated: z.boolean(),
});

export const alertRowSchema = z.object({
  id: z.number().int(),
  kind: z.string(),
  severity: z.enum(['critical', 'high', 'medium', 'low']),
  deviceId: z.string().nullable(),
  deviceName: z.string().nullable(),
  subject: z.string().nullable(),
  seq: z.number().int().nullable(),
  detectedAt: isoTime,
  detail: z.string(),
  /** Where the request came from: an attack on a device reads differently from a device at fault. */
  sourceAddress: z.string().nullable(),
  /** Repeats folded into this alert: of a chain alert from that source, or a rule's findings in its window. */
  occurrences: z.number().int().positive(),
  /** The latest repeat; null while it happened once. */
  lastDetectedAt: isoTime.nullable(),
  /**
   * A rule alert's deduplication window (what one alert stands for): the start of a burst's
   * time bucket, the practice day (its date at 00:00 UTC), or when a silence began. Null
   * for the collector's chain alerts.
   */
  windowStart: isoTime.nullable(),
  status: z.enum(ALERT_STATUSES),
  note: z.string().nullable(),
  handledBy: z.string().nullable(),
});
export type AlertRow = z.infer<typeof alertRowSchema>;

/** A device check's latest result as the device reported it (its device.posture-changed events), and when. */
export const devicePostureSchema = z.object({
  check: z.enum(DEVICE_CHECK_IDS),
  result: z.enum(CHECK_RESULTS),
  level: z.enum(['recommended', 'required']),
  /** When the device recorded it (its own clock). */
  at: isoTime,
});
export type DevicePostureRow = z.infer<typeof devicePostureSchema>;

export const deviceRowSchema = z.object({
  deviceId: z.string(),
  deviceName: z.string(),
  enrollmentMethod: z.string(),
  enrolledBy: z.string().nullable(),
  enrolledAt: isoTime,
  lastSyncAt: isoTime.nullable(),
  headSeq: z.number().int(),
  /** From the device's open chain alerts only (gap, edit, fork, …): rule alerts say nothing about its history. */
  chain: z.enum(['intact', 'alerts']),
  chainAlerts: z.number().int(),
  /** Every open alert about the device, rule alerts included. */
  openAlerts: z.number().int(),
  softwareVersion: z.string().nullable(),
  /** Since when IT's revocation of this device is in force; null while it may work. */
  revokedSince: isoTime.nullable(),
  /** The latest result of each check the device has reported, in DEVICE_CHECK_IDS order. */
  posture: z.array(devicePostureSchema),
});

export const accessLogEntrySchema = z.object({
  seq: z.number().int(),
  at: isoTime,
  actor: z.string(),
  action: z.string(),
  outcome: z.enum(['success', 'refused']),
  target: z.string().nullable(),
});
export type AccessLogEntry = z.infer<typeof accessLogEntrySchema>;

export const overviewSchema = z.object({
  days: z.array(z.object({ day: z.string(), sessions: z.number().int(), blocks: z.number().int() })),
  alertsByKind: z.array(z.object({ kind: z.string(), count: z.number().int() })),
  silentDevices: z.array(z.object({ deviceId: z.string(), deviceName: z.string(), lastSyncAt: isoTime.nullable() })),
});

/**
 * The kinds of block the access review counts apart, by event type (a block is an event
 * whose outcome is `blocked`). Every other blocked event counts as `other`.
 */
export const BLOCK_KINDS = {
  copy: ['clipboard.blocked'],
  print: ['print.blocked'],
  download: ['download.blocked'],
  upload: ['upload.blocked'],
  navigation: ['navigation.blocked', 'window-open.blocked', 'request.blocked'],
  capture: ['capture.blocked'],
  permission: ['permission.denied'],
} as const satisfies Record<string, readonly AuditEventType[]>;
export const BLOCK_KIND_NAMES = [...(Object.keys(BLOCK_KINDS) as (keyof typeof BLOCK_KINDS)[]), 'other'] as const;
export type BlockKind = (typeof BLOCK_KIND_NAMES)[number];

/** Longest period one access review covers: a year, whatever its leap day and clock changes. */
export const MAX_REVIEW_PERIOD_DAYS = 367;

/** A period [from, to): the viewer's dates turned into instants by the page, so the report says exactly what it covers. */
export const accessReviewQuerySchema = z
  .object({ from: isoTime, to: isoTime })
  .strict()
  .refine((q) => Date.parse(q.from) < Date.parse(q.to), { path: ['to'], message: 'must be after from' })
  .refine((q) => Date.parse(q.to) - Date.parse(q.from) <= MAX_REVIEW_PERIOD_DAYS * 86_400_000, { path: ['to'], message: `must be at most ${MAX_REVIEW_PERIOD_DAYS} days after from` });

const count = z.number().int().nonnegative();
const milliseconds = z.number().int().nonnegative();

/** Alerts and how long they took to resolve (detection to the resolve mark in the inbox). */
const alertFiguresSchema = z.object({ raised: count, resolved: count, medianResolutionMs: milliseconds.nullable(), maxResolutionMs: milliseconds.nullable() });

/** One VA's figures for the period, or all VAs' together. */
export const reviewFiguresSchema = z.object({
  /** Sessions that started in the period. */
  sessions: count,
  /** Sign-in to sign-out (or to the last event, for a session that never ended), summed. */
  workedMs: milliseconds,
  devices: count,
  blocks: z.object(Object.fromEntries(BLOCK_KIND_NAMES.map((kind) => [kind, count])) as Record<BlockKind, typeof count>),
  blocksTotal: count,
  /** Alerts about these sessions (an alert belongs to the session its event falls in). */
  alerts: alertFiguresSchema,
  reviewed: count,
  flagged: count,
  notReviewed: count,
});
export type ReviewFigures = z.infer<typeof reviewFiguresSchema>;

export const accessReviewSchema = z.object({
  practice: z.string(),
  period: z.object({ from: isoTime, to: isoTime }),
  generatedAt: isoTime,
  generatedBy: z.string(),
  /** By IdP subject; null gathers sessions no user was recorded for. */
  vas: z.array(reviewFiguresSchema.extend({ subject: z.string().nullable() })),
  totals: reviewFiguresSchema,
  /** Every alert detected in the period, about a VA's session or not (an unknown device, a silent one). */
  practiceAlerts: alertFiguresSchema.extend({
    byKind: z.array(z.object({ kind: z.string(), severity: alertRowSchema.shape.severity, raised: count, resolved: count })),
  }),
});
export type AccessReview = z.infer<typeof accessReviewSchema>;

export const HOLD_KINDS = ['user', 'device'] as const;
export type HoldKind = (typeof HOLD_KINDS)[number];

/** While active, nothing a hold covers is disposed: a VA's (by IdP subject) or a device's events, sessions, reviews and alerts. */
export const legalHoldSchema = z.object({
  id: z.number().int(),
  kind: z.enum(HOLD_KINDS),
  target: z.string(),
  reason: z.string(),
  placedBy: z.string(),
  placedAt: isoTime,
  releasedBy: z.string().nullable(),
  releasedAt: isoTime.nullable(),
});
export type LegalHoldRow = z.infer<typeof legalHoldSchema>;

export const DISPOSAL_KINDS = ['events', 'access-log', 'alerts', 'reviews'] as const;
const periodStatusSchema = z.object({ period: z.string(), cutoff: isoTime });

/** One signed disposal record: what went, under which rule, when and by whom. */
export const disposalRowSchema = z.object({
  seq: z.number().int(),
  at: isoTime,
  by: z.string(),
  what: z.enum(DISPOSAL_KINDS),
  deviceId: z.string().nullable(),
  count: z.number().int().nonnegative(),
  /** Which entries, in the record's own terms (sequence numbers, alert ids, reviews removed and cleared). */
  detail: z.string(),
  rule: periodStatusSchema.extend({ basis: z.enum(['received', 'activity', 'reviewed', 'logged']) }),
});
export type DisposalRow = z.infer<typeof disposalRowSchema>;

export const retentionPanelSchema = z.object({
  /** The collector's retention settings; null when it runs without (nothing is disposed automatically). */
  settings: z
    .object({
      periods: z.object({ events: periodStatusSchema, alerts: periodStatusSchema, reviews: periodStatusSchema, accessLog: periodStatusSchema }),
      /** "1 day"; null when only the command line disposes. */
      interval: z.string().nullable(),
      nextRunAt: isoTime.nullable(),
    })
    .nullable(),
  runningSince: isoTime.nullable(),
  lastRun: z
    .object({ startedAt: isoTime, finishedAt: isoTime, by: z.string(), dryRun: z.boolean(), failed: z.boolean(), lines: z.array(z.string()) })
    .nullable(),
  holds: z.array(legalHoldSchema),
  disposals: z.array(disposalRowSchema),
});
export type RetentionPanel = z.infer<typeof retentionPanelSchema>;

/** One problem of a training CSV that was refused: its row (the header is row 1; null for the whole file) and column. */
export const trainingImportProblemSchema = z.object({ row: z.number().int().positive().nullable(), column: z.string().nullable(), message: z.string() });
export type TrainingImportProblem = z.infer<typeof trainingImportProblemSchema>;

/** A problem as one line: `row 4, completed_on: …`, or the message alone for the whole file. */
export function importProblemLine(problem: TrainingImportProblem): string {
  const where = [problem.row === null ? null : `row ${problem.row}`, problem.column].filter((part) => part !== null).join(', ');
  return where === '' ? problem.message : `${where}: ${problem.message}`;
}

/** A refused import's answer body (422): every problem found, and how many there were past those listed. Nothing was stored. */
export const trainingImportRefusalSchema = z.object({ error: z.literal('not-imported'), message: z.string(), problems: z.array(trainingImportProblemSchema), moreProblems: z.number().int().nonnegative() });

/** What one import changed: rows read, completions added, expiry dates updated, rows already on record, completions revoked. */
export const trainingImportSchema = z.object({
  id: z.number().int(),
  source: z.string(),
  importedAt: isoTime,
  importedBy: z.string(),
  rows: count,
  added: count,
  updated: count,
  unchanged: count,
  revoked: count,
});
export type TrainingImportSummary = z.infer<typeof trainingImportSchema>;

/** A CSV file's name as the browser gives it: shown back and logged, never a path. */
export const csvFileNameSchema = z
  .string()
  .trim()
  .min(1)
  .max(200)
  .refine((name) => ![...name].some((char) => char === '/' || char === '\\' || char < ' '), 'must be a file name without folders or control characters');

/** Longest training CSV the console sends (its characters; the collector's body limit has room for it as JSON). */
export const MAX_TRAINING_CSV_CHARS = 1_000_000;

/** One VA on one course, as the device would judge it today: when completed, when due, when apps close for it. */
export const courseStandingSchema = z.object({
  course: z.string(),
  state: z.enum(COURSE_STATES),
  completedOn: z.string().nullable(),
  dueAt: isoTime.nullable(),
  closesAt: isoTime.nullable(),
});
export type CourseStandingRow = z.infer<typeof courseStandingSchema>;

const isoOrNull = (time: number | null) => (time === null ? null : new Date(time).toISOString());

/** A course standing in the contract's terms. */
export function courseStandingRow(standing: CourseStanding): CourseStandingRow {
  return { course: standing.course.id, state: standing.state, completedOn: standing.completedOn, dueAt: isoOrNull(standing.dueAt), closesAt: isoOrNull(standing.closesAt) };
}

/** `due`: the VA is asked at their next sign-in, and no app opens until they accept. */
export const AGREEMENT_STATES = ['current', 'due-soon', 'due'] as const;

/** One VA on one agreement: their latest acceptance as the collector received it, and what follows from it. */
export const agreementStandingSchema = z.object({
  document: z.string(),
  state: z.enum(AGREEMENT_STATES),
  /** The version they last accepted, and when (their device's clock). */
  acceptedVersion: z.string().nullable(),
  acceptedAt: isoTime.nullable(),
  /** When a yearly agreement falls due again; null otherwise. */
  renewBy: isoTime.nullable(),
  /** Why it is due; null while it is not. */
  why: z.enum(OUTSTANDING_WHY).nullable(),
});
export type AgreementStandingRow = z.infer<typeof agreementStandingSchema>;

/** Who is current, due or overdue, by the practice's signed policy and the records the collector holds. */
export const complianceStatusSchema = z.object({
  asOf: isoTime,
  /** The policy judged by; null when the collector has none it trusts. */
  policy: z.object({ policyId: z.string(), serial: z.number().int() }).nullable(),
  /** Why requirements are unknown (no policy given, or one refused); null when they are known. */
  problem: z.string().nullable(),
  agreements: z.array(z.object({ id: z.string(), title: z.string(), version: z.string() })),
  courses: z.array(z.object({ id: z.string(), title: z.string() })),
  /** Every VA the collector knows of (a session, a completion or an acceptance), by IdP subject. */
  vas: z.array(z.object({ subject: z.string(), agreements: z.array(agreementStandingSchema), courses: z.array(courseStandingSchema) })),
  /** The latest imports, newest first. */
  imports: z.array(trainingImportSchema),
});
export type ComplianceStatus = z.infer<typeof complianceStatusSchema>;

/** Whose access a revocation ends: one device, or one VA (by IdP subject) on every device. */
export const ACCESS_TARGET_KINDS = ['device', 'user'] as const;
export type AccessTargetKind = (typeof ACCESS_TARGET_KINDS)[number];

/** A VA as devices record them: their IdP subject, exactly (no trimming), and nothing that reorders or breaks what IT reads. */
export const vaSubjectSchema = z
  .string()
  .min(1, 'the VA (IdP subject) must not be empty')
  .max(255, 'the VA (IdP subject) must be at most 255 characters')
  .regex(/^[^\p{Cc}\p{Bidi_Control}\u2028\u2029]*$/u, 'the VA (IdP subject) must not contain control or bidirectional characters');

/** One revocation as kept: never deleted; lifting it (reinstating) records who and when. */
export const accessRevocationSchema = z.object({
  id: z.number().int(),
  kind: z.enum(ACCESS_TARGET_KINDS),
  /** The device id, or the VA's IdP subject. */
  target: z.string(),
  /** The device's name, for a device that is enrolled; null for a VA. */
  deviceName: z.string().nullable(),
  /** `revoked`: ended by IT at once; `access-ended`: the VA's access end date. */
  reason: z.enum(ACCESS_END_REASONS),
  effectiveAt: isoTime,
  createdAt: isoTime,
  createdBy: z.string(),
  liftedAt: isoTime.nullable(),
  liftedBy: z.string().nullable(),
});
export type AccessRevocationRow = z.infer<typeof accessRevocationSchema>;

export const accessPanelSchema = z.object({
  asOf: isoTime,
  /** In force now (revoked, or past an end date), latest first. */
  revoked: z.array(accessRevocationSchema),
  /** VAs' access end dates still ahead, soonest first. */
  scheduled: z.array(accessRevocationSchema),
  /** Lifted ones (reinstated, or an end date cleared or replaced), latest lifted first. */
  history: z.array(accessRevocationSchema),
});
export type AccessPanel = z.infer<typeof accessPanelSchema>;

/** What a change did, and anything IT should check (a VA the collector has never heard of may be a typo). */
const accessChangeSchema = z.object({ changed: z.array(accessRevocationSchema), note: z.string().nullable() });
export type AccessChange = z.infer<typeof accessChangeSchema>;

const subjectBody = z.object({ subject: vaSubjectSchema }).strict();

const page = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), nextCursor: z.string().nullable() });

interface RouteDefinition {
  method: 'GET' | 'POST';
  path: string;
  /** Who may call it. Everything else is refused (403) before the handler runs. */
  roles: readonly ConsoleRole[];
  params?: z.ZodType;
  query?: z.ZodType;
  body?: z.ZodType;
  result: z.ZodType;
  /** What the access log records it as; null for the console's own bookkeeping (who am I). */
  action: string | null;
  /** The result is a file (exportFileSchema) sent as an attachment. */
  download?: true;
}

const codeParams = z.object({ deviceId: deviceIdSchema, code: sessionCode }).strict();

export const CONSOLE_ROUTES = {
  me: { method: 'GET', path: `${CONSOLE_API_BASE}/me`, roles: CONSOLE_ROLES, result: meSchema, action: null },
  signOut: { method: 'POST', path: `${CONSOLE_API_BASE}/sign-out`, roles: CONSOLE_ROLES, body: z.object({}).strict(), result: z.object({ endSessionUrl: z.string().nullable() }), action: 'sign-out' },
  overview: { method: 'GET', path: `${CONSOLE_API_BASE}/overview`, roles: REVIEWERS, query: z.object({ days: z.coerce.number().int().min(1).max(90).default(14) }).strict(), result: overviewSchema, action: 'view-overview' },
  sessions: { method: 'GET', path: `${CONSOLE_API_BASE}/sessions`, roles: REVIEWERS, query: sessionsQuerySchema, result: page(sessionRowSchema), action: 'search-sessions' },
  timeline: { method: 'GET', path: `${CONSOLE_API_BASE}/sessions/:deviceId/:code`, roles: REVIEWERS, params: codeParams, result: timelineSchema, action: 'view-session' },
  review: {
    method: 'POST',
    path: `${CONSOLE_API_BASE}/sessions/:deviceId/:code/review`,
    roles: REVIEWERS,
    params: codeParams,
    body: z.object({ status: z.enum(['reviewed', 'flagged']), note }).strict(),
    result: sessionRowSchema,
    action: 'review-session',
  },
  lookup: {
    method: 'GET',
    path: `${CONSOLE_API_BASE}/lookup`,
    roles: REVIEWERS,
    query: z.object({ code: z.string().trim().min(1).max(40) }).strict(),
    result: z.object({ normalized: z.string().nullable(), matches: z.array(sessionRowSchema), problem: z.string().nullable() }),
    action: 'lookup-code',
  },
  alerts: {
    method: 'GET',
    path: `${CONSOLE_API_BASE}/alerts`,
    roles: REVIEWERS,
    query: z.object({ status: z.enum(ALERT_STATUSES).optional(), cursor: cursor.optional(), limit: pageSize }).strict(),
    result: page(alertRowSchema),
    action: 'view-alerts',
  },
  handleAlert: {
    method: 'POST',
    path: `${CONSOLE_API_BASE}/alerts/:id`,
    roles: REVIEWERS,
    params: z.object({ id: z.coerce.number().int().positive() }).strict(),
    body: z.object({ status: z.enum(['acknowledged', 'resolved']), note }).strict(),
    result: alertRowSchema,
    action: 'handle-alert',
  },
  devices: { method: 'GET', path: `${CONSOLE_API_BASE}/devices`, roles: ['admin'], result: z.object({ items: z.array(deviceRowSchema) }), action: 'view-devices' },
  issueCode: {
    method: 'POST',
    path: `${CONSOLE_API_BASE}/enrollment-codes`,
    roles: ['admin'],
    body: z.object({}).strict(),
    result: z.object({ code: z.string(), expiresAt: isoTime }),
    action: 'issue-enrollment-code',
  },
  accessLog: {
    method: 'GET',
    path: `${CONSOLE_API_BASE}/access-log`,
    roles: ['compliance'],
    query: z.object({ cursor: cursor.optional(), limit: pageSize }).strict(),
    result: z.object({ items: z.array(accessLogEntrySchema), nextCursor: z.string().nullable(), chain: z.object({ intact: z.boolean(), entries: z.number().int(), problem: z.string().nullable() }) }),
    action: 'view-access-log',
  },
  exportEvents: { method: 'GET', path: `${CONSOLE_API_BASE}/export`, roles: ['compliance'], query: exportQuerySchema, result: exportFileSchema, action: 'export-events', download: true },
  // Compliance only: the review audits the supervisors' own work (reviews, how fast alerts were
  // resolved), and like every export its CSV is a file that leaves the console.
  accessReview: { method: 'GET', path: `${CONSOLE_API_BASE}/reports/access-review`, roles: ['compliance'], query: accessReviewQuerySchema, result: accessReviewSchema, action: 'view-access-review' },
  accessReviewCsv: { method: 'GET', path: `${CONSOLE_API_BASE}/reports/access-review.csv`, roles: ['compliance'], query: accessReviewQuerySchema, result: exportFileSchema, action: 'export-access-review', download: true },
  // Compliance holds records for legal matters; IT (admin) runs disposal and sees why data is
  // kept but changes no hold; supervisors are neither.
  retention: { method: 'GET', path: `${CONSOLE_API_BASE}/retention`, roles: ['compliance', 'admin'], result: retentionPanelSchema, action: 'view-retention' },
  placeHold: {
    method: 'POST',
    path: `${CONSOLE_API_BASE}/retention/holds`,
    roles: ['compliance'],
    body: z.object({ kind: z.enum(HOLD_KINDS), target: z.string().trim().min(1).max(256), reason: z.string().trim().min(1).max(1000) }).strict(),
    result: legalHoldSchema,
    action: 'place-legal-hold',
  },
  releaseHold: {
    method: 'POST',
    path: `${CONSOLE_API_BASE}/retention/holds/:id/release`,
    roles: ['compliance'],
    params: z.object({ id: z.coerce.number().int().positive() }).strict(),
    body: z.object({}).strict(),
    result: legalHoldSchema,
    action: 'release-legal-hold',
  },
  // Supervisors see who is due too: an overdue course is why a VA cannot work today. Only
  // compliance keeps the training records; IT (admin) has no part in them.
  compliance: { method: 'GET', path: `${CONSOLE_API_BASE}/compliance`, roles: ['compliance', 'supervisor'], result: complianceStatusSchema, action: 'view-compliance' },
  importTraining: {
    method: 'POST',
    path: `${CONSOLE_API_BASE}/training/imports`,
    roles: ['compliance'],
    body: z.object({ fileName: csvFileNameSchema, text: z.string().max(MAX_TRAINING_CSV_CHARS, `must be at most ${MAX_TRAINING_CSV_CHARS.toLocaleString('en-US')} characters: split the file`) }).strict(),
    result: trainingImportSchema,
    action: 'import-training',
  },
  // Ending and restoring access is IT's, as enrolling devices is.
  access: { method: 'GET', path: `${CONSOLE_API_BASE}/access`, roles: ['admin'], result: accessPanelSchema, action: 'view-access' },
  revokeDevice: {
    method: 'POST',
    path: `${CONSOLE_API_BASE}/access/devices/:deviceId/revoke`,
    roles: ['admin'],
    params: z.object({ deviceId: deviceIdSchema }).strict(),
    body: z.object({}).strict(),
    result: accessChangeSchema,
    action: 'revoke-device',
  },
  reinstateDevice: {
    method: 'POST',
    path: `${CONSOLE_API_BASE}/access/devices/:deviceId/reinstate`,
    roles: ['admin'],
    params: z.object({ deviceId: deviceIdSchema }).strict(),
    body: z.object({}).strict(),
    result: accessChangeSchema,
    action: 'reinstate-device',
  },
  // A VA's subject travels in the body: IdP subjects may hold any character a path would need escaped.
  revokeUser: { method: 'POST', path: `${CONSOLE_API_BASE}/access/users/revoke`, roles: ['admin'], body: subjectBody, result: accessChangeSchema, action: 'revoke-user' },
  setUserAccessEnd: {
    method: 'POST',
    path: `${CONSOLE_API_BASE}/access/users/end`,
    roles: ['admin'],
    /** `endsAt` null clears the VA's end date. */
    body: z.object({ subject: vaSubjectSchema, endsAt: isoTime.nullable() }).strict(),
    result: accessChangeSchema,
    action: 'set-user-access-end',
  },
  reinstateUser: { method: 'POST', path: `${CONSOLE_API_BASE}/access/users/reinstate`, roles: ['admin'], body: subjectBody, result: accessChangeSchema, action: 'reinstate-user' },
} as const satisfies Record<string, RouteDefinition>;

export type ConsoleRouteName = keyof typeof CONSOLE_ROUTES;
export type ConsoleRoute<N extends ConsoleRouteName> = (typeof CONSOLE_ROUTES)[N];
type Schema<R, K extends string> = R extends Record<K, infer S extends z.ZodType> ? S : undefined;
export type RouteParams<N extends ConsoleRouteName> = Schema<ConsoleRoute<N>, 'params'> extends z.ZodType ? z.input<Schema<ConsoleRoute<N>, 'params'>> : undefined;
export type RouteQuery<N extends ConsoleRouteName> = Schema<ConsoleRoute<N>, 'query'> extends z.ZodType ? z.input<Schema<ConsoleRoute<N>, 'query'>> : undefined;
export type RouteBody<N extends ConsoleRouteName> = Schema<ConsoleRoute<N>, 'body'> extends z.ZodType ? z.input<Schema<ConsoleRoute<N>, 'body'>> : undefined;
export type RouteResult<N extends ConsoleRouteName> = z.output<ConsoleRoute<N>['result']>;

/** The one authorisation rule: does any of the user's roles appear in the route's list? */
export function mayCall(route: { roles: readonly ConsoleRole[] }, roles: readonly string[]): boolean {
  return route.roles.some((role) => roles.includes(role));
}

/** Fills `:name` segments of a route path. */
export function routePath(path: string, params: Record<string, string | number> = {}): string {
  return path.replace(/:([A-Za-z]+)/g, (_m, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`missing path parameter ${name}`);
    return encodeURIComponent(String(value));
  });
}
