// The managed policy: every control IT sets and the VA cannot change. Versioned by
// `schemaVersion`; a version this build does not know is refused, never guessed at.
import { z } from 'zod';
import { parseSignedOutPattern } from '../hosting/signedOutUrls';
import { isBareOrigin, isHttps, isLoopbackHttp, originOf } from '../net/origin';
import { CHECK_LEVELS } from '../posture/deviceChecks';
import { parseVersion } from '../update/version';

export const POLICY_SCHEMA_VERSIONS = [1] as const;

/** Chromium permissions a policy may grant to an app; everything else is always denied. */
export const GRANTABLE_PERMISSIONS = [
  'microphone',
  'camera',
  'notifications',
  'geolocation',
  'fullscreen',
  'clipboard-sanitized-write',
] as const;
export type GrantablePermission = (typeof GRANTABLE_PERMISSIONS)[number];

export const CLIPBOARD_MODES = ['blocked', 'workspace', 'inbound-only'] as const;
export const CAPTURE_PROTECTION = ['required', 'preferred', 'off'] as const;
export const SIGN_IN_MODES = ['workspace', 'system-browser'] as const;
export const UPDATE_CHANNELS = ['stable', 'beta', 'none'] as const;
export const POLICY_ENVIRONMENTS = ['production', 'demo'] as const;

/** Placeholders the watermark template may use. */
export const WATERMARK_FIELDS = ['user', 'email', 'practice', 'device', 'session', 'time'] as const;

const nonEmpty = z.string().trim().min(1, 'must not be empty');
const isoDateTime = z.iso.datetime({ offset: true, message: 'must be an ISO 8601 date-time with a timezone, e.g. 2027-01-31T00:00:00Z' });

/** An origin as the policy states it, checked against the policy's environment later. */
const origin = z
  .string()
  .refine(isBareOrigin, 'must be a bare origin such as https://ehr.example.com (scheme and host, no path, no trailing slash)');

const webUrl = z.string().refine((v) => originOf(v) !== null, 'must be an absolute http(s) URL');

/** Also names apps in messages (`apps[ehr]`), so only ids of this form are used there. */
export const appId = z
  .string()
  .regex(/^[a-z][a-z0-9-]{0,31}$/, 'must be 1–32 characters: lowercase letters, digits and hyphens, starting with a letter');

const allowDeny = z.enum(['allow', 'deny']);

export const appPolicySchema = z
  .object({
    id: appId,
    name: nonEmpty.max(64),
    startUrl: webUrl,
    /** Origins the app's frames may navigate to. */
    navigationOrigins: z.array(origin).min(1),
    /** Further origins the app may send requests to (APIs, CDNs); navigation origins are implied. */
    requestOrigins: z.array(origin).default([]),
    permissions: z.array(z.enum(GRANTABLE_PERMISSIONS)).default([]),
    downloads: allowDeny.default('deny'),
    printing: allowDeny.default('deny'),
    uploads: allowDeny.default('deny'),
    /** `isolated` gives the app its own in-memory session (no shared cookies or SSO). */
    session: z.enum(['shared', 'isolated']).default('shared'),
    /**
     * The app's pages that mean it signed the VA out (its login page, "session expired"),
     * e.g. https://ehr.example.com/login*: Cordon then says so instead of leaving a dead tab.
     */
    signedOutUrls: z.array(z.string()).max(20).default([]),
  })
  .strict()
  .superRefine((app, ctx) => {
    const start = originOf(app.startUrl);
    if (start !== null && !app.navigationOrigins.includes(start)) {
      ctx.addIssue({ code: 'custom', path: ['startUrl'], message: `its origin ${start} is not among navigationOrigins` });
    }
    app.signedOutUrls.forEach((pattern, i) => {
      const parsed = parseSignedOutPattern(pattern);
      if (parsed === null) ctx.addIssue({ code: 'custom', path: ['signedOutUrls', i], message: "must be an address on one of the app's origins, with * for any run of characters in its path only, e.g. https://ehr.example.com/login*" });
      else if (!app.navigationOrigins.includes(parsed.origin)) ctx.addIssue({ code: 'custom', path: ['signedOutUrls', i], message: `its origin ${parsed.origin} is not among navigationOrigins` });
    });
  });

