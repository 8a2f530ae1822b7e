// Loads the policy that governs this device: the OS-managed file when one exists,
// otherwise the one bundled in the build. A managed file that exists but is bad is
// refused outright; falling back to the bundled policy would let anyone who can break
// the managed file choose the weaker policy. Synchronous: main reads it before Electron's
// 'ready', because settings such as the resolver allowlist only count if applied then.
import { readFileSync } from 'node:fs';
import { evaluatePolicyFile, type BuildKind, type PolicyResult, type PolicyVerifier } from '../../common/policy/signedPolicy';

export interface PolicySources {
  managedPath: string;
  bundledPath: string;
}

export interface LoadPolicyOptions {
  sources: PolicySources;
  verifier: PolicyVerifier;
  build: BuildKind;
  now?: Date;
  readText?: (file: string) => string;
}

const readUtf8 = (file: string): string => readFileSync(file, 'utf8');

function isMissing(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && (error.code === 'ENOENT' || error.code === 'ENOTDIR');
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function loadPolicy({ sources, verifier, build, now = new Date(), readText = readUtf8 }: LoadPolicyOptions): PolicyResult {
  const evaluate = (text: string, file: string): PolicyResult => evaluatePolicyFile(text, { file, verifier, now, build });

  try {
    return evaluate(readText(sources.managedPath), sources.managedPath);
  } catch (error) {
    if (!isMissing(error)) {
      return { ok: false, problem: { code: 'unreadable', file: sources.managedPath, reason: `cannot read the managed policy: ${describe(error)}` } };
    }
  }
  try {
    return evaluate(readText(sources.bundledPath), sources.bundledPath);
  } catch (error) {
    return {
      ok: false,
      problem: isMissing(error)
        ? { code: 'missing', file: sources.managedPath, reason: `no managed policy here and no policy bundled in this build (looked for ${sources.bundledPath})` }
        : { code: 'unreadable', file: sources.bundledPath, reason: `cannot read the bundled policy: ${describe(error)}` },
    };
  }
}
