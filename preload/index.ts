// The shell window's preload (sandboxed, context-isolated). It exposes exactly the
// methods of the IPC contract as `window.cordon`, each a fixed channel, plus one
// subscription per event main pushes (e.g. onShellStateChanged): the renderer never
// touches ipcRenderer, cannot pick a channel, and gets no event objects back, only the
// payload main validated.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { IPC_CHANNELS, IPC_EVENTS, subscriptionName, type IpcEvent, type IpcMethod } from '../common/ipc/channels';
import type { CordonApi } from '../common/ipc/contract';

function invoker(method: IpcMethod) {
  const channel = IPC_CHANNELS[method];
  return (...args: unknown[]): Promise<unknown> => ipcRenderer.invoke(channel, ...args);
}

function subscriber(event: IpcEvent) {
  const channel = IPC_EVENTS[event];
  return (listener: (payload: unknown) => void): (() => void) => {
    const forward = (_event: IpcRendererEvent, payload: unknown) => listener(payload);
    ipcRenderer.on(channel, forward);
    return () => {
      ipcRenderer.removeListener(channel, forward);
    };
  };
}

const api = Object.freeze(
  Object.fromEntries([
    ...(Object.keys(IPC_CHANNELS) as IpcMethod[]).map((method) => [method, invoker(method)]),
    ...(Object.keys(IPC_EVENTS) as IpcEvent[]).map((event) => [subscriptionName(event), subscriber(event)]),
  ]),
) as CordonApi;

contextBridge.exposeInMainWorld('cordon', api);
