// Builds the shell renderer once (production mode) into a scratch folder the browser
// tests serve from, so they test the same bundle the app ships.
import { execFileSync } from 'node:child_process';
import path from 'node:path';

export const BROWSER_BUILD_OUT = path.resolve(import.meta.dirname, '../../.cache/browser-build/out');

export default function globalSetup(): void {
  execFileSync('npx', ['electron-vite', 'build', '--mode', 'production'], {
    cwd: path.resolve(import.meta.dirname, '../..'),
    env: { ...process.env, CORDON_BUILD_OUT: BROWSER_BUILD_OUT },
    stdio: 'ignore',
  });
}
