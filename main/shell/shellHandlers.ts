// Main's implementation of the IPC contract for the shell window.
import { AuthError } from '../../common/auth/authErrors';
import type { Identity } from '../../common/auth/identity';
import type { ActionResult, IpcHandlers, ShellState } from '../../common/ipc/contract';
import { readEnrollmentCode } from '../../common/audit/enrollmentCode';
import { EnrollmentError } from '../audit/enrollment';

/** What the shell needs of sign-in; null while the policy is refused. */
export interface ShellAuth {
  readonly identity: Identity | null;
  signIn(): Promise<Identity>;
  signOut(): Promise<void>;
}

/** What the shell needs of hosting: show one approved app, or none. */
export interface ShellWorkspace {
  show(appId: string): void;
  hideAll(): void;
}

/** What the shell needs of the idle lock: re-authentication to end it. */
export interface ShellSession {
  unlock(): Promise<ActionResult>;
}

/** What the shell needs of the audit sync: enrollment with IT's one-time code (throws EnrollmentError). */
export interface ShellEnrollment {
  withCode(code: string): Promise<void>;
}

/** What the shell needs of hosted apps beyond showing them: an app that signed the VA out, opened at its start page again. */
export interface ShellHostedApps {
  reopen(appId: string): void;
}

/** What the shell needs of the agreement gate: the VA's answer, and another try at a document that could not be had. */
export interface ShellAgreements {
  accept(documentId: string, version: string): ActionResult;
  decline(documentId: string): void;
  retry(): void;
}

const NO_AGREEMENT: ActionResult = { ok: false, message: 'There is no agreement to answer now.' };

export function createShellHandlers(getState: () => ShellState, auth: ShellAuth | null, workspace: ShellWorkspace | null = null, session: ShellSession | null = null, enrollment: ShellEnrollment | null = null, agreements: ShellAgreements | null = null, hostedApps: ShellHostedApps | null = null): IpcHandlers {
  // Sign-out hides as much as a lock does, before the sessions are wiped.
  const signOut = async (): Promise<ActionResult> => {
    workspace?.hideAll();
    await auth?.signOut();
    return { ok: true };
  };
  /** The agreement gate, while the screen shows the agreement `documentId`. */
  const answering = (documentId: string): ShellAgreements | null => {
    const state = getState();
    return state.kind === 'agreement' && state.document.id === documentId ? agreements : null;
  };
  return {
    getShellState: () => getState(),
    signIn: async () => {
      if (auth === null) return { ok: false, message: 'Cordon is locked until IT fixes the policy.' };
      const state = getState();
      if (state.kind === 'locked') return { ok: false, message: state.reason.message };
      if (auth.identity !== null) return { ok: true };
      try {
        await auth.signIn();
        return { ok: true };
      } catch (error) {
        // AuthError messages are written for the VA; anything else stays vague.
        return { ok: false, message: error instanceof AuthError ? error.message : 'Sign-in failed. Try again, or call IT.' };
      }
    },
    signOut,
    selectApp: (appId) => {
      const state = getState();
      // Main keeps the apps closed until every agreement is accepted, whatever the page asks.
      if (state.kind === 'agreement') return { ok: false, message: `Practice apps open once you have accepted \u201c${state.document.title}\u201d.` };
      if (state.kind !== 'workspace') return { ok: false, message: 'Sign in first.' };
      if (!state.apps.some((app) => app.id === appId)) return { ok: false, message: 'That app is not approved by the policy.' };
      if (state.appsHidden !== undefined) return { ok: false, message: state.appsHidden.message };
      workspace?.show(appId);
      return { ok: true };
    },
    reopenApp: (appId) => {
      const state = getState();
      const app = state.kind === 'workspace' && state.appsHidden === undefined ? state.apps.find((a) => a.id === appId) : undefined;
      if (app?.signedOut !== true || hostedApps === null) return { ok: false, message: 'That app has not signed you out.' };
      hostedApps.reopen(appId);
      return { ok: true };
    },
    unlock: () => {
      const state = getState();
      // An audit-failure lock ends only when its cause is fixed, never by signing in again.
      if (state.kind === 'locked') return { ok: false, message: state.reason.message };
      if (state.kind !== 'idle-locked' || session === null) return { ok: false, message: 'Cordon is not locked.' };
      return session.unlock();
    },
    enrollWithCode: async (typed) => {
      const state = getState();
      if (enrollment === null || (state.kind !== 'signed-out' && state.kind !== 'workspace') || state.enrollment === undefined) return { ok: false, message: 'This computer is already connected to the practice, or cannot be connected now.' };
      const reading = readEnrollmentCode(typed);
      if (!reading.ok) return { ok: false, message: reading.problem };
      try {
        await enrollment.withCode(reading.code);
        return { ok: true };
      } catch (error) {
        // EnrollmentError messages are written for the VA and never quote the code.
        return { ok: false, message: error instanceof EnrollmentError ? error.message : 'Cordon could not connect this computer. Try again, or call IT.' };
      }
    },
    acceptAgreement: (documentId, version) => {
      return answering(documentId)?.accept(documentId, version) ?? NO_AGREEMENT;
    },
    // Declining signs the VA out, through the same path as the Sign out button.
    declineAgreement: async (documentId) => {
      const gate = answering(documentId);
      if (gate === null) return NO_AGREEMENT;
      gate.decline(documentId);
      return signOut();
    },
    retryAgreement: () => {
      const state = getState();
      if (state.kind !== 'agreement' || state.document.content.state !== 'unavailable' || agreements === null) return NO_AGREEMENT;
      agreements.retry();
      return { ok: true };
    },
  };
}
