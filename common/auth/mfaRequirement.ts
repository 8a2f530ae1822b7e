// Cordon enforces MFA itself: the ID token must prove one of the policy's acceptable acr
// values or amr methods. An IdP that merely says "signed in" is not enough.

export interface MfaRequirement {
  acrValues: readonly string[];
  amrMethods: readonly string[];
}

export type MfaVerdict = { ok: true; proof: string } | { ok: false; reason: string };

export function assessMfa(claims: { acr?: unknown; amr?: unknown }, requirement: MfaRequirement): MfaVerdict {
  const acr = typeof claims.acr === 'string' ? claims.acr : null;
  const amr = Array.isArray(claims.amr) ? claims.amr.filter((m): m is string => typeof m === 'string') : [];
  if (acr !== null && requirement.acrValues.includes(acr)) return { ok: true, proof: `acr ${acr}` };
  const method = amr.find((m) => requirement.amrMethods.includes(m));
  if (method !== undefined) return { ok: true, proof: `amr ${method}` };
  return { ok: false, reason: `token shows acr ${acr ?? 'none'} and amr [${amr.join(',')}]; policy requires acr in [${requirement.acrValues.join(',')}] or amr in [${requirement.amrMethods.join(',')}]` };
}
