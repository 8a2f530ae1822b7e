// Finds the Electron binary without triggering its download: `require('electron')`
// would try to fetch it (and fail or hang where there is no internet).
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

const electronPackage = path.resolve(import.meta.dirname, '../node_modules/electron');

export function electronBinary(): { path: string } | { missing: string } {
  const override = process.env.CORDON_ELECTRON_BINARY;
  if (override !== undefined) return existsSync(override) ? { path: override } : { missing: `CORDON_ELECTRON_BINARY=${override} does not exist` };
  const pathFile = path.join(electronPackage, 'path.txt');
  if (!existsSync(pathFile)) return { missing: 'the Electron binary has not been downloaded (node_modules/electron/path.txt is absent; it is fetched on first run where the internet is reachable)' };
  const binary = path.join(electronPackage, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? { path: binary } : { missing: `the Electron binary is missing at ${binary}` };
}