export const identityPolicySchema = z
  .object({
    issuer: webUrl,
    clientId: nonEmpty,
    scopes: z.array(nonEmpty).min(1).refine((s) => s.includes('openid'), "must include 'openid'"),
    /** MFA proof Cordon demands of the ID token: any listed acr value, or any listed amr method. */
    mfa: z
      .object({ acrValues: z.array(nonEmpty).default([]), amrMethods: z.array(nonEmpty).default([]) })
      .strict()
      .refine((m) => m.acrValues.length + m.amrMethods.length > 0, 'must list at least one acr value or amr method: MFA is not optional'),
    signInMode: z.enum(SIGN_IN_MODES).default('workspace'),
    /** The ID-token claim that carries Cordon roles (va, supervisor, admin). */
    rolesClaim: nonEmpty.default('roles'),
    /** Longest accepted age of the authentication itself, in seconds (`max_age`). */
    maxAuthAgeSeconds: z.number().int().positive().optional(),
    /**
     * Origins the IdP's sign-in pages may load scripts, styles, fonts and images from (its
     * CDNs). Subresources only: the sign-in window never navigates there.
     */
    requestOrigins: z.array(origin).default([]),
  })
  .strict();

export const sessionPolicySchema = z
  .object({
    idleLockMinutes: z.number().int().min(1).max(120),
    logoffMinutes: z.number().int().min(1).max(24 * 60),
    /** Count OS-wide input (not only input in Cordon) as activity. */
    countSystemActivity: z.boolean().default(false),
    /** An app holding a granted microphone in an active call counts as activity. */
    activeCallCountsAsActivity: z.boolean().default(false),
  })
  .strict()
  .refine((s) => s.logoffMinutes > s.idleLockMinutes, { path: ['logoffMinutes'], message: 'must be greater than idleLockMinutes' });

export const clipboardPolicySchema = z
  .object({
    mode: z.enum(CLIPBOARD_MODES).default('workspace'),
    /** How long the in-memory workspace clipboard keeps a copied item. */
    workspaceTtlSeconds: z.number().int().min(5).max(3600).default(300),
  })
  .strict();

export const screenCapturePolicySchema = z
  .object({
    protection: z.enum(CAPTURE_PROTECTION).default('required'),
    /** Process names (capture or remote-control tools) whose presence locks the workspace. */
    blockedProcesses: z.array(nonEmpty).default([]),
  })
  .strict();

export const watermarkPolicySchema = z
  .object({
    template: nonEmpty.max(200).superRefine((template, ctx) => {
      for (const [, field] of template.matchAll(/\{([^}]*)\}/g)) {
        if (!(WATERMARK_FIELDS as readonly string[]).includes(field ?? '')) {
          ctx.addIssue({ code: 'custom', message: `unknown placeholder {${field}}; known: ${WATERMARK_FIELDS.map((f) => `{${f}}`).join(' ')}` });
        }
      }
      if (!template.includes('{session}')) ctx.addIssue({ code: 'custom', message: 'must include {session} so a photo of the screen can be traced' });
    }),
    opacity: z.number().min(0.04).max(0.5).default(0.12),
  })
  .strict();

/** An Ed25519 public key as `openssl pkey -pubout` writes it: SPKI, base64 between PEM lines. */
const ED25519_SPKI_BASE64 = /^MCowBQYDK2VwAyEA[A-Za-z0-9+/]{43}=$/;
const PEM_PUBLIC_KEY = /^-----BEGIN PUBLIC KEY-----([A-Za-z0-9+/=\s]+)-----END PUBLIC KEY-----$/;

/** The key's base64 body, or null when `pem` is not an Ed25519 public key in PEM. */
export function ed25519PublicKeyBody(pem: string): string | null {
  const body = PEM_PUBLIC_KEY.exec(pem.trim())?.[1]?.replace(/\s+/g, '');
  return body !== undefined && ED25519_SPKI_BASE64.test(body) ? body : null;
}

export const auditPolicySchema = z
  .object({
    collectorUrl: webUrl,
    retentionDays: z.number().int().min(1).max(3650),
    queueSoftLimit: z.number().int().positive(),
    queueHardLimit: z.number().int().positive(),
    /**
     * The collector key's public half (PEM): the collector signs what devices act on (training
     * status) with it, and a device believes only what this key signed. IT's signature on the
     * policy is what makes the key trusted.
     */
    collectorPublicKey: z
      .string()
      .max(400)
      .refine((pem) => ed25519PublicKeyBody(pem) !== null, 'must be an Ed25519 public key in PEM (-----BEGIN PUBLIC KEY----- …), as `openssl pkey -in <collector key file> -pubout` prints it')
      .optional(),
  })
  .strict()
  .refine((a) => a.queueHardLimit > a.queueSoftLimit, { path: ['queueHardLimit'], message: 'must be greater than queueSoftLimit' });

