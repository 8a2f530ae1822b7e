// Bundles the hosted-page guard. A sandboxed preload cannot load other files, so the
// guard must be one self-contained file; electron-vite bundles one preload per build, so
// the guard (the second preload) is bundled here, by esbuild, during the preload build.
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

/** Writes out/preload/hostedGuard.cjs next to the shell preload. */
export function hostedGuardPlugin(root: string, outDir: string): Plugin {
  return {
    name: 'cordon-hosted-guard',
    apply: 'build',
    async closeBundle() {
      const code = await bundleGuardScript(path.join(root, 'preload/hostedGuard.ts'), 'cjs');
      await writeFile(path.join(outDir, 'hostedGuard.cjs'), code);
    },
  };
}
