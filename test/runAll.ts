// `npm test`: every check Cordon has, in one run, ending with a line CI can read:
// "N passed, N failed, N skipped". A step that fails does not stop the others, so one
// run shows everything that is wrong; any failure makes the exit code non-zero.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const reports = path.join(root, '.cache', 'reports');

interface Tally {
  passed: number;
  failed: number;
  skipped: number;
}

function run(command: string, args: string[], env: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1', ...env } });
    child.on('close', (code, signal) => resolve(code ?? (signal === null ? 1 : 128)));
    child.on('error', () => resolve(127));
  });
}

async function readJson<T>(file: string): Promise<T | null> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as T;
  } catch {
    return null;
  }
}

/** A step whose result is one check: passed when the command exits 0. */
async function check(name: string, command: string, args: string[]): Promise<Tally> {
  console.log(`\n=== ${name} ===`);
  const code = await run(command, args);
  console.log(`STEP ${name} ${code === 0 ? 'PASS' : `FAIL (exit ${code})`}`);
  return { passed: code === 0 ? 1 : 0, failed: code === 0 ? 0 : 1, skipped: 0 };
}

async function vitest(): Promise<Tally> {
  console.log('\n=== unit tests (vitest, Node) ===');
  const file = path.join(reports, 'vitest.json');
  // Vitest colours its output even into a file or pipe (a CI log); the other steps do not.
  // Only here: Playwright forces colour in its workers, where NO_COLOR earns a Node warning.
  const plain: Record<string, string> = process.stdout.isTTY || process.env.FORCE_COLOR !== undefined ? {} : { NO_COLOR: '1' };
  const code = await run('npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${file}`], plain);
  const report = await readJson<{ numPassedTests: number; numFailedTests: number; numPendingTests: number; numTodoTests: number }>(file);
  if (report === null) return { passed: 0, failed: 1, skipped: 0 };
  // A crash outside any test (exit non-zero with no failed test) still counts as a failure.
  const failed = report.numFailedTests + (code !== 0 && report.numFailedTests === 0 ? 1 : 0);
  console.log(`STEP unit ${failed === 0 ? 'PASS' : 'FAIL'}`);
  return { passed: report.numPassedTests, failed, skipped: report.numPendingTests + report.numTodoTests };
}

async function playwright(): Promise<Tally> {
  console.log('\n=== browser tests (Playwright: Debian Chromium, and Electron where its binary exists) ===');
  const file = path.join(reports, 'playwright.json');
  // Electron needs a display; use a virtual one where there is none.
  const headless = process.env.DISPLAY === undefined && existsSync('/usr/bin/xvfb-run');
  const code = headless ? await run('xvfb-run', ['-a', 'npx', 'playwright', 'test']) : await run('npx', ['playwright', 'test']);
  const report = await readJson<{ stats: { expected: number; unexpected: number; flaky: number; skipped: number } }>(file);
  if (report === null) return { passed: 0, failed: 1, skipped: 0 };
  const failed = report.stats.unexpected + (code !== 0 && report.stats.unexpected === 0 ? 1 : 0);
  console.log(`STEP browser ${failed === 0 ? 'PASS' : 'FAIL'}`);
  return { passed: report.stats.expected + report.stats.flaky, failed, skipped: report.stats.skipped };
}

await rm(reports, { recursive: true, force: true });
await mkdir(reports, { recursive: true });

const tallies: Tally[] = [];
tallies.push(await check('typecheck', 'npm', ['run', '-s', 'typecheck']));
tallies.push(await check('lint', 'npm', ['run', '-s', 'lint']));
tallies.push(await vitest());
tallies.push(await playwright());
tallies.push(await check('electronegativity', 'npx', ['tsx', 'test/security/electronegativityCheck.ts']));

const total = tallies.reduce((sum, t) => ({ passed: sum.passed + t.passed, failed: sum.failed + t.failed, skipped: sum.skipped + t.skipped }), { passed: 0, failed: 0, skipped: 0 });
if (total.skipped > 0) console.log(`\nNOTE ${total.skipped} skipped: skipped tests did not run and are not counted as passed (see SKIPPED lines above).`);
console.log(`\n${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`);
process.exitCode = total.failed === 0 ? 0 : 1;
