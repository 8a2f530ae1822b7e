// The packaging: electron-builder.yml checked against electron-builder's own schema and
// Cordon's decisions, then the app really packed (`electron-builder --dir`, a production
// electron-vite build, a stand-in Electron binary) and app.asar and the fuse wire read back.
import { execFile } from 'node:child_process';
import { cp, mkdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { extractFile, listPackage } from '@electron/asar';
import { FuseV1Options } from '@electron/fuses';
import { Ajv } from 'ajv';
import type { AfterPackContext, Configuration } from 'electron-builder';
import plist from 'plist';
import { parse } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { CORDON_FUSES, afterPack, type FuseName } from '../../../build/electronFuses';
import { GUARD_PRELOADS } from '../../../build/guardBundle';
import { GRANTABLE_PERMISSIONS, type GrantablePermission } from '../../../common/policy/policySchema';
import { writeElectronStandIn, readFuseWire } from '../../support/electronStandIn';
import { demoKeys, REPO_ROOT } from '../../support/policyFixtures';

const run = promisify(execFile);
const config = parse(await readFile(path.join(REPO_ROOT, 'electron-builder.yml'), 'utf8')) as Configuration;
const packageJson = JSON.parse(await readFile(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string>; devDependencies: Record<string, string> };
const electronVersion = packageJson.devDependencies.electron ?? 'unpinned';

describe('packaging configuration', () => {
  it('uses only options electron-builder 26 knows, with values its schema accepts', async () => {
    const schema = JSON.parse(await readFile(path.join(REPO_ROOT, 'node_modules/app-builder-lib/scheme.json'), 'utf8')) as object;
    const validate = new Ajv({ strict: false, allErrors: true }).compile(schema);
    expect(validate(config), JSON.stringify(validate.errors)).toBe(true);
    expect(validate({ ...config, win: { ...config.win, publisherName: 'misplaced' } })).toBe(false);
  });

  it('decides every fuse @electron/fuses knows, each in its secure position, in one place', () => {
    const known = Object.keys(FuseV1Options).filter((key) => Number.isNaN(Number(key)));
    const off = ['RunAsNode', 'EnableNodeOptionsEnvironmentVariable', 'EnableNodeCliInspectArguments', 'LoadBrowserProcessSpecificV8Snapshot', 'GrantFileProtocolExtraPrivileges'];
    const on = ['EnableCookieEncryption', 'EnableEmbeddedAsarIntegrityValidation', 'OnlyLoadAppFromAsar', 'WasmTrapHandlers'];
    expect([...off, ...on].sort()).toEqual(known.sort());
    expect(Object.entries(CORDON_FUSES).filter(([, value]) => !value).map(([name]) => name).sort()).toEqual(off.sort());
    expect(Object.entries(CORDON_FUSES).filter(([, value]) => value).map(([name]) => name).sort()).toEqual(on.sort());
    // electron-builder's own electronFuses would be a second, incomplete list.
    expect(config.electronFuses).toBeUndefined();
    expect(config.afterPack).toBe('./build/electronFuses.ts');
  });

  it('packages only the built app into an asar archive, never sources, demo keys or tests', () => {
    expect(config.asar).toBe(true);
    expect((config.files as string[]).filter((f) => !f.startsWith('!'))).toEqual(['out/main/**', 'out/preload/**', 'out/renderer/**', 'package.json']);
    expect(JSON.stringify(config)).not.toMatch(/demo\/|test\/|\.pem/);
  });

  it('ships the app a production dependency only when main loads it at run time', () => {
    // What the collector and the demo use must stay out of dependencies, or electron-builder packs it.
    expect(Object.keys(packageJson.dependencies).sort()).toEqual(['better-sqlite3-multiple-ciphers', 'electron-updater', 'openid-client', 'plist', 'zod']);
  });

  it('Windows: a per-machine MSI with a fixed UpgradeCode, a per-user NSIS, updates checked against the signer', () => {
    expect(config.win?.target).toEqual(['msi', 'nsis']);
    // Committed once; a new value would make Windows Installer treat the next release as another product.
    expect(config.msi).toMatchObject({ upgradeCode: '4EE4063B-59DD-4446-97A5-3476005AE8D8', perMachine: true, runAfterFinish: false });
    expect(config.nsis).toMatchObject({ perMachine: false, oneClick: true });
    expect(config.win).toMatchObject({ verifyUpdateCodeSignature: true, forceCodeSigning: true });
    expect(config.win?.signtoolOptions?.publisherName).toMatch(/\S/);
    // electron-updater reads publisherName from app-update.yml, which exists only with a publish provider.
    expect(config.publish).toMatchObject({ provider: 'generic' });
  });

  it('macOS: a signed, notarized pkg and dmg with the hardened runtime', () => {
    expect(config.mac?.target).toEqual(expect.arrayContaining(['pkg', 'dmg']));
    expect(config.mac).toMatchObject({ hardenedRuntime: true, notarize: true, forceCodeSigning: true });
    expect(config.pkg).toMatchObject({ installLocation: '/Applications', allowCurrentUserHome: false, isVersionChecked: true });
  });

  it('macOS entitlements: V8 JIT, and a device only where a policy may grant it to a hosted app', async () => {
    // The macOS resource each grantable permission needs under the hardened runtime (null: none).
    const macResource: Record<GrantablePermission, string | null> = {
      microphone: 'com.apple.security.device.audio-input',
      camera: 'com.apple.security.device.camera',
      geolocation: 'com.apple.security.personal-information.location',
      notifications: null,
      fullscreen: null,
      'clipboard-sanitized-write': null,
    };
    const usageKeys: Record<string, string[]> = {
      'com.apple.security.device.audio-input': ['NSMicrophoneUsageDescription'],
      'com.apple.security.device.camera': ['NSCameraUsageDescription'],
      'com.apple.security.personal-information.location': ['NSLocationUsageDescription', 'NSLocationWhenInUseUsageDescription'],
    };
    const devices = GRANTABLE_PERMISSIONS.flatMap((p) => macResource[p] ?? []);
    const main = plist.parse(await readFile(path.join(REPO_ROOT, config.mac?.entitlements ?? 'missing'), 'utf8')) as Record<string, unknown>;
    const inherit = plist.parse(await readFile(path.join(REPO_ROOT, config.mac?.entitlementsInherit ?? 'missing'), 'utf8')) as Record<string, unknown>;
    expect(Object.keys(main).sort()).toEqual(['com.apple.security.cs.allow-jit', ...devices].sort());
    expect(Object.values(main).every((v) => v === true)).toBe(true);
    expect(inherit).toEqual({ 'com.apple.security.cs.allow-jit': true });
    for (const device of devices) {
      for (const key of usageKeys[device] ?? ['(no usage key known)']) expect((config.mac?.extendInfo as Record<string, unknown> | undefined)?.[key], key).toMatch(/\S/);
    }
  });

  it('Linux: deb and rpm, which keep the sandbox; no AppImage, whose launcher adds --no-sandbox', () => {
    expect(config.linux?.target).toEqual(['deb', 'rpm']);
    expect(JSON.stringify(config)).not.toMatch(/appimage|snap/i);
  });
});

describe('the afterPack fuse hook', () => {
  const scratch = path.join(REPO_ROOT, '.cache', 'packaging-fuses');
  const contextFor = (appOutDir: string) =>
    // A stand-in for electron-builder's AfterPackContext: only the fields the hook reads.
    ({ appOutDir, electronPlatformName: 'linux', arch: 1, packager: { executableName: 'electron', appInfo: { productFilename: 'Cordon' } } }) as unknown as AfterPackContext;

  it('fails the build when the Electron binary has a fuse Cordon has not decided', async () => {
    const dir = path.join(scratch, 'ten-fuses');
    await rm(dir, { recursive: true, force: true });
    await writeElectronStandIn(dir, electronVersion, '1011000111');
    await expect(afterPack(contextFor(dir))).rejects.toThrow(/strictlyRequireAllFuses/);
  });

  it('burns every decided fuse into the wire', async () => {
    const dir = path.join(scratch, 'nine-fuses');
    await rm(dir, { recursive: true, force: true });
    const binary = await writeElectronStandIn(dir, electronVersion);
    await afterPack(contextFor(dir));
    expect(await readFuseWire(binary)).toBe(expectedWire());
  });
});

/** CORDON_FUSES in wire order, as '0'/'1' bytes. */
function expectedWire(): string {
  return (Object.entries(CORDON_FUSES) as [FuseName, boolean][])
    .sort(([a], [b]) => FuseV1Options[a] - FuseV1Options[b])
    .map(([, on]) => (on ? '1' : '0'))
    .join('');
}

describe('the packed app (electron-builder --dir with a stand-in Electron binary)', () => {
  const scratch = path.join(REPO_ROOT, '.cache', 'packaging');
  const project = path.join(scratch, 'project');
  const appOutDir = path.join(scratch, 'dist', 'linux-unpacked');
  const archive = path.join(appOutDir, 'resources', 'app.asar');
  let files: string[] = [];

  beforeAll(async () => {
    await rm(scratch, { recursive: true, force: true });
    // A copy of the project's packaging inputs, so the pack never races `npm start`'s out/.
    await mkdir(project, { recursive: true });
    for (const file of ['package.json', 'electron-builder.yml']) await cp(path.join(REPO_ROOT, file), path.join(project, file));
    await cp(path.join(REPO_ROOT, 'build'), path.join(project, 'build'), { recursive: true });
    await writeFile(path.join(project, 'build', 'bundled-policy', 'policy.json'), '{"bundled":"test"}');
    await symlink(path.join(REPO_ROOT, 'node_modules'), path.join(project, 'node_modules'), 'dir');
    await run('npx', ['electron-vite', 'build', '--mode', 'production'], { cwd: REPO_ROOT, env: { ...process.env, CORDON_BUILD_OUT: path.join(project, 'out') } });
    const electronDist = path.join(scratch, 'electron-stand-in');
    await writeElectronStandIn(electronDist, electronVersion);
    await run(
      process.execPath,
      [path.join(REPO_ROOT, 'node_modules/electron-builder/cli.js'), '--linux', '--dir', '--publish', 'never', `-c.electronDist=${electronDist}`, `-c.directories.output=${path.join(scratch, 'dist')}`],
      { cwd: project, maxBuffer: 16 * 1024 * 1024 },
    );
    files = listPackage(archive, { isPack: false }).map((f) => f.split(path.sep).join('/').replace(/^\//, ''));
    console.info(`packaging: app.asar holds ${files.length} entries: ${summarize(files)}`);
  }, 240_000);

  it('holds the built app: main, every preload, the renderer, and package.json pointing at main', () => {
    const expected = ['out/main/index.js', 'out/preload/index.cjs', ...GUARD_PRELOADS.map((name) => `out/preload/${name}.cjs`), 'out/renderer/index.html', 'package.json'];
    for (const file of expected) expect(files, file).toContain(file);
    const packed = JSON.parse(extractFile(archive, 'package.json').toString()) as Record<string, unknown>;
    expect(packed.main).toBe('out/main/index.js');
    expect(packed.devDependencies).toBeUndefined();
    expect(packed.scripts).toBeUndefined();
  });

  it('holds every production dependency, and the SQLCipher binary for this platform only, outside the archive', async () => {
    for (const name of Object.keys(packageJson.dependencies)) expect(files, name).toContain(`node_modules/${name}/package.json`);
    const prebuilds = files.filter((f) => f.startsWith('node_modules/better-sqlite3-multiple-ciphers/prebuilds/'));
    expect(prebuilds).toEqual([`node_modules/better-sqlite3-multiple-ciphers/prebuilds/${process.platform}-${process.arch}.node`]);
    const unpacked = path.join(appOutDir, 'resources', 'app.asar.unpacked', 'node_modules/better-sqlite3-multiple-ciphers/prebuilds', `${process.platform}-${process.arch}.node`);
    expect((await readFile(unpacked)).length).toBeGreaterThan(0);
    expect(files.some((f) => /better-sqlite3-multiple-ciphers\/(deps|src)\//.test(f) || f.startsWith('node_modules/node-addon-api/'))).toBe(false);
  });

  it('holds every package the built main loads, each a production dependency', () => {
    const main = extractFile(archive, 'out/main/index.js').toString();
    const imported = new Set([...main.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*)["']([^"'./][^"']*)["']/g)].map((m) => m[1] ?? ''));
    const packages = [...imported].filter((source) => !source.startsWith('node:') && source !== 'electron').map((source) => source.split('/').slice(0, source.startsWith('@') ? 2 : 1).join('/'));
    expect(packages.length).toBeGreaterThan(0);
    for (const name of packages) {
      expect(Object.keys(packageJson.dependencies), name).toContain(name);
      expect(files, name).toContain(`node_modules/${name}/package.json`);
    }
  });

  it('holds no collector, console, demo, test or source code, and no key material', () => {
    const ourCode = files.filter((f) => !f.startsWith('node_modules/'));
    expect(ourCode.filter((f) => !/^(out(\/|$)|package\.json$|node_modules$)/.test(f))).toEqual([]);
    expect(files.filter((f) => /\.(tsx?|pem)$/.test(f))).toEqual([]);
    const main = extractFile(archive, 'out/main/index.js').toString();
    expect(main).not.toContain(demoKeys().publicKeyPem.split('\n')[1] ?? 'missing');
  });

  it('holds no development dependency (package-lock.json says which packages are dev-only)', async () => {
    const lock = JSON.parse(await readFile(path.join(REPO_ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, { version?: string; dev?: boolean }> };
    // electron-builder flattens nested node_modules, so compare by name and version.
    const production = new Set(
      Object.entries(lock.packages)
        .filter(([dir, entry]) => dir !== '' && entry.dev !== true)
        .map(([dir, entry]) => `${packageName(dir)}@${entry.version}`),
    );
    const packed = packedPackages(files).map((dir) => {
      const { version } = JSON.parse(extractFile(archive, `${dir}/package.json`).toString()) as { version: string };
      return `${packageName(dir)}@${version}`;
    });
    expect(packed.filter((id) => !production.has(id))).toEqual([]);
    const names = new Set(packedPackages(files).map(packageName));
    for (const name of ['fastify', '@fastify/static', 'kysely', 'pg', 'nodemailer', 'yaml', 'oidc-provider', 'otplib', 'esbuild', 'react', 'electron', 'electron-builder']) {
      expect(names.has(name), name).toBe(false);
    }
  });

  it('holds no source maps: no .map file, no sourceMappingURL in the built code', () => {
    expect(files.filter((f) => f.endsWith('.map'))).toEqual([]);
    for (const file of files.filter((f) => /^out\/.*\.(c?js|css|html)$/.test(f))) {
      expect(extractFile(archive, file).toString(), file).not.toMatch(/sourceMappingURL/);
    }
  });

  it('burns the decided fuses into the packed Electron, and bundles only the policy file', async () => {
    expect(await readFuseWire(path.join(appOutDir, 'cordon'))).toBe(expectedWire());
    expect(await readFile(path.join(appOutDir, 'resources', 'policy', 'policy.json'), 'utf8')).toBe('{"bundled":"test"}');
    await expect(readFile(path.join(appOutDir, 'resources', 'policy', 'README.md'))).rejects.toThrow(/ENOENT/);
    expect(parse(await readFile(path.join(appOutDir, 'resources', 'app-update.yml'), 'utf8'))).toMatchObject({ provider: 'generic' });
  });
});

/** The folders of the packages in app.asar (…node_modules/<name>), nested ones included. */
function packedPackages(files: readonly string[]): string[] {
  return files.filter((f) => /(^|\/)node_modules\/(@[^/]+\/)?[^/@]+\/package\.json$/.test(f)).map((f) => f.slice(0, -'/package.json'.length));
}

function packageName(dir: string): string {
  return dir.slice(dir.lastIndexOf('node_modules/') + 'node_modules/'.length);
}

/** One line for the test log: what app.asar holds. */
function summarize(files: readonly string[]): string {
  const ours = files.filter((f) => f.startsWith('out/') && path.extname(f) !== '').length;
  return `${ours} built files under out/, package.json, and these packages: ${packedPackages(files).map(packageName).sort().join(', ')}`;
}
