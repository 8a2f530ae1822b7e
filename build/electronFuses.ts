// Every Electron fuse, decided, and the electron-builder afterPack hook that burns them.
// electron-builder 26.17's own `electronFuses` knows only the first eight fuses (it bundles
// @electron/fuses 1.8), while Electron 45 has a ninth, WasmTrapHandlers; so Cordon flips
// the fuses itself with @electron/fuses 2.x and `strictlyRequireAllFuses`: a fuse that a
// newer Electron adds fails the build until it is decided here. The record's type is keyed
// by @electron/fuses' own list, so a fuse that package adds fails the type check first.
// afterPack runs after the app is copied and before electron-builder signs, as the fuses
// must be flipped before the signature that seals them.
// Loaded by electron-builder through Node's type stripping: no imports of our own files.
import path from 'node:path';
import { FuseV1Options, FuseVersion, flipFuses } from '@electron/fuses';
import { Arch, type AfterPackContext } from 'electron-builder';

export type FuseName = keyof typeof FuseV1Options;

export const CORDON_FUSES: Readonly<Record<FuseName, boolean>> = {
  // ELECTRON_RUN_AS_NODE would turn the signed binary into a plain Node interpreter.
  RunAsNode: false,
  // The hosted apps' cookies (EHR sessions) are encrypted at rest with the OS keychain key.
  EnableCookieEncryption: true,
  // NODE_OPTIONS / NODE_EXTRA_CA_CERTS could preload code or add a trusted CA.
  EnableNodeOptionsEnvironmentVariable: false,
  // --inspect and SIGUSR1 would open a debugger into main.
  EnableNodeCliInspectArguments: false,
  // macOS and Windows check app.asar against the hash in the signed executable.
  EnableEmbeddedAsarIntegrityValidation: true,
  // Only app.asar is loaded, never a loose app/ folder dropped beside it.
  OnlyLoadAppFromAsar: true,
  // Cordon ships no browser-process V8 snapshot.
  LoadBrowserProcessSpecificV8Snapshot: false,
  // Cordon serves its UI from cordon://, never file://, so file: pages get no extra power.
  GrantFileProtocolExtraPrivileges: false,
  // Electron's default (on): V8 catches WebAssembly out-of-bounds accesses with signal
  // handlers instead of inline bounds checks. Hosted apps may use WebAssembly; turning it
  // off only saves reserved address space on memory-starved machines, which laptops are not.
  WasmTrapHandlers: true,
};

/** The file that carries the fuse wire: the executable (Windows, Linux) or the .app (macOS). */
export function electronExecutable(context: AfterPackContext): string {
  const { appOutDir, electronPlatformName, packager } = context;
  if (electronPlatformName === 'darwin' || electronPlatformName === 'mas') return path.join(appOutDir, `${packager.appInfo.productFilename}.app`);
  if (electronPlatformName === 'win32') return path.join(appOutDir, `${packager.appInfo.productFilename}.exe`);
  // Only LinuxPackager has an executable name of its own (linux.executableName).
  const linuxName = (packager as unknown as { executableName?: unknown }).executableName;
  if (typeof linuxName !== 'string') throw new Error(`cannot tell the Electron executable's name for ${electronPlatformName}`);
  return path.join(appOutDir, linuxName);
}

export async function afterPack(context: AfterPackContext): Promise<void> {
  const wire = Object.fromEntries(Object.entries(CORDON_FUSES).map(([name, on]) => [FuseV1Options[name as FuseName], on]));
  await flipFuses(electronExecutable(context), {
    version: FuseVersion.V1,
    strictlyRequireAllFuses: true,
    // An arm64 Mac binary whose bytes changed needs a fresh ad-hoc signature to run at all
    // (@electron/fuses' README); electron-builder then signs it for real.
    resetAdHocDarwinSignature: context.electronPlatformName === 'darwin' && context.arch === Arch.arm64,
    ...(wire as Record<FuseV1Options, boolean>),
  });
}