/**
 * TLS client certificates: none is ever sent unless a rule names the server's origin and
 * the issuer's common name (like Chrome's AutoSelectCertificateForUrls). Default: none.
 */
export const clientCertificatePolicySchema = z
  .object({
    allow: z
      .array(
        z
          .object({
            origin: origin.refine(isHttps, 'must use https'),
            issuerCommonName: nonEmpty.max(200),
          })
          .strict(),
      )
      .default([]),
  })
  .strict()
  .default({ allow: [] });

/** Each device check is off (the default), recommended (shown, never blocking) or required (apps stay closed until it passes). */
const checkLevel = z.enum(CHECK_LEVELS);
/** Compared number by number: 10.0.19045, 14.4, 12. */
const minimumVersion = z.string().regex(/^\d+(\.\d+){0,3}$/, 'must be a version of up to four numbers separated by dots, e.g. 10.0.19045 or 14.4');

/**
 * Device posture, checked at sign-in and hourly without admin rights. Zod 4 returns a
 * `.default()` as given, so each default is the whole parsed value.
 */
export const devicePosturePolicySchema = z
  .object({
    diskEncryption: z.object({ level: checkLevel }).strict().default({ level: 'off' }),
    /** The screen must lock by itself after at most `maxMinutes` without input. */
    screenLock: z
      .object({ level: checkLevel, maxMinutes: z.number().int().min(1).max(60).default(15) })
      .strict()
      .default({ level: 'off', maxMinutes: 15 }),
    /** Minimum versions: Windows as `os.release()` gives it (10.0.<build>), macOS as `sw_vers`, Linux per /etc/os-release ID. */
    osVersion: z
      .object({
        level: checkLevel,
        windows: minimumVersion.optional(),
        macos: minimumVersion.optional(),
        linux: z.record(z.string().regex(/^[a-z0-9._-]+$/, 'must be an /etc/os-release ID such as debian or ubuntu'), minimumVersion).default({}),
      })
      .strict()
      .refine((v) => v.level === 'off' || v.windows !== undefined || v.macos !== undefined || Object.keys(v.linux).length > 0, 'must name at least one minimum version (windows, macos or linux) unless its level is off')
      .default({ level: 'off', linux: {} }),
    firewall: z.object({ level: checkLevel }).strict().default({ level: 'off' }),
    /** On macOS and Linux, process names of the endpoint protection IT installs, besides those Cordon knows. */
    antivirus: z.object({ level: checkLevel, processNames: z.array(nonEmpty).default([]) }).strict().default({ level: 'off', processNames: [] }),
  })
  .strict()
  .default({
    diskEncryption: { level: 'off' },
    screenLock: { level: 'off', maxMinutes: 15 },
    osVersion: { level: 'off', linux: {} },
    firewall: { level: 'off' },
    antivirus: { level: 'off', processNames: [] },
  });
export type DevicePosturePolicy = z.infer<typeof devicePosturePolicySchema>;

/** Longest agreement text, in the policy or fetched: a few pages of plain text, never a site. */
export const MAX_AGREEMENT_CHARS = 100_000;
/** `new-version`: accepted once per version; `yearly`: also again a year after each acceptance. */
export const REACCEPT_RULES = ['new-version', 'yearly'] as const;

/** Ids and versions name a document in audit events and in the device's acceptance records. */
export const agreementIdSchema = z.string().regex(/^[a-z][a-z0-9-]{0,31}$/, 'must be 1–32 characters: lowercase letters, digits and hyphens, starting with a letter');
export const agreementVersionSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$/, 'must be 1–32 letters, digits, dots, hyphens or underscores, e.g. 2027-1 or 3.0');
export const sha256HexSchema = z.string().regex(/^[0-9a-f]{64}$/, 'must be a SHA-256 digest: 64 lowercase hex digits');

/**
 * A document each VA reads and accepts after sign-in, before any hosted app opens: its
 * text in the policy, or a URL on an approved origin with the SHA-256 the fetched text
 * must have (so the policy's signature covers it either way).
 */
export const agreementPolicySchema = z
  .object({
    id: agreementIdSchema,
    title: nonEmpty.max(120),
    version: agreementVersionSchema,
    /** Plain text; blank lines separate paragraphs. */
    text: nonEmpty.max(MAX_AGREEMENT_CHARS).optional(),
    url: webUrl.optional(),
    sha256: sha256HexSchema.optional(),
    reaccept: z.enum(REACCEPT_RULES),
  })
  .strict()
  .superRefine((doc, ctx) => {
    const fetched = doc.url !== undefined || doc.sha256 !== undefined;
    if (doc.text !== undefined && fetched) ctx.addIssue({ code: 'custom', message: 'must give either text, or url with sha256, not both' });
    else if (doc.text === undefined && (doc.url === undefined || doc.sha256 === undefined)) ctx.addIssue({ code: 'custom', message: 'must give the text itself, or url with the sha256 of the text found there' });
  });
