// Demo identities for the demo IdP. Passwords and TOTP seeds are public demo values,
// printed by `npm start` so anyone can enrol the seed in an authenticator app.
export interface DemoUser {
  subject: string;
  username: string;
  password: string;
  name: string;
  email: string;
  roles: ('va' | 'supervisor' | 'compliance' | 'admin')[];
  /** Base32 TOTP seed; null for the user whose MFA is not set up. */
  totpSecret: string | null;
}

export const DEMO_USERS: readonly DemoUser[] = [
  { subject: 'demo-va-0001', username: 'valerie', password: 'demo-valerie', name: 'Valerie Assistant', email: 'valerie@sunrise.demo', roles: ['va'], totpSecret: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP' },
  { subject: 'demo-sup-0001', username: 'sam', password: 'demo-sam', name: 'Sam Supervisor', email: 'sam@sunrise.demo', roles: ['supervisor'], totpSecret: 'KRUGS4ZANFZSAYJAORSXG5BAONSWK3LE' },
  { subject: 'demo-cmp-0001', username: 'cora', password: 'demo-cora', name: 'Cora Compliance', email: 'cora@sunrise.demo', roles: ['compliance'], totpSecret: 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ' },
  { subject: 'demo-adm-0001', username: 'ada', password: 'demo-ada', name: 'Ada Admin', email: 'ada@sunrise.demo', roles: ['admin'], totpSecret: 'MFRGGZDFMZTWQ2LKNNWG23TPOBYXE43U' },
  { subject: 'demo-va-0002', username: 'nora', password: 'demo-nora', name: 'Nora No-MFA', email: 'nora@sunrise.demo', roles: ['va'], totpSecret: null },
];

/** The acr values the demo IdP asserts, by what the user actually did. */
export const DEMO_ACR = { mfa: 'urn:cordon:demo:acr:mfa', password: 'urn:cordon:demo:acr:pwd' } as const;
