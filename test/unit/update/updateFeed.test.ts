// Cordon's own update check against a real HTTP feed on 127.0.0.1: a manifest signed with
// a real Ed25519 key is accepted; unsigned, tampered, wrong-key, downgraded and
// other-channel ones are refused with their reason; staged rollouts hold back devices past
// the percentage; a downloaded file installs only if its SHA-512 and size are the signed
// ones; a policy's minimum version locks an older build.
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { belowMinimumVersion, downloadMatches, type UpdateManifest } from '../../../common/update/updateDecision';
import { compareVersions, parseVersion } from '../../../common/update/version';
import { createPolicyVerifier, generatePolicyKeyPair } from '../../../main/policy/policyKeys';
import { EXIT, runPolicyCli } from '../../../main/policy/policyCli';
import { checkUpdateFeed, fileDigest, rolloutBucket, signUpdateManifest, type FetchText } from '../../../main/update/updateFeed';

const releaseKey = generatePolicyKeyPair();
const otherKey = generatePolicyKeyPair();
const verifier = createPolicyVerifier([releaseKey.publicKeyPem]);
const installer = Buffer.from('Cordon Setup 1.5.0 (a stand-in for the installer bytes)');
const installerDigest = { sha512: createHash('sha512').update(installer).digest('base64'), size: installer.length };

const manifest = (overrides: Partial<UpdateManifest> = {}): UpdateManifest => ({
  product: 'cordon',
  version: '1.5.0',
  channel: 'stable',
  releaseDate: '2026-12-01T09:00:00Z',
  stagingPercentage: 100,
  files: [{ url: 'Cordon Setup 1.5.0.exe', ...installerDigest }],
  ...overrides,
});

/** The practice's feed: serves whatever the test puts at each path. */
const feedFiles = new Map<string, string>();
let server: Server;
let feedUrl = '';
beforeAll(async () => {
  server = createServer((request, response) => {
    const body = feedFiles.get(new URL(request.url ?? '/', 'http://x').pathname);
    response.writeHead(body === undefined ? 404 : 200, { 'content-type': 'application/json' }).end(body ?? 'not found');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  feedUrl = `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}/cordon/stable`;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

const fetchText: FetchText = async (url) => {
  const response = await fetch(url);
  return { status: response.status, text: await response.text() };
};
const publish = (text: string) => feedFiles.set('/cordon/stable/cordon-update.json', text);
const check = (overrides: { currentVersion?: string; channel?: 'stable' | 'beta'; rolloutBucket?: number } = {}) =>
  checkUpdateFeed(feedUrl, fetchText, { verifier, currentVersion: '1.4.2', channel: 'stable', rolloutBucket: 0, ...overrides });

describe('the update feed', () => {
  it('accepts a newer release signed by the trusted key', async () => {
    publish(signUpdateManifest(manifest(), releaseKey.privateKeyPem));
    expect(await check()).toMatchObject({ kind: 'install', keyId: releaseKey.keyId, manifest: { version: '1.5.0' } });
    expect(await check({ currentVersion: '1.5.0' })).toEqual({ kind: 'up-to-date', version: '1.5.0' });
  });

  it('refuses unsigned, tampered, wrong-key, downgraded and other-channel releases, each with its reason', async () => {
    const cases: [string, string, Parameters<typeof check>[0]][] = [
      [JSON.stringify(manifest()), 'malformed', {}],
      [signUpdateManifest(manifest(), releaseKey.privateKeyPem).replace(`"size": ${installer.length}`, `"size": ${installer.length + 1}`), 'bad-signature', {}],
      [signUpdateManifest(manifest(), otherKey.privateKeyPem), 'untrusted-key', {}],
      [signUpdateManifest(manifest({ version: '1.3.9' }), releaseKey.privateKeyPem), 'downgrade', {}],
      [signUpdateManifest(manifest({ channel: 'beta', version: '1.6.0-beta.1' }), releaseKey.privateKeyPem), 'channel-mismatch', {}],
      ['{"format": "cordon-update/1", ', 'malformed', {}],
    ];
    for (const [text, reason, context] of cases) {
      publish(text);
      expect(await check(context), reason).toMatchObject({ kind: 'refused', reason, detail: expect.any(String) });
    }
    // A beta device takes the beta release it is offered.
    publish(signUpdateManifest(manifest({ channel: 'beta', version: '1.6.0-beta.1' }), releaseKey.privateKeyPem));
    expect(await check({ channel: 'beta' })).toMatchObject({ kind: 'install' });
  });

  it('says plainly when the feed has no signed manifest or cannot be reached', async () => {
    feedFiles.clear();
    expect(await check()).toMatchObject({ kind: 'refused', reason: 'malformed', detail: expect.stringContaining('unsigned') });
    const down = await checkUpdateFeed('http://127.0.0.1:9/feed', fetchText, { verifier, currentVersion: '1.4.2', channel: 'stable', rolloutBucket: 0 });
    expect(down.kind).toBe('unreachable');
  });

  it('honours a staged rollout: a fixed bucket per installation, devices below the percentage go first', async () => {
    publish(signUpdateManifest(manifest({ stagingPercentage: 30 }), releaseKey.privateKeyPem));
    expect(await check({ rolloutBucket: 29 })).toMatchObject({ kind: 'install' });
    expect(await check({ rolloutBucket: 30 })).toEqual({ kind: 'not-yet', version: '1.5.0', stagingPercentage: 30 });
    // Buckets are stable per installation and spread over 0–99.
    expect(rolloutBucket('install-a')).toBe(rolloutBucket('install-a'));
    const buckets = Array.from({ length: 2000 }, (_, i) => rolloutBucket(`install-${i}`));
    const under30 = buckets.filter((b) => b < 30).length / buckets.length;
    expect(Math.min(...buckets)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...buckets)).toBeLessThan(100);
    expect(under30).toBeGreaterThan(0.25);
    expect(under30).toBeLessThan(0.35);
  });

  it('installs a downloaded file only if it is byte for byte the signed one', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'cordon-update-'));
    writeFileSync(path.join(dir, 'good.exe'), installer);
    writeFileSync(path.join(dir, 'swapped.exe'), Buffer.concat([installer, Buffer.from('!')]));
    expect(downloadMatches(manifest(), await fileDigest(path.join(dir, 'good.exe')))).toBe(true);
    expect(downloadMatches(manifest(), await fileDigest(path.join(dir, 'swapped.exe')))).toBe(false);
  });
});

