// `npm run dist` refuses to start a build that would fail halfway or come out unsigned,
// and names what is missing: the checks one by one, then the real command on this machine.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { distProblems, placeholdersFor, signingArguments, type DistFacts } from '../../../build/distRequirements';
import { REPO_ROOT } from '../../support/policyFixtures';

const run = promisify(execFile);
const config = parse(readFileSync(path.join(REPO_ROOT, 'electron-builder.yml'), 'utf8')) as Record<string, unknown>;
const ready: Omit<DistFacts, 'platform' | 'env'> = {
  electron: { path: '/opt/electron/electron' },
  electronDistVersion: '45.5.0',
  pinnedElectronVersion: '45.5.0',
  policyKeyCount: 1,
  config: {},
  onPath: () => true,
};
const macSigned = { CSC_NAME: 'Developer ID Application: Practice (TEAM123456)', APPLE_API_KEY: '/keys/AuthKey.p8', APPLE_API_KEY_ID: 'KEY123', APPLE_API_ISSUER: 'issuer-uuid' };

describe('what npm run dist needs', () => {
  it('goes ahead when everything is there', () => {
    expect(distProblems({ ...ready, platform: 'linux', env: {} })).toEqual([]);
    expect(distProblems({ ...ready, platform: 'darwin', env: macSigned })).toEqual([]);
    expect(distProblems({ ...ready, platform: 'win32', env: { WIN_CSC_LINK: 'C:\\certs\\cordon.pfx', WIN_CSC_KEY_PASSWORD: 'pw' } })).toEqual([]);
  });

  it('names a missing Electron binary with how to get one, and a binary of another version', () => {
    const missing = distProblems({ ...ready, platform: 'linux', env: {}, electron: { missing: 'the Electron binary has not been downloaded' } });
    expect(missing).toEqual([expect.stringMatching(/^the Electron binary: the Electron binary has not been downloaded\..*install\.js.*CORDON_ELECTRON_BINARY/)]);
    const other = distProblems({ ...ready, platform: 'linux', env: {}, electronDistVersion: '44.0.0' });
    expect(other).toEqual([expect.stringMatching(/is 44\.0\.0, but package\.json pins electron 45\.5\.0/)]);
  });

  it('refuses a production build that would trust no policy key', () => {
    expect(distProblems({ ...ready, platform: 'linux', env: {}, policyKeyCount: 0 })).toEqual([expect.stringMatching(/build\/policy-keys\/<name>\.public\.pem/)]);
  });

  it('macOS: names the signing identity and the notarization credentials, each complete or not at all', () => {
    const nothing = distProblems({ ...ready, platform: 'darwin', env: {} });
    expect(nothing).toEqual([expect.stringMatching(/^the macOS signing identity: set CSC_LINK .* CSC_KEY_PASSWORD, or CSC_NAME/), expect.stringMatching(/^notarization credentials: set APPLE_API_KEY \+ APPLE_API_KEY_ID \+ APPLE_API_ISSUER, or APPLE_ID/)]);
    // A certificate without its password, or half a notarization set, is still missing.
    const partial = distProblems({ ...ready, platform: 'darwin', env: { CSC_LINK: '/certs/cordon.p12', APPLE_ID: 'it@practice.example', APPLE_TEAM_ID: 'TEAM123456' } });
    expect(partial).toHaveLength(2);
    expect(distProblems({ ...ready, platform: 'darwin', env: { ...macSigned, APPLE_API_ISSUER: '' } })).toEqual([expect.stringMatching(/^notarization credentials/)]);
  });

  it('Windows: a .pfx with its password, or a store certificate by thumbprint, which it passes on to electron-builder', () => {
    const nothing = distProblems({ ...ready, platform: 'win32', env: {} });
    expect(nothing).toEqual([expect.stringMatching(/^the Windows signing certificate: set WIN_CSC_LINK .* CORDON_WIN_CERT_SHA1/)]);
    expect(distProblems({ ...ready, platform: 'win32', env: { CORDON_WIN_CERT_SHA1: 'not-a-thumbprint' } })).toEqual([expect.stringMatching(/CORDON_WIN_CERT_SHA1 is set but is not a 40-hex-digit thumbprint/)]);
    const thumbprint = 'a'.repeat(40);
    expect(distProblems({ ...ready, platform: 'win32', env: { CORDON_WIN_CERT_SHA1: thumbprint } })).toEqual([]);
    expect(signingArguments('win32', { CORDON_WIN_CERT_SHA1: thumbprint })).toEqual([`-c.win.signtoolOptions.certificateSha1=${thumbprint}`]);
    expect(signingArguments('linux', { CORDON_WIN_CERT_SHA1: thumbprint })).toEqual([]);
  });

  it("names electron-builder.yml's placeholders that this platform's build would use, and only those", () => {
    expect(placeholdersFor(config, 'win32')).toEqual(['win.signtoolOptions.publisherName']);
    expect(placeholdersFor(config, 'linux')).toEqual(['linux.maintainer']);
    expect(placeholdersFor(config, 'darwin')).toEqual([]);
    expect(placeholdersFor({ productName: 'REPLACE: name', mac: { extendInfo: { list: ['REPLACE: x'] } } }, 'darwin')).toEqual(['productName', 'mac.extendInfo.list[0]']);
    expect(distProblems({ ...ready, platform: 'win32', env: { CORDON_WIN_CERT_SHA1: 'b'.repeat(40) }, config })).toEqual([
      'a real value for win.signtoolOptions.publisherName in electron-builder.yml (it still says "REPLACE: …")',
    ]);
  });

  it('Linux: names rpmbuild when it is not installed; other systems are refused outright', () => {
    expect(distProblems({ ...ready, platform: 'linux', env: {}, onPath: (p) => p !== 'rpmbuild' })).toEqual([expect.stringMatching(/^rpmbuild, which the rpm target needs/)]);
    expect(distProblems({ ...ready, platform: 'freebsd', env: {} })).toEqual([expect.stringMatching(/builds on macOS, Windows or Linux.*this is freebsd/)]);
  });

  it('the real command stops before building and lists everything missing here', async () => {
    const failure = await run('npx', ['tsx', 'build/dist.ts'], { cwd: REPO_ROOT, env: { ...process.env, CORDON_ELECTRON_BINARY: '/nonexistent/electron' } }).then(
      () => null,
      (error: { code?: number; stdout: string; stderr: string }) => error,
    );
    expect(failure?.code).toBe(1);
    expect(failure?.stderr).toContain(`npm run dist cannot build signed Cordon installers on this ${process.platform} machine. Missing:`);
    expect(failure?.stderr).toContain('  - the Electron binary: CORDON_ELECTRON_BINARY=/nonexistent/electron does not exist.');
    expect(failure?.stderr).toContain('Nothing was built.');
    // It stopped before electron-vite or electron-builder ran.
    expect(failure?.stdout).not.toMatch(/vite|electron-builder/);
  });
});
