// The one typed IPC contract between the shell renderer and main. Main validates every
// argument and every result against these schemas; the preload exposes exactly these
// methods and nothing else; the renderer gets the `CordonApi` type.
import { z } from 'zod';
import { CORDON_ROLES } from '../auth/identity';
import { OUTSTANDING_WHY } from '../gates/agreementStanding';
import { POLICY_PROBLEM_CODES } from '../policy/policyProblem';
import { agreementIdSchema, agreementVersionSchema } from '../policy/policySchema';
import { PROTECTION_IDS, PROTECTION_STATES } from '../posture/posture';
import { LOCK_REASONS } from '../session/idleMachine';
import { IPC_CHANNELS, IPC_EVENTS, type IpcEvent, type IpcMethod } from './channels';

export const appIdSchema = z.string().regex(/^[a-z][a-z0-9-]{0,31}$/);

const protectionStatusSchema = z.object({
  id: z.enum(PROTECTION_IDS),
  label: z.string(),
  state: z.enum(PROTECTION_STATES),
  detail: z.string(),
});

const policyProblemSchema = z.object({
  code: z.enum(POLICY_PROBLEM_CODES),
  file: z.string(),
  field: z.string().optional(),
  reason: z.string(),
  more: z.array(z.object({ field: z.string(), reason: z.string() })).optional(),
});

/** Who is signed in and how; deliberately no token and no raw claims. */
const identitySummarySchema = z
  .object({
    name: z.string(),
    email: z.string(),
    roles: z.array(z.enum(CORDON_ROLES)),
    mfaMethods: z.array(z.string()),
    signedInAt: z.string(),
  })
  .strict();

/** Present while this computer is not connected to the practice's audit collector: the shell offers the enrollment code step. */
const enrollmentStepSchema = z.object({ message: z.string() }).strict();

/** Why something is withheld: a sentence for the VA and a code for IT. */
const reasonSchema = z.object({ code: z.string(), message: z.string() });

/** Present while the idle countdown runs: when the lock comes (wall-clock ms), so the page counts down itself. */
const idleWarningSchema = z.object({ lockAt: z.number().nonnegative() });

/** An agreement's text: ready to read, still being fetched, or not to be had (with the sentence why). */
const agreementContentSchema = z.discriminatedUnion('state', [
  z.object({ state: z.literal('ready'), text: z.string() }).strict(),
  z.object({ state: z.literal('loading') }).strict(),
  z.object({ state: z.literal('unavailable'), problem: z.string() }).strict(),
]);

export const shellStateSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('policy-error'), problem: policyProblemSchema, posture: z.array(protectionStatusSchema) }),
  z.object({
    kind: z.literal('signed-out'),
    practiceName: z.string(),
    /** Why Cordon signed the VA out by itself (automatic logoff), until the next sign-in. */
    notice: z.string().optional(),
    enrollment: enrollmentStepSchema.optional(),
    posture: z.array(protectionStatusSchema),
  }),
  // Something Cordon needs to stay safe failed (e.g. the audit queue): nothing is hosted,
  // and only fixing the problem ends it.
  z.object({ kind: z.literal('locked'), reason: reasonSchema, posture: z.array(protectionStatusSchema) }),
  // The VA stepped away (or the OS locked or slept): apps detached until the same person re-authenticates.
  z.object({ kind: z.literal('idle-locked'), practiceName: z.string(), userName: z.string(), reason: z.enum(LOCK_REASONS), posture: z.array(protectionStatusSchema) }),
  // Signed in, with an agreement to read and accept before any hosted app opens.
  z.object({
    kind: z.literal('agreement'),
    practiceName: z.string(),
    userName: z.string(),
    document: z.object({ id: agreementIdSchema, title: z.string(), version: agreementVersionSchema, content: agreementContentSchema }).strict(),
    why: z.enum(OUTSTANDING_WHY),
    /** Outstanding documents after this one. */
    remaining: z.number().int().nonnegative(),
    idleWarning: idleWarningSchema.optional(),
    posture: z.array(protectionStatusSchema),
  }),
  z.object({
    kind: z.literal('workspace'),
    practiceName: z.string(),
    identity: identitySummarySchema,
    /** `signedOut`: the app showed one of its signed-out pages (it signed the VA out). */
    apps: z.array(z.object({ id: appIdSchema, name: z.string(), signedOut: z.literal(true).optional() })),
    activeAppId: appIdSchema,
    /** Present while hosted apps may not be shown (e.g. capture protection unavailable, a capture tool running). */
    appsHidden: reasonSchema.optional(),
    idleWarning: idleWarningSchema.optional(),
    /** The latest notice for the VA (something blocked or contained), for a few seconds. */
    notice: z.object({ id: z.number().int().positive(), text: z.string() }).optional(),
    enrollment: enrollmentStepSchema.optional(),
    posture: z.array(protectionStatusSchema),
  }),
]);
export type ShellState = z.infer<typeof shellStateSchema>;