describe('signing a release for the feed (cordon-policy sign-update)', () => {
  const cli = async (cwd: string, ...argv: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runPolicyCli(argv, { out: (l) => out.push(l), err: (l) => err.push(l), now: () => new Date('2026-12-01T10:00:00Z'), cwd });
    return { code, out: out.join('\n'), err: err.join('\n') };
  };

  it("turns electron-builder's latest.yml into a signed manifest the device accepts, with the channel and rollout share", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'cordon-release-'));
    writeFileSync(path.join(dir, 'release.private.pem'), releaseKey.privateKeyPem);
    // As electron-builder writes it for the NSIS target.
    writeFileSync(path.join(dir, 'latest.yml'), `version: 1.5.0\nfiles:\n  - url: Cordon Setup 1.5.0.exe\n    sha512: ${installerDigest.sha512}\n    size: ${installerDigest.size}\npath: Cordon Setup 1.5.0.exe\nsha512: ${installerDigest.sha512}\nreleaseDate: '2026-12-01T09:00:00.000Z'\n`);
    const signed = await cli(dir, 'sign-update', 'latest.yml', '--key', 'release.private.pem', '--out', 'cordon-update.json', '--staging', '25');
    expect(signed.code, signed.err).toBe(EXIT.ok);
    expect(signed.out).toContain('signed Cordon 1.5.0 (stable, 25% of devices, 1 file)');
    publish(readFileSync(path.join(dir, 'cordon-update.json'), 'utf8'));
    expect(await check({ rolloutBucket: 24 })).toMatchObject({ kind: 'install', manifest: { version: '1.5.0', stagingPercentage: 25, files: [{ url: 'Cordon Setup 1.5.0.exe', ...installerDigest }] } });
    expect((await check({ rolloutBucket: 25 })).kind).toBe('not-yet');

    writeFileSync(path.join(dir, 'broken.yml'), 'version: 1.5.0\nfiles:\n  - url: Cordon Setup 1.5.0.exe\n    size: 10\n');
    const broken = await cli(dir, 'sign-update', 'broken.yml', '--key', 'release.private.pem', '--out', 'x.json');
    expect(broken.code).toBe(EXIT.refused);
    expect(broken.err).toMatch(/broken\.yml: not a release electron-builder described: .*files\.0\.sha512/);
    expect((await cli(dir, 'sign-update', 'latest.yml', '--key', 'release.private.pem', '--out', 'x.json', '--staging', '150')).code).toBe(EXIT.usage);
    expect((await cli(dir, 'sign-update', 'latest.yml', '--key', 'release.private.pem', '--out', 'x.json', '--channel', 'nightly')).code).toBe(EXIT.usage);
  });
});

describe('versions and the policy minimum', () => {
  it('orders versions as SemVer 2.0.0 does', () => {
    const ordered = ['1.0.0-alpha', '1.0.0-alpha.1', '1.0.0-alpha.beta', '1.0.0-beta', '1.0.0-beta.2', '1.0.0-beta.11', '1.0.0-rc.1', '1.0.0', '1.0.1', '1.2.0', '2.0.0'];
    for (let i = 1; i < ordered.length; i += 1) {
      const [a, b] = [parseVersion(ordered[i - 1] as string), parseVersion(ordered[i] as string)];
      if (a === null || b === null) throw new Error(`unparsed ${ordered[i]}`);
      expect(compareVersions(a, b), `${ordered[i - 1]} < ${ordered[i]}`).toBeLessThan(0);
      expect(compareVersions(b, a)).toBeGreaterThan(0);
    }
    for (const bad of ['1.0', '01.0.0', '1.0.0+build', 'v1.0.0', '1.0.0-']) expect(parseVersion(bad), bad).toBeNull();
  });

  it('locks a build older than the policy minimum, with a sentence saying what to do', () => {
    expect(belowMinimumVersion('1.4.2', '1.5.0')).toMatch(/version 1\.4\.2; the practice requires 1\.5\.0 or later/);
    expect(belowMinimumVersion('1.5.0', '1.5.0')).toBeNull();
    expect(belowMinimumVersion('1.5.0-beta.1', '1.5.0')).not.toBeNull();
    expect(belowMinimumVersion('1.4.2', undefined)).toBeNull();
    // Fail closed on a version that cannot be read.
    expect(belowMinimumVersion('dev', '1.0.0')).not.toBeNull();
  });
});
