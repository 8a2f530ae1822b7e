// Builds the console UI once per test worker into a scratch folder (never the collector's
// out/console), so the browser tests exercise the same production bundle the collector serves.
import { execFileSync } from 'node:child_process';
import path from 'node:path';

export const REPO_ROOT = path.resolve(import.meta.dirname, '../..');
export const CONSOLE_TEST_BUILD = path.join(REPO_ROOT, '.cache/console-build/ui');

let built = false;

export function buildConsoleUi(): string {
  if (!built) {
    execFileSync('npx', ['vite', 'build', '--config', 'console/vite.config.ts', '--logLevel', 'error'], {
      cwd: REPO_ROOT,
      env: { ...process.env, CORDON_CONSOLE_OUT: CONSOLE_TEST_BUILD },
      stdio: ['ignore', 'ignore', 'inherit'],
      timeout: 120_000,
    });
    built = true;
  }
  return CONSOLE_TEST_BUILD;
}
