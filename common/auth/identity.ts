// Who is signed in, as the rest of Cordon sees it: never tokens, only claims that were
// verified in a signed ID token.
import { z } from 'zod';

export const CORDON_ROLES = ['va', 'supervisor', 'compliance', 'admin'] as const;
export type CordonRole = (typeof CORDON_ROLES)[number];

export interface Identity {
  subject: string;
  name: string;
  email: string;
  roles: CordonRole[];
  /** When the user actually authenticated (seconds since the epoch). */
  authTime: number;
  /** How: the `amr` methods the IdP asserted, e.g. ["pwd", "otp"]. */
  mfaMethods: string[];
  acr: string | null;
}

const claimsSchema = z.object({
  sub: z.string().min(1),
  name: z.string().optional(),
  email: z.string().optional(),
  auth_time: z.number().int().positive(),
  amr: z.array(z.string()).optional(),
  acr: z.string().optional(),
});

/** Builds the identity from verified ID-token claims; roles come from the policy-named claim. */
export function identityFromClaims(claims: Record<string, unknown>, rolesClaim: string): Identity {
  const parsed = claimsSchema.parse(claims);
  const rawRoles = claims[rolesClaim];
  const roles = (Array.isArray(rawRoles) ? rawRoles : typeof rawRoles === 'string' ? rawRoles.split(/[\s,]+/) : []).filter(
    (role): role is CordonRole => (CORDON_ROLES as readonly unknown[]).includes(role),
  );
  return {
    subject: parsed.sub,
    name: parsed.name ?? parsed.email ?? parsed.sub,
    email: parsed.email ?? '',
    roles,
    authTime: parsed.auth_time,
    mfaMethods: parsed.amr ?? [],
    acr: parsed.acr ?? null,
  };
}
