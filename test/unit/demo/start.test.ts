// `npm start` exactly as the README gives it, on a machine without the Electron binary:
// it must say so plainly, keep the demo servers up, and leave a policy the development
// build accepts.
import { spawn, spawnSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createPolicyVerifier } from '../../../main/policy/policyKeys';
import { evaluatePolicyFile } from '../../../common/policy/signedPolicy';
import { verify } from 'otplib';
import { demoUser } from '../../support/authHarness';
import { demoKeys, REPO_ROOT } from '../../support/policyFixtures';

describe('npm run demo -- totp', () => {
  it("prints a demo account's current authenticator code, and says why it cannot for the account without one", async () => {
    const sam = spawnSync('npm', ['run', '-s', 'demo', '--', 'totp', 'sam'], { cwd: REPO_ROOT, encoding: 'utf8' });
    expect(sam.status).toBe(0);
    const code = sam.stdout.trim();
    expect(code).toMatch(/^\d{6}$/);
    expect((await verify({ secret: demoUser('sam').totpSecret ?? '', token: code, epochTolerance: [30, 0] })).valid).toBe(true);
    const nora = spawnSync('npm', ['run', '-s', 'demo', '--', 'totp', 'nora'], { cwd: REPO_ROOT, encoding: 'utf8' });
    expect(nora.status).toBe(1);
    expect(nora.stderr).toContain('nora has no authenticator set up');
    expect(spawnSync('npm', ['run', '-s', 'demo', '--', 'totp', 'nobody'], { cwd: REPO_ROOT, encoding: 'utf8' }).stderr).toContain("no demo account 'nobody'");
  });
});

describe('npm start without an Electron binary', () => {
  it('starts the demo stack, prints its addresses, says why no window opens, and stops cleanly', async () => {
    const child = spawn('npm', ['start'], { cwd: REPO_ROOT, env: { ...process.env, CORDON_ELECTRON_BINARY: '/nonexistent/electron' }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
    const urls: string[] = [];
    try {
      await expect.poll(() => output, { timeout: 60_000 }).toContain('Demo stack ready');
      expect(output).toContain("Cordon's window cannot open on this machine: CORDON_ELECTRON_BINARY=/nonexistent/electron does not exist");
      urls.push(...[...output.matchAll(/Demo (?:EHR|messaging): (http:\/\/127\.0\.0\.1:\d+\/)/g)].map((m) => m[1] ?? ''));
      expect(urls).toHaveLength(2);
      const discovery = /Demo identity provider: (\S+)/.exec(output)?.[1] ?? '';
      const metadata = (await (await fetch(discovery)).json()) as { issuer: string; code_challenge_methods_supported: string[] };
      expect(metadata.issuer).toBe('http://127.0.0.1:4400');
      expect(metadata.code_challenge_methods_supported).toContain('S256');
      expect(output).toMatch(/valerie \/ demo-valerie \(va\): TOTP seed [A-Z2-7]+ otpauth:\/\/totp\//);
      // The practice's collector, where the demo policy sends the audit trail.
      expect(output).toContain('Demo audit collector: http://127.0.0.1:4430');
      expect((await fetch('http://127.0.0.1:4430/health')).status).toBe(200);
      expect(output).toContain('nora / demo-nora (va): no MFA set up');
      // What to open: the supervisor console, built and served by the collector, with the demo's sessions in it.
      expect(output).toContain('the supervisor console: http://127.0.0.1:4430/console/ (sign in as sam, a supervisor, or cora, compliance)');
      expect(output).toContain('cora / demo-cora (compliance)');
      const consolePage = await fetch('http://127.0.0.1:4430/console/');
      expect(consolePage.status).toBe(200);
      expect(consolePage.headers.get('content-security-policy')).toContain("script-src 'self'");
      expect(await consolePage.text()).toMatch(/<script type="module" crossorigin src="\/console\/assets\/[^"]+\.js">/);
      // The demo apps sign their users in through the demo IdP (single sign-on inside Cordon).
      for (const url of urls) {
        const response = await fetch(url, { redirect: 'manual' });
        expect(response.status).toBe(302);
        expect(response.headers.get('location')).toMatch(/^http:\/\/127\.0\.0\.1:4400\/auth\?/);
      }
      const policyFile = path.join(REPO_ROOT, 'out', 'policy', 'policy.json');
      const verdict = evaluatePolicyFile(await readFile(policyFile, 'utf8'), { file: policyFile, verifier: createPolicyVerifier([demoKeys().publicKeyPem]), now: new Date(), build: 'development' });
      expect(verdict.ok).toBe(true);
    } finally {
      // Ctrl+C in a terminal: SIGINT to the whole foreground process group.
      if (child.pid !== undefined) process.kill(-child.pid, 'SIGINT');
    }
    await exited;
    expect(output).toContain('demo stack stopped');
    for (const url of [...urls, 'http://127.0.0.1:4400/.well-known/openid-configuration', 'http://127.0.0.1:4430/health']) await expect(fetch(url)).rejects.toThrow();
  }, 90_000);
});
