// The shell's only door to main: the object the preload exposes. Typed from the
// contract in common/; the renderer never sees ipcRenderer or Node.
import type { CordonApi } from '../common/ipc/contract';

declare global {
  interface Window {
    readonly cordon: CordonApi;
  }
}

export function cordonApi(): CordonApi {
  return window.cordon;
}
