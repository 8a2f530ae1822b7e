// The shell's fixed geometry, shared by the renderer (which draws the top bar) and main
// (which places the hosted app's view below it).
import type { ShellState } from '../ipc/contract';

export const SHELL_TOPBAR_HEIGHT = 56;
/** The strip below the top bar while the shell asks for something (connect this computer); the app starts below it. */
export const SHELL_INFOBAR_HEIGHT = 48;

/**
 * What the workspace's one strip under the top bar shows, if anything: that the app on
 * screen signed the VA out (while apps show), else the step to connect this computer.
 */
export function workspaceInfobar(state: ShellState): 'signed-out' | 'enrollment' | null {
  if (state.kind !== 'workspace') return null;
  const active = state.apps.find((app) => app.id === state.activeAppId);
  if (active?.signedOut === true && state.appsHidden === undefined) return 'signed-out';
  return state.enrollment === undefined ? null : 'enrollment';
}

export interface Rectangle {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Where a hosted app's view goes inside a shell window of this content size, below the top bar and any infobar. */
export function hostedViewBounds(content: { width: number; height: number }, { infobar = false } = {}): Rectangle {
  const top = SHELL_TOPBAR_HEIGHT + (infobar ? SHELL_INFOBAR_HEIGHT : 0);
  return { x: 0, y: top, width: Math.max(0, content.width), height: Math.max(0, content.height - top) };
}
