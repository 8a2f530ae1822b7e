// The shell window's preload (sandboxed, context-isolated). It exposes exactly the
// methods of the IPC contract as `window.cordon`, each a fixed channel: the renderer
// never touches ipcRenderer, cannot pick a channel, and gets no event objects back.
import { contextBridge, ipcRenderer } from 'electron';
import { IPC_CHANNELS, type IpcMethod } from '../common/ipc/channels';
import type { CordonApi } from '../common/ipc/contract';

function invoker(method: IpcMethod) {
  const channel = IPC_CHANNELS[method];
  return (...args: unknown[]): Promise<unknown> => ipcRenderer.invoke(channel, ...args);
}

const api = Object.freeze(
  Object.fromEntries((Object.keys(IPC_CHANNELS) as IpcMethod[]).map((method) => [method, invoker(method)])),
) as CordonApi;

contextBridge.exposeInMainWorld('cordon', api);
