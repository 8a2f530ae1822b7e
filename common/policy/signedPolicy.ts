// The signed policy file and the decision whether to trust it. Pure: the caller supplies
// the file text, the clock and an Ed25519 verifier holding the build's trusted keys.
import { z } from 'zod';
import { canonicalJson } from './canonicalJson';
import { parseJsonText } from './jsonText';
import type { PolicyProblem } from './policyProblem';
import { POLICY_SCHEMA_VERSIONS, type Policy } from './policySchema';
import { fieldName, validatePolicy } from './validatePolicy';

/** Envelope format version, independent of the policy's own schemaVersion. */
export const POLICY_FILE_FORMAT = 'cordon-policy/1';

export const policySignatureSchema = z
  .object({
    alg: z.literal('Ed25519'),
    keyId: z.string().regex(/^[0-9a-f]{16}$/),
    value: z.string().regex(/^[A-Za-z0-9+/]{86}==$/, 'must be a base64 Ed25519 signature (64 bytes)'),
  })
  .strict();
export type PolicySignature = z.infer<typeof policySignatureSchema>;

export interface SignedPolicyFile {
  format: typeof POLICY_FILE_FORMAT;
  policy: unknown;
  signature: PolicySignature;
}

export type BuildKind = 'production' | 'development';

/** Verifies Ed25519 signatures with the public keys this build trusts. */
export interface PolicyVerifier {
  /** The ids of the trusted keys; named when a policy is signed by another. */
  readonly keyIds: readonly string[];
  /** True when `signatureBase64` is keyId's signature over the UTF-8 bytes of `message`. */
  verify(keyId: string, message: string, signatureBase64: string): boolean;
}

export type PolicyResult = { ok: true; policy: Policy; file: string; keyId: string } | { ok: false; problem: PolicyProblem };

/** Tolerated clock skew between the signer's and the device's clocks. */
const CLOCK_SKEW_MS = 5 * 60 * 1000;

/** The exact bytes a policy signature covers. */
export function signedPayload(policy: unknown): string {
  return canonicalJson(policy);
}

export interface EvaluateOptions {
  file: string;
  verifier: PolicyVerifier;
  now: Date;
  build: BuildKind;
}

/**
 * Decides whether the policy file text may govern this device. Authenticity is checked
 * before content: nothing inside an unsigned or untrusted file is interpreted.
 */
export function evaluatePolicyFile(text: string, { file, verifier, now, build }: EvaluateOptions): PolicyResult {
  const refuse = (problem: Omit<PolicyProblem, 'file'>): PolicyResult => ({ ok: false, problem: { file, ...problem } });

  const json = parseJsonText(text);
  if (!json.ok) return refuse({ code: 'not-json', reason: `not valid JSON (${json.reason})` });
  const parsed = json.value;
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return refuse({ code: 'not-json', reason: 'the file must hold a JSON object' });
  }
  const envelope = parsed as Record<string, unknown>;
  if (envelope.signature === undefined) {
    return refuse({ code: 'unsigned', field: 'signature', reason: 'the policy is not signed; sign it with `cordon-policy sign`' });
  }
  if (envelope.format !== POLICY_FILE_FORMAT) {
    return refuse({ code: 'unknown-format', field: 'format', reason: `expected "${POLICY_FILE_FORMAT}", found ${JSON.stringify(envelope.format)}` });
  }
  const signature = policySignatureSchema.safeParse(envelope.signature);
  if (!signature.success) {
    const issue = signature.error.issues[0];
    return refuse({ code: 'unsigned', field: fieldName('signature', issue?.path ?? []), reason: `malformed signature: ${issue?.message ?? 'invalid'}` });
  }
  const { keyId, value } = signature.data;
  if (!verifier.keyIds.includes(keyId)) {
    const trusted = verifier.keyIds.length === 0 ? 'no key at all' : `only ${verifier.keyIds.join(', ')}`;
    return refuse({ code: 'untrusted-key', field: 'signature.keyId', reason: `signed with key ${keyId}, which this ${build} build does not trust (it trusts ${trusted})` });
  }
  if (!verifier.verify(keyId, signedPayload(envelope.policy), value)) {
    return refuse({ code: 'bad-signature', field: 'signature.value', reason: `the signature does not match the policy content (the file was altered after signing, key ${keyId})` });
  }

  const policyObject = envelope.policy as Record<string, unknown> | null;
  const version = typeof policyObject === 'object' && policyObject !== null ? policyObject.schemaVersion : undefined;
  if (!(POLICY_SCHEMA_VERSIONS as readonly unknown[]).includes(version)) {
    return refuse({
      code: 'unknown-version',
      field: 'policy.schemaVersion',
      reason: `schema version ${JSON.stringify(version)} is not supported by this build (supported: ${POLICY_SCHEMA_VERSIONS.join(', ')}); update Cordon or reissue the policy`,
    });
  }
  const validated = validatePolicy(envelope.policy);
  if (!validated.ok) {
    const [first, ...rest] = validated.problems;
    return refuse({ code: 'invalid', field: first?.field ?? 'policy', reason: first?.reason ?? 'invalid', ...(rest.length > 0 ? { more: rest } : {}) });
  }
  const { policy } = validated;
  const [unusable] = unusableHere(policy, { now, build });
  return unusable === undefined ? { ok: true, policy, file, keyId } : refuse(unusable);
}

/**
 * Why a valid policy cannot govern a `build` at `now` (dates, demo environment), most
 * pressing first. `cordon-policy sign` asks too, so IT hears it before distributing the file.
 */
export function unusableHere(policy: Policy, { now, build }: { now: Date; build: BuildKind }): Omit<PolicyProblem, 'file'>[] {
  const problems: Omit<PolicyProblem, 'file'>[] = [];
  if (Date.parse(policy.issuedAt) - CLOCK_SKEW_MS > now.getTime()) {
    problems.push({ code: 'not-yet-valid', field: 'policy.issuedAt', reason: `issued for ${policy.issuedAt}, which is in the future on this device's clock` });
  }
  if (Date.parse(policy.expiresAt) <= now.getTime()) {
    problems.push({ code: 'expired', field: 'policy.expiresAt', reason: `expired at ${policy.expiresAt}; IT must issue a new policy` });
  }
  if (build === 'production' && policy.environment === 'demo') {
    problems.push({ code: 'demo-policy-in-production', field: 'policy.environment', reason: 'a demo policy (environment "demo", which allows plain http to 127.0.0.1) cannot govern a production build' });
  }
  return problems;
}
