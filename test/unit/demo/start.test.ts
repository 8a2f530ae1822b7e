// `npm start` exactly as the README gives it, on a machine without the Electron binary:
// it must say so plainly, keep the demo servers up, and leave a policy the development
// build accepts.
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createPolicyVerifier } from '../../../main/policy/policyKeys';
import { evaluatePolicyFile } from '../../../common/policy/signedPolicy';
import { demoKeys, REPO_ROOT } from '../../support/policyFixtures';

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