export type AgreementPolicy = z.infer<typeof agreementPolicySchema>;

/** Course ids name a course in the training records, the CSV and audit events. */
export const courseIdSchema = z.string().regex(/^[a-z][a-z0-9-]{0,31}$/, 'must be 1–32 characters: lowercase letters, digits and hyphens, starting with a letter');

/** A calendar date, YYYY-MM-DD, that exists (read as UTC midnight). */
const DATE_FORM = /^\d{4}-\d{2}-\d{2}$/;
export const calendarDateSchema = z
  .string()
  .regex(DATE_FORM, 'must be a date as YYYY-MM-DD, e.g. 2027-03-31')
  .refine((text) => {
    // The form is the regex's to judge; this only asks whether such a day exists.
    const ms = Date.parse(`${text}T00:00:00Z`);
    return !DATE_FORM.test(text) || (!Number.isNaN(ms) && new Date(ms).toISOString().startsWith(text));
  }, 'is not a date in the calendar');

/** A course the practice requires of every VA. */
export const trainingCourseSchema = z
  .object({
    id: courseIdSchema,
    title: nonEmpty.max(120),
    /** A completion counts for this many months; without it, until the expiry date its record carries, or for good when it carries none. */
    everyMonths: z.number().int().min(1).max(120).optional(),
    /** A VA with no completion on record has until this date (then the grace period); without it, the course is due at once. */
    dueBy: calendarDateSchema.optional(),
  })
  .strict();
export type TrainingCourse = z.infer<typeof trainingCourseSchema>;

/**
 * Training the practice requires: completions reach the collector from the compliance
 * officer's CSV, and each device asks the collector (a signed answer) at sign-in.
 */
export const trainingPolicySchema = z
  .object({
    courses: z.array(trainingCourseSchema).min(1).max(20),
    /** The VA is told this many days before a course falls due. */
    dueSoonDays: z.number().int().min(0).max(90).default(30),
    /** Days after a course fell due before hosted apps close (the VA is told meanwhile). */
    graceDays: z.number().int().min(0).max(90).default(14),
    /** While the collector cannot be reached, the last status it confirmed counts for this many days; then apps close. */
    offlineDays: z.number().int().min(0).max(30).default(3),
    /** Whom the VA asks about training, as the sentence names them, e.g. "Dana Reyes, compliance officer (dana@practice.example)". */
    contact: nonEmpty.max(200),
  })
  .strict();
export type TrainingPolicy = z.infer<typeof trainingPolicySchema>;

/** How often a signed-in device asks the collector whether its and its VA's access still stands (also at start and at each sign-in). */
export const accessPolicySchema = z
  .object({
    checkEveryMinutes: z.number().int().min(1).max(60).default(5),
    /** While the collector cannot be reached, a VA's last confirmed access counts this many days; then apps close. */
    offlineDays: z.number().int().min(0).max(30).default(3),
  })
  .strict()
  .default({ checkEveryMinutes: 5, offlineDays: 3 });
export type AccessPolicy = z.infer<typeof accessPolicySchema>;

