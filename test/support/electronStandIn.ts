// TEST DOUBLE for the Electron binary, which cannot be downloaded here. It is a tiny shell
// script carrying what electron-builder and @electron/fuses touch: Electron's fuse wire in
// the documented layout (docs/tutorial/fuses.md, "The hard way": the sentinel, a version
// byte, a length byte, one '0'/'1' byte per fuse) with Electron's default states, and the
// `version` file of an Electron distribution. Nine fuses, as in Electron 45 (the eight of
// build/fuses/fuses.json5 plus wasm_trap_handlers, electron/electron#48983); modelled on
// those sources, not read from a real Electron 45 binary.
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
/** Electron's defaults, fuse by fuse in wire order (RunAsNode … WasmTrapHandlers). */
export const ELECTRON_DEFAULT_WIRE = '101100011';

/** Writes `<dir>/electron` (with `wire` as its fuse wire) and `<dir>/version`. */
export async function writeElectronStandIn(dir: string, version: string, wire = ELECTRON_DEFAULT_WIRE): Promise<string> {
  await mkdir(dir, { recursive: true });
  const binary = path.join(dir, 'electron');
  const wireBytes = Buffer.concat([Buffer.from(SENTINEL, 'latin1'), Buffer.from([1, wire.length]), Buffer.from(wire, 'latin1')]);
  await writeFile(binary, Buffer.concat([Buffer.from('#!/bin/sh\necho "Electron stand-in (test double)"\nexit 0\n'), wireBytes, Buffer.from('\n')]));
  await chmod(binary, 0o755);
  await writeFile(path.join(dir, 'version'), version);
  return binary;
}

/** The fuse states in a binary, read by the documented layout: '0', '1' or 'r' per fuse. */
export async function readFuseWire(binary: string): Promise<string> {
  const bytes = await readFile(binary);
  const at = bytes.indexOf(SENTINEL, 0, 'latin1');
  if (at === -1) throw new Error(`no fuse wire in ${binary}`);
  const start = at + SENTINEL.length;
  const length = bytes[start + 1] ?? 0;
  return bytes.subarray(start + 2, start + 2 + length).toString('latin1');
}
