// The shell's fixed geometry, shared by the renderer (which draws the top bar) and main
// (which places the hosted app's view below it).
export const SHELL_TOPBAR_HEIGHT = 56;

export interface Rectangle {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Where a hosted app's view goes inside a shell window of this content size. */
export function hostedViewBounds(content: { width: number; height: number }): Rectangle {
  return { x: 0, y: SHELL_TOPBAR_HEIGHT, width: Math.max(0, content.width), height: Math.max(0, content.height - SHELL_TOPBAR_HEIGHT) };
}
