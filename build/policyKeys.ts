// Collects the policy-signing public keys a build trusts. Production builds trust only
// the practice's keys in build/policy-keys/; development builds also trust the demo key.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

export type BuildMode = 'production' | 'development';

function pemsIn(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => name.endsWith('.public.pem'))
    .sort()
    .map((name) => readFileSync(path.join(dir, name), 'utf8'));
}

export function trustedPolicyKeyPems(root: string, mode: BuildMode): string[] {
  const practiceKeys = pemsIn(path.join(root, 'build', 'policy-keys'));
  return mode === 'production' ? practiceKeys : [...practiceKeys, ...pemsIn(path.join(root, 'demo', 'policy'))];
}
