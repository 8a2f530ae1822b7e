// Loads the policy that governs this device: the OS-managed one (registry, managed
// preferences or /etc/cordon, see managedPolicySources) when one exists, otherwise the
// one bundled in the build. A managed policy that exists but is bad is refused outright;
// falling back to the bundled policy would let anyone who can break the managed one
// choose the weaker policy. Synchronous: main reads it before Electron's 'ready', because
// settings such as the resolver allowlist only count if applied then.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { evaluatePolicyFile, type BuildKind, type PolicyResult, type PolicyVerifier } from '../../common/policy/signedPolicy';
import type { IgnoredPolicy, ManagedPolicySource } from './managedPolicySources';

export interface PolicySources {
  managed: ManagedPolicySource;
  bundledPath: string;
}

export interface LoadPolicyOptions {
  sources: PolicySources;
  verifier: PolicyVerifier;
  build: BuildKind;
  now?: Date;
  readText?: (file: string) => string;
}

/** The result, plus what the audit trail records at every start. */
export type LoadedPolicy = PolicyResult & {
  /** SHA-256 (hex) of the accepted policy document as read; null when refused. */
  sha256: string | null;
  /** Policies found where only an administrator's count (a user-scope value): not used. */
  ignored: IgnoredPolicy[];
};

const readUtf8 = (file: string): string => readFileSync(file, 'utf8');

function isMissing(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && (error.code === 'ENOENT' || error.code === 'ENOTDIR');
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function loadPolicy({ sources, verifier, build, now = new Date(), readText = readUtf8 }: LoadPolicyOptions): LoadedPolicy {
  const managed = sources.managed.read();
  const { ignored } = managed;
  const evaluate = (text: string, file: string): LoadedPolicy => {
    const result = evaluatePolicyFile(text, { file, verifier, now, build });
    return { ...result, sha256: result.ok ? createHash('sha256').update(text, 'utf8').digest('hex') : null, ignored };
  };
  const refused = (problem: Extract<PolicyResult, { ok: false }>['problem']): LoadedPolicy => ({ ok: false, problem, sha256: null, ignored });

  if (managed.kind === 'found') return evaluate(managed.text, managed.where);
  if (managed.kind === 'refused') return refused({ code: 'unreadable', file: managed.where, reason: managed.reason });
  try {
    return evaluate(readText(sources.bundledPath), sources.bundledPath);
  } catch (error) {
    return refused(
      isMissing(error)
        ? { code: 'missing', file: sources.managed.where, reason: `no managed policy here and no policy bundled in this build (looked for ${sources.bundledPath})` }
        : { code: 'unreadable', file: sources.bundledPath, reason: `cannot read the bundled policy: ${describe(error)}` },
    );
  }
}
