// Builds Cordon for real (electron-vite) in both modes and runs each built main bundle
// against the stand-in electron module: a production build must refuse the demo policy
// and close devtools; a development build accepts it.
import { execFile } from 'node:child_process';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { IPC_CHANNELS } from '../../../common/ipc/channels';
import { GUARD_PRELOADS } from '../../../build/guardBundle';
import { demoKeys, REPO_ROOT, signedText, validPolicy } from '../../support/policyFixtures';
import { fakeFrame, fakeInvokeEvent } from '../../support/electronFakes';
import { fakeElectron, type Calls } from '../../support/fakeElectronModule';

const run = promisify(execFile);
const scratch = path.join(REPO_ROOT, '.cache', 'build-kinds');
const outFor = (mode: string) => path.join(scratch, mode, 'out');

beforeAll(async () => {
  await rm(scratch, { recursive: true, force: true });
  for (const mode of ['production', 'development']) {
    await run('npx', ['electron-vite', 'build', '--mode', mode], { cwd: REPO_ROOT, env: { ...process.env, CORDON_BUILD_OUT: outFor(mode) } });
    // An unpackaged build looks for its bundled policy at <appPath>/out/policy/policy.json.
    const demoPolicy = validPolicy({ environment: 'demo', issuedAt: '2026-01-01T00:00:00Z', expiresAt: '2099-01-01T00:00:00Z' });
    await mkdir(path.join(outFor(mode), 'policy'), { recursive: true });
    await writeFile(path.join(outFor(mode), 'policy', 'policy.json'), signedText(demoPolicy, demoKeys()));
  }
}, 120_000);

afterEach(() => vi.doUnmock('electron'));

async function runBuiltMain(mode: string) {
  vi.resetModules();
  const calls: Calls = { order: [], windows: [], handled: [], menu: 'unset' };
  const fake = fakeElectron(calls, { appPath: path.dirname(outFor(mode)) });
  vi.doMock('electron', () => fake.electron);
  // As a packaged Cordon is started: no arguments (a production build refuses vitest's).
  const argv = process.argv;
  process.argv = [process.execPath];
  try {
    await import(pathToFileURL(path.join(outFor(mode), 'main', 'index.js')).href);
  } finally {
    process.argv = argv;
  }
  fake.ready();
  await vi.waitFor(() => expect(calls.windows).toHaveLength(1));
  const state = await fake.ipcMain.invoke(IPC_CHANNELS.getShellState, fakeInvokeEvent(41, fakeFrame('cordon://app/index.html')));
  return { state, calls };
}

describe('build kinds', () => {
  it('every preload is a single sandbox-safe file: it loads nothing but electron', async () => {
    for (const mode of ['production', 'development']) {
      for (const preload of ['index.cjs', ...GUARD_PRELOADS.map((name) => `${name}.cjs`)]) {
        const code = await readFile(path.join(outFor(mode), 'preload', preload), 'utf8');
        const required = [...code.matchAll(/require\((["'])([^"']+)\1\)/g)].map((m) => m[2]);
        expect(new Set(required), `${mode} ${preload}`).toEqual(new Set(['electron']));
      }
    }
  });

  it('a production build does not carry the demo policy key at all', async () => {
    const bundle = await readFile(path.join(outFor('production'), 'main', 'index.js'), 'utf8');
    const demoKeyBody = demoKeys().publicKeyPem.split('\n')[1] ?? 'missing';
    expect(bundle).not.toContain(demoKeyBody);
    const devBundle = await readFile(path.join(outFor('development'), 'main', 'index.js'), 'utf8');
    expect(devBundle).toContain(demoKeyBody);
  });

  it('a production build refuses a policy signed by the demo key', async () => {
    const { state, calls } = await runBuiltMain('production');
    expect(state).toMatchObject({ kind: 'policy-error', problem: { code: 'untrusted-key' } });
    expect(calls.windows[0]?.options.webPreferences).toMatchObject({ devTools: false, sandbox: true, contextIsolation: true });
  });

  it('a development build accepts the demo policy', async () => {
    const { state, calls } = await runBuiltMain('development');
    expect(state).toMatchObject({ kind: 'signed-out', practiceName: 'Test Family Practice' });
    expect(calls.windows[0]?.options.webPreferences).toMatchObject({ devTools: true });
  });

  it('emits a single CommonJS preload (a sandboxed preload cannot load other files)', async () => {
    const preload = await readFile(path.join(outFor('production'), 'preload', 'index.cjs'), 'utf8');
    expect(preload).toContain('require("electron")');
    expect(preload.match(/require\(/g)).toHaveLength(1);
    expect(preload).not.toMatch(/\bimport\s/);
  });

  it('emits a renderer page with no inline script or style, so the strict CSP holds', async () => {
    const html = await readFile(path.join(outFor('production'), 'renderer', 'index.html'), 'utf8');
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(html).not.toMatch(/<style|style=/);
  });
});
