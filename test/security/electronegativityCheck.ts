// Runs Electronegativity over Cordon's sources and fails on any finding that the
// checked-in allowlist does not name with a reason.
import { execFile } from 'node:child_process';
import { cp, mkdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { parseFindings, staleAllowances, unexpectedFindings, type AllowedFinding } from './electronegativityFindings';

const root = path.resolve(import.meta.dirname, '../..');
const report = path.join(root, '.cache', 'electronegativity', 'findings.sarif');
const electronVersion = (JSON.parse(await readFile(path.join(root, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> }).devDependencies.electron;
if (electronVersion === undefined) throw new Error('electron is not a devDependency');

// Scan exactly the app's sources (not build output or test scratch folders), staged so
// report paths read as in the repository.
const sources = path.join(root, '.cache', 'electronegativity', 'src');
await rm(path.dirname(report), { recursive: true, force: true });
await mkdir(sources, { recursive: true });
for (const folder of ['main', 'preload', 'renderer', 'common']) await cp(path.join(root, folder), path.join(sources, folder), { recursive: true });
// Without -e it assumes Electron 0.1; -r makes paths relative to the input folder.
// offlineGot.mjs: the tool's own network lookups fail at once instead of crashing it on Node 24.
await promisify(execFile)('npx', ['electronegativity', '-i', sources, '-e', electronVersion, '-r', '-o', report], {
  cwd: root,
  maxBuffer: 16 * 1024 * 1024,
  env: { ...process.env, NODE_OPTIONS: `--import ${path.join(import.meta.dirname, 'offlineGot.mjs')}` },
});

const findings = parseFindings(await readFile(report, 'utf8'));
const allowlist = JSON.parse(await readFile(path.join(import.meta.dirname, 'electronegativity-allowlist.json'), 'utf8')) as AllowedFinding[];
const missingReason = allowlist.filter((a) => a.reason.trim().length < 20);
const unexpected = unexpectedFindings(findings, allowlist);

for (const finding of findings) {
  const allowed = !unexpected.includes(finding);
  console.log(`ELECTRONEGATIVITY ${allowed ? 'ALLOWED' : 'FINDING'} ${finding.issue} ${finding.level} ${finding.file}:${finding.location} ${finding.description}`);
}
const stale = staleAllowances(findings, allowlist);
for (const entry of stale) console.log(`ELECTRONEGATIVITY STALE-ALLOWANCE ${entry.issue} ${entry.file} (no longer found; remove it)`);
for (const entry of missingReason) console.log(`ELECTRONEGATIVITY ALLOWANCE-WITHOUT-REASON ${entry.issue} ${entry.file}`);
console.log(`ELECTRONEGATIVITY ${findings.length} findings, ${unexpected.length} not allowlisted`);
process.exitCode = unexpected.length > 0 || missingReason.length > 0 ? 1 : 0;
