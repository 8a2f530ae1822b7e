// Where a managed policy is looked for. The OS-managed source (written only by an
// administrator or MDM) takes precedence over the policy bundled in the build.
import { spawnSync } from 'node:child_process';
import { homedir, userInfo } from 'node:os';
import path from 'node:path';
import { firstManaged, macManagedPreferences, policyFile, windowsRegistryPolicy, type ManagedPolicySource, type RunCommand } from './managedPolicySources';

/** Cordon's bundle id (electron-builder's appId): the preference domain on macOS. */
export const MAC_PREFERENCE_DOMAIN = 'com.cordon.workspace';

const runSync: RunCommand = (file, args) => {
  const result = spawnSync(file, [...args], { encoding: 'utf8', windowsHide: true, timeout: 10_000 });
  if (result.error !== undefined) throw result.error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
};

/**
 * Where MDM tools put the policy on each OS, in order: the registry or managed
 * preferences first, then the file an installer or a script placed.
 */
export function osManagedPolicySource(platform: NodeJS.Platform, env: Record<string, string | undefined>, run: RunCommand = runSync): ManagedPolicySource {
  const file = managedPolicyPath(platform, env);
  switch (platform) {
    case 'win32':
      // Node reports no owner on Windows: the folder's ACL (set by the installer) protects the file.
      return firstManaged([windowsRegistryPolicy(run, path.win32.join(env.SystemRoot ?? 'C:\\Windows', 'System32', 'reg.exe')), policyFile(file, { rootControlled: false })]);
    case 'darwin':
      return firstManaged([macManagedPreferences(MAC_PREFERENCE_DOMAIN, { user: userInfo().username, home: homedir() }), policyFile(file, { rootControlled: true })]);
    default:
      return policyFile(file, { rootControlled: true });
  }
}

export function managedPolicyPath(platform: NodeJS.Platform, env: Record<string, string | undefined>): string {
  switch (platform) {
    case 'win32':
      return path.win32.join(env.ProgramData ?? 'C:\\ProgramData', 'Cordon', 'policy.json');
    case 'darwin':
      return '/Library/Application Support/Cordon/policy.json';
    default:
      return '/etc/cordon/policy.json';
  }
}

export interface BundledPolicyContext {
  isPackaged: boolean;
  resourcesPath: string;
  appPath: string;
}

/** The policy shipped with the build: in the installer's resources, or next to the built app in a checkout. */
export function bundledPolicyPath({ isPackaged, resourcesPath, appPath }: BundledPolicyContext): string {
  return isPackaged ? path.join(resourcesPath, 'policy', 'policy.json') : path.join(appPath, 'out', 'policy', 'policy.json');
}

/**
 * Development builds let a developer or test point at other policy files; production
 * builds ignore these variables, so the VA cannot redirect Cordon to another policy.
 */
export function policySources(
  build: 'production' | 'development',
  platform: NodeJS.Platform,
  env: Record<string, string | undefined>,
  bundled: BundledPolicyContext,
): { managed: ManagedPolicySource; bundledPath: string } {
  const dev = build === 'development';
  const override = dev ? env.CORDON_MANAGED_POLICY : undefined;
  return {
    managed: override === undefined ? osManagedPolicySource(platform, env) : policyFile(override, { rootControlled: false }),
    bundledPath: (dev ? env.CORDON_BUNDLED_POLICY : undefined) ?? bundledPolicyPath(bundled),
  };
}