export const actionResultSchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true) }),
  z.object({ ok: z.literal(false), message: z.string() }),
]);
export type ActionResult = z.infer<typeof actionResultSchema>;

export const ipcContract = {
  getShellState: { channel: IPC_CHANNELS.getShellState, args: z.tuple([]), result: shellStateSchema },
  signIn: { channel: IPC_CHANNELS.signIn, args: z.tuple([]), result: actionResultSchema },
  signOut: { channel: IPC_CHANNELS.signOut, args: z.tuple([]), result: actionResultSchema },
  selectApp: { channel: IPC_CHANNELS.selectApp, args: z.tuple([appIdSchema]), result: actionResultSchema },
  /** Opens the start page again of an app that signed the VA out. */
  reopenApp: { channel: IPC_CHANNELS.reopenApp, args: z.tuple([appIdSchema]), result: actionResultSchema },
  /** Re-authenticates the signed-in person to end an idle lock. */
  unlock: { channel: IPC_CHANNELS.unlock, args: z.tuple([]), result: actionResultSchema },
  /** Connects this computer to the practice's audit collector with a one-time code from IT (as typed: main reads it). */
  enrollWithCode: { channel: IPC_CHANNELS.enrollWithCode, args: z.tuple([z.string().max(64)]), result: actionResultSchema },
  /** The VA agrees to the document version the agreement screen shows. */
  acceptAgreement: { channel: IPC_CHANNELS.acceptAgreement, args: z.tuple([agreementIdSchema, agreementVersionSchema]), result: actionResultSchema },
  /** The VA declines the document the agreement screen shows: Cordon signs the VA out. */
  declineAgreement: { channel: IPC_CHANNELS.declineAgreement, args: z.tuple([agreementIdSchema]), result: actionResultSchema },
  /** Fetches again an agreement that could not be had. */
  retryAgreement: { channel: IPC_CHANNELS.retryAgreement, args: z.tuple([]), result: actionResultSchema },
} as const satisfies Record<IpcMethod, { channel: string; args: z.ZodTuple; result: z.ZodType }>;

/** What main pushes to the shell, checked by main before it is sent. */
export const ipcEvents = {
  /** The shell's new state, whenever it changes (the page no longer polls). */
  shellStateChanged: { channel: IPC_EVENTS.shellStateChanged, payload: shellStateSchema },
} as const satisfies Record<IpcEvent, { channel: string; payload: z.ZodType }>;

export type IpcEventPayload<E extends IpcEvent> = z.output<(typeof ipcEvents)[E]['payload']>;

export type IpcContract = typeof ipcContract;
export type IpcArgs<M extends IpcMethod> = z.output<IpcContract[M]['args']>;
export type IpcResult<M extends IpcMethod> = z.output<IpcContract[M]['result']>;

/**
 * What the preload exposes to the shell renderer as `window.cordon`: the methods, and a
 * subscription per event that returns its own unsubscribe.
 */
export type CordonApi = { [M in IpcMethod]: (...args: IpcArgs<M>) => Promise<IpcResult<M>> } & {
  [E in IpcEvent as `on${Capitalize<E>}`]: (listener: (payload: IpcEventPayload<E>) => void) => () => void;
};

/** Implementations main supplies for each method, after validation. */
export type IpcHandlers = { [M in IpcMethod]: (...args: IpcArgs<M>) => Promise<IpcResult<M>> | IpcResult<M> };
