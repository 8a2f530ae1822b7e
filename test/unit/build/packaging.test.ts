import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../support/policyFixtures';

const config = parse(readFileSync(path.join(REPO_ROOT, 'electron-builder.yml'), 'utf8')) as Record<string, unknown>;

describe('packaging configuration', () => {
  it('decides every Electron fuse, each in its secure position', () => {
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      loadBrowserProcessSpecificV8Snapshot: false,
      grantFileProtocolExtraPrivileges: false,
    });
  });

  it('packages only the built app into an asar archive, never sources, demo keys or tests', () => {
    expect(config.asar).toBe(true);
    const files = config.files as string[];
    expect(files.filter((f) => !f.startsWith('!'))).toEqual(['out/main/**', 'out/preload/**', 'out/renderer/**', 'package.json']);
    expect(JSON.stringify(config)).not.toMatch(/demo\/|test\/|\.pem/);
  });

  it('installs per machine on Windows (policy lives in an admin-only location) and uses the hardened runtime on macOS', () => {
    expect(config.nsis).toMatchObject({ perMachine: true });
    expect(config.mac).toMatchObject({ hardenedRuntime: true });
  });
});
