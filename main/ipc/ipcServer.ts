// Registers the IPC contract's handlers in main. Every call is checked twice before a
// handler runs: the sender must be the shell's own top-level frame on cordon://app, and
// the arguments must match the contract's schema. Results are checked on the way out.
import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import { ipcContract, type IpcHandlers } from '../../common/ipc/contract';
import type { IpcMethod } from '../../common/ipc/channels';
import { SHELL_HOST, SHELL_SCHEME } from '../shell/shellProtocol';

export type IpcSenderEvent = Pick<IpcMainInvokeEvent, 'sender' | 'senderFrame'>;

/** Why a message from this sender is refused, or null when it comes from the shell UI. */
export function senderRefusal(event: IpcSenderEvent, shellWebContentsId: number | undefined): string | null {
  if (shellWebContentsId === undefined || event.sender.id !== shellWebContentsId) return 'sender is not the Cordon shell window';
  const frame = event.senderFrame;
  if (frame === null || frame.isDestroyed()) return 'sender frame is gone';
  if (frame.parent !== null) return 'sender is a subframe';
  let url: URL;
  try {
    url = new URL(frame.url);
  } catch {
    return 'sender frame has no valid URL';
  }
  if (url.protocol !== `${SHELL_SCHEME}:` || url.host !== SHELL_HOST) return `sender frame is not on ${SHELL_SCHEME}://${SHELL_HOST}`;
  return null;
}

export interface IpcRefusal {
  channel: string;
  reason: string;
}

export interface IpcServerOptions {
  shellWebContentsId: () => number | undefined;
  onRefused: (refusal: IpcRefusal) => void;
}

export class IpcRefusedError extends Error {
  constructor() {
    // Deliberately vague towards the caller; the reason goes to the audit trail.
    super('Request refused');
    this.name = 'IpcRefusedError';
  }
}

export function registerIpcHandlers(ipcMain: Pick<IpcMain, 'handle'>, handlers: IpcHandlers, options: IpcServerOptions): void {
  for (const method of Object.keys(ipcContract) as IpcMethod[]) {
    const { channel, args: argsSchema, result: resultSchema } = ipcContract[method];
    const handler = handlers[method] as (...args: unknown[]) => unknown;
    ipcMain.handle(channel, async (event, ...args: unknown[]) => {
      const senderProblem = senderRefusal(event, options.shellWebContentsId());
      if (senderProblem !== null) {
        options.onRefused({ channel, reason: senderProblem });
        throw new IpcRefusedError();
      }
      const parsed = argsSchema.safeParse(args);
      if (!parsed.success) {
        options.onRefused({ channel, reason: `invalid arguments: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(args)'} ${i.message}`).join('; ')}` });
        throw new IpcRefusedError();
      }
      const result = await handler(...parsed.data);
      // A handler returning something outside the contract is our bug; never send it.
      return resultSchema.parse(result);
    });
  }
}
