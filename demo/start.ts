// `npm start`: the Cordon workspace on the demo stack. Starts the demo servers, signs
// the demo policy, builds a development Cordon and opens it. Where the Electron binary
// is missing and cannot be fetched, it says so plainly and keeps the servers running.
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { electronBinary } from '../build/electronBinary';
import { CONSOLE_UI_DIR, signDemoPolicy, startDemoStack } from './demoStack';
import { demoAccountLines } from './idp/demoAccounts';

const root = path.resolve(import.meta.dirname, '..');
const log = (line: string) => console.log(`[cordon-demo] ${line}`);

// The console is the one Cordon screen a browser can open anywhere: build it before the collector serves it.
const consoleBuilt = spawnSync('npx', ['vite', 'build', '--config', 'console/vite.config.ts', '--logLevel', 'error'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, CORDON_CONSOLE_OUT: CONSOLE_UI_DIR } });
if (consoleBuilt.status !== 0) log('building the supervisor console failed (see the errors above); the collector will say so at /console/');

const stack = await startDemoStack();
let stopping = false;
const stop = async (code: number) => {
  if (stopping) return;
  stopping = true;
  await stack.close();
  log('demo stack stopped');
  process.exit(code);
};
process.on('SIGINT', () => void stop(0));
process.on('SIGTERM', () => void stop(0));

// Only development builds trust the demo key; the policy is re-signed so it never expires mid-demo.
await signDemoPolicy(path.join(root, 'out', 'policy', 'policy.json'));
log('running:');
for (const service of stack.services) log(`  ${service.name}: ${service.url}`);
log('demo policy signed with the demo key: out/policy/policy.json');
const consoleUrl = stack.services.find((s) => s.name === 'Supervisor console')?.url ?? '';
log('open in a browser:');
log(`  the supervisor console: ${consoleUrl} (sign in as sam, a supervisor, or cora, compliance)`);
log(`  the demo EHR as a VA sees it: ${stack.services.find((s) => s.name === 'Demo EHR')?.url ?? ''} (valerie)`);
for (const line of demoAccountLines()) log(line);
log('an authenticator code without a phone: npm run -s demo -- totp sam');

const built = spawnSync('npx', ['electron-vite', 'build', '--mode', 'development'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
if (built.status !== 0) {
  log('building Cordon failed (see the errors above)');
  await stop(1);
}

let binary = electronBinary();
const mayFetch = 'missing' in binary && process.env.CORDON_ELECTRON_BINARY === undefined;
if (mayFetch) {
  log('fetching the Electron binary (first run)…');
  spawnSync(process.execPath, [path.join(root, 'node_modules', 'electron', 'install.js')], { cwd: root, stdio: 'ignore', timeout: 10 * 60_000 });
  binary = electronBinary();
}

if ('missing' in binary) {
  log(`Cordon's window cannot open on this machine: ${binary.missing}.`);
  if (mayFetch) log('Downloading it just now failed: the internet (GitHub releases) is not reachable from here.');
  log('Demo stack ready: the servers above keep running. Press Ctrl+C to stop.');
} else {
  log('Demo stack ready: opening Cordon…');
  const app = spawn(binary.path, [root], { cwd: root, stdio: 'inherit' });
  app.on('exit', (code) => void stop(code ?? 0));
}