export const policyV1Schema = z
  .object({
    schemaVersion: z.literal(1),
    /** Stable name of this policy line, e.g. "sunrise-family-medicine". */
    policyId: z.string().regex(/^[a-z0-9][a-z0-9.-]{0,63}$/, 'must be lowercase letters, digits, dots and hyphens'),
    /** Increases with every issued policy, so an older one can be recognised. */
    serial: z.number().int().positive(),
    issuedAt: isoDateTime,
    expiresAt: isoDateTime,
    /** `demo` policies may use http://127.0.0.1 and are refused by production builds. */
    environment: z.enum(POLICY_ENVIRONMENTS).default('production'),
    practice: z.object({ name: nonEmpty.max(120) }).strict(),
    apps: z.array(appPolicySchema).min(1),
    identity: identityPolicySchema,
    session: sessionPolicySchema,
    clipboard: clipboardPolicySchema,
    screenCapture: screenCapturePolicySchema,
    watermark: watermarkPolicySchema,
    audit: auditPolicySchema,
    updates: z
      .object({
        channel: z.enum(UPDATE_CHANNELS).default('stable'),
        /** The practice's update feed (electron-updater's files and Cordon's signed manifest); without one, updates come only through IT's deployment. */
        feedUrl: z.string().max(2048).refine((v) => originOf(v) !== null, 'must be an absolute https URL').optional(),
        /** A build older than this locks, saying to update. */
        minimumVersion: z.string().refine((v) => parseVersion(v) !== null, 'must be a version such as 1.5.0').optional(),
      })
      .strict(),
    clientCertificates: clientCertificatePolicySchema,
    devicePosture: devicePosturePolicySchema,
    /** Documents to accept before any hosted app opens; none by default. */
    agreements: z.array(agreementPolicySchema).max(10).default([]),
    /** Courses every VA must have completed; none by default. */
    training: trainingPolicySchema.optional(),
    /** Revocation checks; they need audit.collectorPublicKey (the answers are signed with its private half). */
    access: accessPolicySchema,
  })
  .strict()
  .superRefine((policy, ctx) => {
    if (Date.parse(policy.expiresAt) <= Date.parse(policy.issuedAt)) {
      ctx.addIssue({ code: 'custom', path: ['expiresAt'], message: 'must be later than issuedAt' });
    }
    const seen = new Set<string>();
    policy.apps.forEach((app, i) => {
      if (seen.has(app.id)) ctx.addIssue({ code: 'custom', path: ['apps', i, 'id'], message: `duplicate app id '${app.id}'` });
      seen.add(app.id);
    });
    const documents = new Set<string>();
    // A fetched agreement comes only from where the apps may go: the hosted sessions fetch it, under the apps' rules.
    const approved = new Set(policy.apps.flatMap((app) => [...app.navigationOrigins, ...app.requestOrigins]));
    policy.agreements.forEach((doc, i) => {
      if (documents.has(doc.id)) ctx.addIssue({ code: 'custom', path: ['agreements', i, 'id'], message: `duplicate agreement id '${doc.id}'` });
      documents.add(doc.id);
      const from = doc.url === undefined ? null : originOf(doc.url);
      if (from !== null && !approved.has(from)) ctx.addIssue({ code: 'custom', path: ['agreements', i, 'url'], message: `its origin ${from} is not an approved origin of any app` });
    });
    if (policy.training !== undefined) {
      const courses = new Set<string>();
      policy.training.courses.forEach((course, i) => {
        if (courses.has(course.id)) ctx.addIssue({ code: 'custom', path: ['training', 'courses', i, 'id'], message: `duplicate course id '${course.id}'` });
        courses.add(course.id);
      });
      // A device must be able to check the collector's training answers, or it could only guess.
      if (policy.audit.collectorPublicKey === undefined) ctx.addIssue({ code: 'custom', path: ['audit', 'collectorPublicKey'], message: "must be given with training: devices believe the collector's training answers only when this key signed them" });
    }
    // Transport security: https everywhere; plain http only to this machine, only in demo policies.
    const urls: { path: (string | number)[]; value: string }[] = [
      { path: ['identity', 'issuer'], value: policy.identity.issuer },
      { path: ['audit', 'collectorUrl'], value: policy.audit.collectorUrl },
      ...policy.identity.requestOrigins.map((value, j) => ({ path: ['identity', 'requestOrigins', j], value })),
    ];
    policy.apps.forEach((app, i) => {
      urls.push({ path: ['apps', i, 'startUrl'], value: app.startUrl });
      app.navigationOrigins.forEach((o, j) => urls.push({ path: ['apps', i, 'navigationOrigins', j], value: o }));
      app.requestOrigins.forEach((o, j) => urls.push({ path: ['apps', i, 'requestOrigins', j], value: o }));
    });
    policy.agreements.forEach((doc, i) => {
      if (doc.url !== undefined) urls.push({ path: ['agreements', i, 'url'], value: doc.url });
    });
    if (policy.updates.feedUrl !== undefined) urls.push({ path: ['updates', 'feedUrl'], value: policy.updates.feedUrl });
    for (const { path, value } of urls) {
      if (isHttps(value)) continue;
      const loopbackAllowed = policy.environment === 'demo' && isLoopbackHttp(value);
      if (!loopbackAllowed) {
        ctx.addIssue({
          code: 'custom',
          path,
          message: isLoopbackHttp(value) ? 'plain http is allowed only in a demo policy' : 'must use https',
        });
      }
    }
  });

export type Policy = z.infer<typeof policyV1Schema>;
export type AppPolicy = Policy['apps'][number];
export type PolicyInput = z.input<typeof policyV1Schema>;
