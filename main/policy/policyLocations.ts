// Where a managed policy is looked for. The OS-managed file (writable only by an
// administrator or MDM) takes precedence over the policy bundled in the build.
import path from 'node:path';

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
): { managedPath: string; bundledPath: string } {
  const dev = build === 'development';
  return {
    managedPath: (dev ? env.CORDON_MANAGED_POLICY : undefined) ?? managedPolicyPath(platform, env),
    bundledPath: (dev ? env.CORDON_BUNDLED_POLICY : undefined) ?? bundledPolicyPath(bundled),
  };
}
