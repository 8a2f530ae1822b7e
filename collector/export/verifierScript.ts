// The standalone verifier written into every evidence package: verifyEvidenceMain.ts and
// what it imports (the same verification code the collector runs), bundled by esbuild into
// one ES module that needs nothing but Node. Built once per process.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ENTRY = path.join(path.dirname(fileURLToPath(import.meta.url)), 'verifyEvidenceMain.ts');
const BANNER = '// Cordon evidence package verifier: run `node verify-evidence.mjs --key <collector key id>` in the package folder (Node.js 22 or later).';

let script: Promise<string> | null = null;

export function standaloneVerifierScript(): Promise<string> {
  script ??= build({ entryPoints: [ENTRY], bundle: true, platform: 'node', format: 'esm', target: 'node22', write: false, legalComments: 'none', banner: { js: BANNER } }).then((result) => {
    const [file] = result.outputFiles;
    if (file === undefined) throw new Error('esbuild produced no verifier script');
    return file.text;
  });
  // A failed build is not remembered: the next export tries again.
  script.catch(() => {
    script = null;
  });
  return script;
}
