// IPC channel names, shared by main and the preload. Kept free of zod so the
// sandboxed preload bundle stays tiny; the schemas live in ./contract.
export const IPC_CHANNELS = {
  getShellState: 'cordon:shell:get-state',
  signIn: 'cordon:auth:sign-in',
  signOut: 'cordon:auth:sign-out',
  selectApp: 'cordon:workspace:select-app',
  unlock: 'cordon:session:unlock',
} as const;

export type IpcMethod = keyof typeof IPC_CHANNELS;
