// The shell's preload against a stand-in electron module: exactly the contract's methods
// and one subscription per pushed event, the payload only (never the event object), and
// an unsubscribe that works.
import { EventEmitter } from 'node:events';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { IPC_CHANNELS, IPC_EVENTS } from '../../../common/ipc/channels';
import type { CordonApi } from '../../../common/ipc/contract';

let exposed: Record<string, unknown> = {};
const ipcRenderer = Object.assign(new EventEmitter(), { invoke: vi.fn((channel: string) => Promise.resolve(channel)) });

beforeEach(async () => {
  vi.resetModules();
  exposed = {};
  ipcRenderer.removeAllListeners();
  vi.doMock('electron', () => ({ contextBridge: { exposeInMainWorld: (key: string, api: unknown) => (exposed[key] = api) }, ipcRenderer }));
  await import('../../../preload/index');
});
afterEach(() => {
  vi.doUnmock('electron');
});

describe('shell preload', () => {
  it('exposes the contract methods and the state subscription, nothing else', () => {
    expect(Object.keys(exposed)).toEqual(['cordon']);
    expect(Object.keys(exposed.cordon as object).sort()).toEqual([...Object.keys(IPC_CHANNELS), 'onShellStateChanged'].sort());
    expect(Object.isFrozen(exposed.cordon)).toBe(true);
  });

  it('hands the page only the state main pushed, until it unsubscribes', async () => {
    const api = exposed.cordon as CordonApi;
    const seen: unknown[] = [];
    const unsubscribe = api.onShellStateChanged((state) => seen.push(state));
    const state = { kind: 'signed-out', practiceName: 'Sunrise', posture: [] };
    ipcRenderer.emit(IPC_EVENTS.shellStateChanged, { sender: 'the IpcRendererEvent' }, state);
    expect(seen).toEqual([state]);
    unsubscribe();
    ipcRenderer.emit(IPC_EVENTS.shellStateChanged, {}, state);
    expect(seen).toHaveLength(1);
    expect(ipcRenderer.listenerCount(IPC_EVENTS.shellStateChanged)).toBe(0);
    await expect(api.getShellState()).resolves.toBe(IPC_CHANNELS.getShellState);
  });
});
