// Who is signed in and how, in words a VA knows: the ID token's `amr` codes (RFC 8176)
// and Cordon's role codes never reach the screen as codes.
import type { CordonRole } from '../auth/identity';

const AMR_WORDS: Record<string, string> = {
  pwd: 'password',
  otp: 'authenticator app',
  sms: 'text message code',
  tel: 'phone call',
  hwk: 'security key',
  swk: 'software key',
  sc: 'smart card',
  pin: 'PIN',
  pop: 'device key',
  fpt: 'fingerprint',
  face: 'face recognition',
  iris: 'iris scan',
  retina: 'retina scan',
  vbm: 'voice recognition',
  kba: 'security questions',
  wia: 'Windows sign-in',
  geo: 'location check',
  rba: 'risk check',
  user: 'presence check',
};

// These say only that several factors were used: worth saying when nothing more specific is.
const GENERIC_AMR_WORDS: Record<string, string> = {
  mfa: 'multi-factor authentication',
  mca: 'multiple-channel authentication',
};

// The VA's own role goes without saying in the VA's workspace.
const ROLE_WORDS: Record<CordonRole, string | null> = {
  va: null,
  supervisor: 'supervisor',
  compliance: 'compliance officer',
  admin: 'IT admin',
};

/** "a", "a and b", "a, b and c" (or "a, b or c"). */
export function listInWords(items: readonly string[], conjunction: 'and' | 'or' = 'and'): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} ${conjunction} ${items.at(-1)}`;
}

/** The sign-in methods in words, e.g. ["pwd", "otp"] → "password and authenticator app"; '' for none. */
export function signInMethodsInWords(amr: readonly string[]): string {
  // A code we have no word for is the IdP's own: show it rather than hide how the VA signed in.
  const specific = amr.filter((code) => !(code in GENERIC_AMR_WORDS)).map((code) => AMR_WORDS[code] ?? code);
  const words = specific.length > 0 ? specific : amr.map((code) => GENERIC_AMR_WORDS[code] ?? code);
  return listInWords([...new Set(words)]);
}

/** "signed in 9:02 AM with password and authenticator app"; without "with …" when the IdP named no method. */
export function signedInHow(time: string, amr: readonly string[]): string {
  const methods = signInMethodsInWords(amr);
  return methods === '' ? `signed in ${time}` : `signed in ${time} with ${methods}`;
}

/** The roles worth saying next to the name, e.g. "supervisor"; '' for a VA. */
export function rolesInWords(roles: readonly CordonRole[]): string {
  return listInWords(roles.map((role) => ROLE_WORDS[role]).filter((words) => words !== null));
}
