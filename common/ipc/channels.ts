// IPC channel names, shared by main and the preload. Kept free of zod so the
// sandboxed preload bundle stays tiny; the schemas live in ./contract.
export const IPC_CHANNELS = {
  getShellState: 'cordon:shell:get-state',
  signIn: 'cordon:auth:sign-in',
  signOut: 'cordon:auth:sign-out',
  selectApp: 'cordon:workspace:select-app',
  reopenApp: 'cordon:workspace:reopen-app',
  unlock: 'cordon:session:unlock',
  enrollWithCode: 'cordon:audit:enroll-with-code',
  acceptAgreement: 'cordon:gates:accept-agreement',
  declineAgreement: 'cordon:gates:decline-agreement',
  retryAgreement: 'cordon:gates:retry-agreement',
} as const;

export type IpcMethod = keyof typeof IPC_CHANNELS;

/** Messages main sends the shell on its own (one way, main → shell page). */
export const IPC_EVENTS = {
  shellStateChanged: 'cordon:shell:state-changed',
} as const;

export type IpcEvent = keyof typeof IPC_EVENTS;

/** The preload's subscription method for an event: shellStateChanged → onShellStateChanged. */
export function subscriptionName<E extends IpcEvent>(event: E): `on${Capitalize<E>}` {
  return `on${event.charAt(0).toUpperCase()}${event.slice(1)}` as `on${Capitalize<E>}`;
}
