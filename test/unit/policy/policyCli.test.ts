import { execFile } from 'node:child_process';
import { mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { beforeEach, describe, expect, it } from 'vitest';
import { EXIT, runPolicyCli } from '../../../main/policy/policyCli';
import { NOW, REPO_ROOT, validPolicy } from '../../support/policyFixtures';

let dir: string;

async function cli(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runPolicyCli(argv, { out: (l) => out.push(l), err: (l) => err.push(l), now: () => NOW });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'cordon-cli-'));
});

async function keygenAndSign(policy: unknown = validPolicy()) {
  expect((await cli('keygen', '--out', dir, '--name', 'practice')).code).toBe(EXIT.ok);
  await writeFile(path.join(dir, 'policy.json'), JSON.stringify(policy, null, 2));
  const signed = await cli('sign', path.join(dir, 'policy.json'), '--key', path.join(dir, 'practice.private.pem'), '--out', path.join(dir, 'signed.json'));
  expect(signed.code, signed.err).toBe(EXIT.ok);
  return { signed: path.join(dir, 'signed.json'), pub: path.join(dir, 'practice.public.pem'), priv: path.join(dir, 'practice.private.pem') };
}

describe('cordon-policy CLI', () => {
  it('keygen writes a private key only its owner can read, and refuses to overwrite', async () => {
    const first = await cli('keygen', '--out', dir, '--name', 'practice');
    expect(first.code).toBe(EXIT.ok);
    expect(first.out).toMatch(/^key [0-9a-f]{16}$/m);
    expect((await stat(path.join(dir, 'practice.private.pem'))).mode & 0o777).toBe(0o600);
    const again = await cli('keygen', '--out', dir, '--name', 'practice');
    expect(again.code).toBe(EXIT.io);
    expect(again.err).toContain('refusing to overwrite');
  });

  it('signs, verifies and explains a policy one control per line', async () => {
    const { signed, pub } = await keygenAndSign();
    const verified = await cli('verify', signed, '--trust', pub);
    expect(verified.code).toBe(EXIT.ok);
    expect(verified.out).toContain('OK');
    const explained = await cli('explain', signed, '--trust', pub);
    expect(explained.code).toBe(EXIT.ok);
    const lines = explained.out.split('\n');
    expect(lines).toContain('practice: Test Family Practice');
    expect(lines.some((l) => l.startsWith('clipboard: workspace:'))).toBe(true);
    expect(lines.some((l) => l.startsWith('idle lock: after 5 min'))).toBe(true);
    expect(lines.some((l) => l.startsWith('multi-factor authentication: required; accepted proof: amr otp'))).toBe(true);
    expect(lines.some((l) => l.includes('downloads blocked, printing blocked, uploads blocked'))).toBe(true);
    expect(lines).toContain('client certificates: never sent');
    expect(lines).toContain('sign-in page assets (never navigated to): none beyond the sign-in origins');
  });

  it('refuses a tampered policy with the cause and exit code 1', async () => {
    const { signed, pub } = await keygenAndSign();
    const document = JSON.parse(await readFile(signed, 'utf8'));
    document.policy.clipboard.mode = 'inbound-only';
    await writeFile(signed, JSON.stringify(document));
    for (const command of ['verify', 'explain']) {
      const result = await cli(command, signed, '--trust', pub);
      expect(result.code).toBe(EXIT.refused);
      expect(result.err).toContain('bad-signature');
      expect(result.err).toContain('altered after signing');
    }
  });

  it('refuses a policy signed by another key', async () => {
    const { signed } = await keygenAndSign();
    await cli('keygen', '--out', dir, '--name', 'other');
    const result = await cli('verify', signed, '--trust', path.join(dir, 'other.public.pem'));
    expect(result.code).toBe(EXIT.refused);
    expect(result.err).toContain('untrusted-key');
  });

  it('refuses to sign an invalid policy and names the field', async () => {
    expect((await cli('keygen', '--out', dir, '--name', 'practice')).code).toBe(EXIT.ok);
    const bad = { ...validPolicy(), session: { idleLockMinutes: 30, logoffMinutes: 10 } };
    await writeFile(path.join(dir, 'bad.json'), JSON.stringify(bad));
    const result = await cli('sign', path.join(dir, 'bad.json'), '--key', path.join(dir, 'practice.private.pem'), '--out', path.join(dir, 'x.json'));
    expect(result.code).toBe(EXIT.refused);
    expect(result.err).toContain('policy.session.logoffMinutes');
  });

  it('validate checks content only and reports every problem', async () => {
    await writeFile(path.join(dir, 'bad.json'), JSON.stringify({ ...validPolicy(), clipboard: { mode: 'open' }, watermark: { template: '{user}' } }));
    const result = await cli('validate', path.join(dir, 'bad.json'));
    expect(result.code).toBe(EXIT.refused);
    expect(result.err).toContain('policy.clipboard.mode');
    expect(result.err).toContain('policy.watermark.template');
    await writeFile(path.join(dir, 'good.json'), JSON.stringify(validPolicy()));
    expect((await cli('validate', path.join(dir, 'good.json'))).code).toBe(EXIT.ok);
  });

  it('gives clear usage errors', async () => {
    expect((await cli()).code).toBe(EXIT.usage);
    const unknown = await cli('frobnicate');
    expect(unknown.code).toBe(EXIT.usage);
    expect(unknown.err).toContain("unknown command 'frobnicate'");
    const noTrust = await cli('verify', path.join(dir, 'x.json'));
    expect(noTrust.code).toBe(EXIT.usage);
    expect(noTrust.err).toContain('--trust');
    expect((await cli('verify', 'x.json', '--bogus')).code).toBe(EXIT.usage);
    const missing = await cli('validate', path.join(dir, 'nope.json'));
    expect(missing.code).toBe(EXIT.io);
    expect(missing.err).toContain('cannot read');
    await writeFile(path.join(dir, 'junk.json'), 'not json');
    expect((await cli('validate', path.join(dir, 'junk.json'))).code).toBe(EXIT.refused);
  });

  it('runs as `npm run policy` with real exit codes', async () => {
    const { signed, pub } = await keygenAndSign({ ...validPolicy(), issuedAt: '2026-01-01T00:00:00Z', expiresAt: '2099-01-01T00:00:00Z' });
    const run = promisify(execFile);
    const ok = await run('npm', ['run', '-s', 'policy', '--', 'verify', signed, '--trust', pub], { cwd: REPO_ROOT });
    expect(ok.stdout).toContain('OK');
    const document = JSON.parse(await readFile(signed, 'utf8'));
    document.policy.practice.name = 'Someone Else';
    await writeFile(signed, JSON.stringify(document));
    const refused = await run('npm', ['run', '-s', 'policy', '--', 'verify', signed, '--trust', pub], { cwd: REPO_ROOT }).catch((error: unknown) => error as { code: number; stderr: string });
    expect('code' in refused && refused.code).toBe(1);
    expect('stderr' in refused && refused.stderr).toContain('bad-signature');
  });
});
