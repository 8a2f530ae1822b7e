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
