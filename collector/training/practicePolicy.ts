// The practice's signed policy as the collector reads it: the courses and agreements its
// devices require, so the console can say who is current, due or overdue (people who never
// accepted or completed anything included) and an import can refuse a course the policy
// does not name. Checked exactly as a device checks it (common/policy/signedPolicy), with
// the public key IT signs policies with; read again on each use, so a new serial counts
// without a restart.
import { createHash, createPublicKey, verify, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Policy } from '../../common/policy/policySchema';
import { evaluatePolicyFile, type PolicyVerifier } from '../../common/policy/signedPolicy';

/** Where the policy and the key that signs it are (`--policy`, `--policy-key`). */
export interface PracticePolicySource {
  file: string;
  keyFile: string;
}

export type PracticePolicy = { ok: true; policy: Policy } | { ok: false; problem: string };

/** The policy key id devices use: SHA-256 over the raw 32-byte key (the end of its SPKI form), first 16 hex digits. */
function policyKeyIdOf(key: KeyObject): string {
  const raw = key.export({ format: 'der', type: 'spki' }).subarray(-32);
  return createHash('sha256').update(raw).digest('hex').slice(0, 16);
}

function verifierFor(keyPem: string): PolicyVerifier {
  const key = createPublicKey(keyPem);
  if (key.asymmetricKeyType !== 'ed25519') throw new Error(`is a ${key.asymmetricKeyType ?? 'unknown'} key, not the Ed25519 public key policies are signed with`);
  const keyId = policyKeyIdOf(key);
  return {
    keyIds: [keyId],
    verify: (id, message, signature) => {
      const bytes = Buffer.from(signature, 'base64');
      return id === keyId && bytes.length === 64 && verify(null, Buffer.from(message, 'utf8'), key, bytes);
    },
  };
}

const reason = (error: unknown) => (error instanceof Error ? error.message : String(error));

export function readPracticePolicy(source: PracticePolicySource, now: number): PracticePolicy {
  let verifier: PolicyVerifier;
  try {
    verifier = verifierFor(readFileSync(source.keyFile, 'utf8'));
  } catch (error) {
    return { ok: false, problem: `the policy key ${source.keyFile} cannot be used: ${reason(error)}` };
  }
  let text: string;
  try {
    text = readFileSync(source.file, 'utf8');
  } catch (error) {
    return { ok: false, problem: `cannot read the policy ${source.file}: ${reason(error)}` };
  }
  // A demo policy may name http://127.0.0.1; the collector acts on none of its addresses.
  const result = evaluatePolicyFile(text, { file: source.file, verifier, now: new Date(now), build: 'development' });
  return result.ok ? { ok: true, policy: result.policy } : { ok: false, problem: `the policy ${source.file} is refused: ${result.problem.reason}` };
}
