// Bundles the hosted-page guard and the service-worker guard. A sandboxed preload cannot
// load other files, so each must be one self-contained file; electron-vite bundles one
// preload per build, so these two are bundled here, by esbuild, during the preload build.
// The Chromium conformance host bundles its own entry with the same function, so both
// hosts run the same guard code.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { build } from 'esbuild';
import type { Plugin } from 'vite';

/** Chromium 140 is Electron 45's engine. */
const TARGET = 'chrome140';

export async function bundleGuardScript(entry: string, format: 'cjs' | 'iife'): Promise<string> {
  const result = await build({ entryPoints: [entry], bundle: true, format, platform: 'browser', target: TARGET, external: ['electron'], write: false, minify: false, legalComments: 'none' });
  const [file] = result.outputFiles;
  if (file === undefined) throw new Error(`esbuild produced nothing for ${entry}`);
  return file.text;
}

/** The guard preloads, each written to out/preload/<name>.cjs next to the shell preload. */
export const GUARD_PRELOADS = ['hostedGuard', 'serviceWorkerGuard'] as const;

export function hostedGuardPlugin(root: string, outDir: string): Plugin {
  return {
    name: 'cordon-hosted-guard',
    apply: 'build',
    async closeBundle() {
      for (const name of GUARD_PRELOADS) await writeFile(path.join(outDir, `${name}.cjs`), await bundleGuardScript(path.join(root, `preload/${name}.ts`), 'cjs'));
    },
  };
}
