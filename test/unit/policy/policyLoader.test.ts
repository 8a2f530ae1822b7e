import { mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { createPolicyVerifier } from '../../../main/policy/policyKeys';
import { policyFile } from '../../../main/policy/managedPolicySources';
import { loadPolicy } from '../../../main/policy/policyLoader';
import { bundledPolicyPath, managedPolicyPath, osManagedPolicySource, policySources } from '../../../main/policy/policyLocations';
import { generatePolicyKeyPair, NOW, signedText, validPolicy } from '../../support/policyFixtures';

const keys = generatePolicyKeyPair();
const verifier = createPolicyVerifier([keys.publicKeyPem]);
let dir: string;
let managedPath: string;
let bundledPath: string;

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'cordon-policy-'));
  managedPath = path.join(dir, 'managed', 'policy.json');
  bundledPath = path.join(dir, 'bundled', 'policy.json');
  await mkdir(path.dirname(managedPath));
  await mkdir(path.dirname(bundledPath));
});

const managed = () => policyFile(managedPath, { rootControlled: false });
const load = () => loadPolicy({ sources: { managed: managed(), bundledPath }, verifier, build: 'production', now: NOW });

describe('policy load order', () => {
  it('prefers the OS-managed policy over the bundled one', async () => {
    await writeFile(managedPath, signedText(validPolicy({ policyId: 'managed', serial: 9 }), keys));
    await writeFile(bundledPath, signedText(validPolicy({ policyId: 'bundled' }), keys));
    const result = load();
    expect(result.ok && result.policy.policyId).toBe('managed');
    expect(result.ok && result.file).toBe(managedPath);
  });

  it('uses the bundled policy when no managed policy exists', async () => {
    await writeFile(bundledPath, signedText(validPolicy({ policyId: 'bundled' }), keys));
    const result = load();
    expect(result.ok && result.policy.policyId).toBe('bundled');
  });

  it('does not fall back to the bundled policy when the managed one is tampered', async () => {
    const tampered = JSON.parse(signedText(validPolicy({ policyId: 'managed' }), keys));
    tampered.policy.session.idleLockMinutes = 120;
    tampered.policy.session.logoffMinutes = 240;
    await writeFile(managedPath, JSON.stringify(tampered));
    await writeFile(bundledPath, signedText(validPolicy({ policyId: 'bundled' }), keys));
    const result = load();
    expect(result.ok).toBe(false);
    expect(!result.ok && result.problem).toMatchObject({ code: 'bad-signature', file: managedPath });
  });

  it('refuses, naming both places, when there is no policy at all', async () => {
    const result = load();
    expect(!result.ok && result.problem.code).toBe('missing');
    expect(!result.ok && result.problem.reason).toContain(bundledPath);
  });

  it('reports an unreadable managed policy instead of skipping it', async () => {
    await mkdir(managedPath); // a directory where the file should be: EISDIR
    await writeFile(bundledPath, signedText(validPolicy(), keys));
    const result = load();
    expect(!result.ok && result.problem).toMatchObject({ code: 'unreadable', file: managedPath });
  });

  it('reports an unreadable bundled policy', async () => {
    await writeFile(bundledPath, signedText(validPolicy(), keys));
    const result = loadPolicy({
      sources: { managed: managed(), bundledPath },
      verifier,
      build: 'production',
      now: NOW,
      readText: () => {
        throw Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' });
      },
    });
    expect(!result.ok && result.problem).toMatchObject({ code: 'unreadable' });
  });
});

describe('policy locations', () => {
  it('uses the OS-managed path of each platform', () => {
    expect(managedPolicyPath('win32', { ProgramData: 'D:\\ProgramData' })).toBe('D:\\ProgramData\\Cordon\\policy.json');
    expect(managedPolicyPath('win32', {})).toBe('C:\\ProgramData\\Cordon\\policy.json');
    expect(managedPolicyPath('darwin', {})).toBe('/Library/Application Support/Cordon/policy.json');
    expect(managedPolicyPath('linux', {})).toBe('/etc/cordon/policy.json');
  });

  it('finds the bundled policy in the installer resources when packaged', () => {
    expect(bundledPolicyPath({ isPackaged: true, resourcesPath: '/opt/Cordon/resources', appPath: '/x' })).toBe('/opt/Cordon/resources/policy/policy.json');
    expect(bundledPolicyPath({ isPackaged: false, resourcesPath: '/r', appPath: '/src/cordon' })).toBe('/src/cordon/out/policy/policy.json');
  });

  it('lets only development builds redirect the policy through environment variables', () => {
    const env = { CORDON_MANAGED_POLICY: '/tmp/evil.json', CORDON_BUNDLED_POLICY: '/tmp/evil2.json' };
    const bundled = { isPackaged: true, resourcesPath: '/opt/Cordon/resources', appPath: '/x' };
    const production = policySources('production', 'linux', env, bundled);
    expect({ managed: production.managed.where, bundledPath: production.bundledPath }).toEqual({ managed: '/etc/cordon/policy.json', bundledPath: '/opt/Cordon/resources/policy/policy.json' });
    const development = policySources('development', 'linux', env, bundled);
    expect({ managed: development.managed.where, bundledPath: development.bundledPath }).toEqual({ managed: '/tmp/evil.json', bundledPath: '/tmp/evil2.json' });
  });

  it('looks where each OS\'s management tools write: the registry or managed preferences first, then the file', () => {
    expect(osManagedPolicySource('win32', { SystemRoot: 'C:\\Windows', ProgramData: 'C:\\ProgramData' }).where).toBe('the registry value HKLM\\SOFTWARE\\Policies\\Cordon\\SignedPolicy, then C:\\ProgramData\\Cordon\\policy.json');
    expect(osManagedPolicySource('darwin', {}).where).toBe('the managed preferences for com.cordon.workspace (/Library/Managed Preferences/com.cordon.workspace.plist), then /Library/Application Support/Cordon/policy.json');
    expect(osManagedPolicySource('linux', {}).where).toBe('/etc/cordon/policy.json');
  });
});
