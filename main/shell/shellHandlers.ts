// Main's implementation of the IPC contract for the shell window.
import type { AuditSink } from '../../common/audit/auditSink';
import type { IpcHandlers, ShellState } from '../../common/ipc/contract';

export function createShellHandlers(getState: () => ShellState, audit: AuditSink): IpcHandlers {
  return {
    getShellState: () => getState(),
    signIn: () => {
      const state = getState();
      if (state.kind === 'policy-error') return { ok: false, message: 'Cordon is locked until IT fixes the policy.' };
      audit.record({ type: 'sign-in.unavailable', outcome: 'failure', reason: 'not-in-this-build' });
      return { ok: false, message: 'Sign-in is not available in this build of Cordon yet.' };
    },
    selectApp: (appId) => {
      const state = getState();
      if (state.kind !== 'workspace') return { ok: false, message: 'Sign in first.' };
      if (!state.apps.some((app) => app.id === appId)) return { ok: false, message: 'That app is not approved by the policy.' };
      return { ok: true };
    },
  };
}
