// Pushes the shell's state to the shell page whenever it changes, on the contract's one
// event channel, checked against the contract first (as every IPC result is): the page
// subscribes through the preload instead of asking every second.
import type { WebContents } from 'electron';
import { ipcEvents, type ShellState } from '../../common/ipc/contract';

export function pushShellState(contents: Pick<WebContents, 'send' | 'isDestroyed'> | null, state: ShellState): void {
  if (contents === null || contents.isDestroyed()) return;
  const { channel, payload } = ipcEvents.shellStateChanged;
  contents.send(channel, payload.parse(state));
}
