// `npm run dist`: signed installers for this machine's system (electron-builder.yml).
// First checks everything a real build needs (build/distRequirements.ts) and names what
// is missing, so a build never fails halfway or comes out unsigned; then builds the app in
// production mode and runs electron-builder with the local Electron binary.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { electronBinary } from './electronBinary';
import { distProblems, signingArguments } from './distRequirements';
import { trustedPolicyKeyPems } from './policyKeys';

const root = path.resolve(import.meta.dirname, '..');
const PLATFORM_FLAGS: Partial<Record<NodeJS.Platform, string>> = { darwin: '--mac', win32: '--win', linux: '--linux' };

/** The folder electron-builder copies Electron from: the one holding Electron.app on macOS. */
function electronDistDir(binary: string): string {
  const app = binary.lastIndexOf('.app' + path.sep);
  return app === -1 ? path.dirname(binary) : path.dirname(binary.slice(0, app + '.app'.length));
}

function readOrNull(file: string): string | null {
  return existsSync(file) ? readFileSync(file, 'utf8').trim() : null;
}

function onPath(program: string): boolean {
  return (process.env.PATH ?? '').split(path.delimiter).some((dir) => dir !== '' && existsSync(path.join(dir, program)));
}

function run(script: string, args: string[]): void {
  const result = spawnSync(process.execPath, [path.join(root, 'node_modules', script), ...args], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`npm run dist: ${path.basename(script)} ${args.join(' ')} failed (exit ${result.status ?? result.signal}).`);
    process.exit(1);
  }
}

const config = parse(readFileSync(path.join(root, 'electron-builder.yml'), 'utf8')) as Record<string, unknown>;
const packageJson = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> };
const electron = electronBinary();
const problems = distProblems({
  platform: process.platform,
  env: process.env,
  electron,
  electronDistVersion: 'path' in electron ? readOrNull(path.join(electronDistDir(electron.path), 'version')) : null,
  pinnedElectronVersion: packageJson.devDependencies.electron ?? '(not pinned)',
  policyKeyCount: trustedPolicyKeyPems(root, 'production').length,
  config,
  onPath,
});
if (problems.length > 0 || !('path' in electron)) {
  console.error(`npm run dist cannot build signed Cordon installers on this ${process.platform} machine. Missing:`);
  for (const problem of problems) console.error(`  - ${problem}`);
  console.error('Nothing was built. README "Building installers" lists what a build needs.');
  process.exit(1);
}

run('electron-vite/bin/electron-vite.js', ['build', '--mode', 'production']);
const common = ['--publish', 'never', `-c.electronDist=${electronDistDir(electron.path)}`, ...signingArguments(process.platform, process.env)];
const flag = PLATFORM_FLAGS[process.platform] ?? '--linux';
// Windows: one pass per target, so the MSI is packed without the NSIS updater's
// app-update.yml (electron-builder.yml, win.target).
const winTargets = (config.win as { target?: string[] } | undefined)?.target ?? [];
const passes = process.platform === 'win32' ? winTargets.map((target) => [flag, target]) : [[flag]];
for (const pass of passes) run('electron-builder/cli.js', [...pass, ...common]);
console.info(`npm run dist: installers are in ${path.join(root, 'dist')}.`);
