// Why a sign-in was refused: a code for the audit trail and a sentence the VA understands.

export const AUTH_ERROR_CODES = [
  'idp-unreachable',
  'idp-misconfigured',
  'cancelled',
  'idp-error',
  'state-mismatch',
  'code-rejected',
  'nonce-mismatch',
  'issuer-mismatch',
  'id-token-invalid',
  'id-token-expired',
  'authentication-too-old',
  'mfa-missing',
  'wrong-user',
  'no-session',
] as const;
export type AuthErrorCode = (typeof AUTH_ERROR_CODES)[number];

const MESSAGES: Record<AuthErrorCode, string> = {
  'idp-unreachable': "Cordon cannot reach your practice's sign-in service. Check your internet connection and try again.",
  'idp-misconfigured': "Your practice's sign-in service is not set up the way Cordon's policy expects. Call IT.",
  cancelled: 'Sign-in was cancelled.',
  'idp-error': "Your practice's sign-in service refused the sign-in. Try again, or call IT.",
  'state-mismatch': 'That sign-in response did not belong to this sign-in attempt, so Cordon ignored it. Try again.',
  'code-rejected': 'That sign-in could not be completed (it was already used or has expired). Try again.',
  'nonce-mismatch': 'That sign-in response did not belong to this sign-in attempt, so Cordon ignored it. Try again.',
  'issuer-mismatch': "The sign-in response came from a service other than your practice's. Cordon refused it; tell IT.",
  'id-token-invalid': "The sign-in response could not be verified as coming from your practice's sign-in service. Cordon refused it; tell IT.",
  'id-token-expired': "The sign-in response had expired. Check that this computer's clock is right, then try again.",
  'authentication-too-old': 'Your sign-in is too old for this practice. Sign in again.',
  'mfa-missing': 'Your practice requires multi-factor authentication (such as an authenticator code), and this sign-in did not use it. Set up MFA with IT, then sign in again.',
  'wrong-user': 'Only the person who was signed in can unlock Cordon. Sign in as that person, or sign out.',
  'no-session': 'You are not signed in.',
};

export class AuthError extends Error {
  constructor(
    readonly code: AuthErrorCode,
    readonly detail?: string,
  ) {
    super(MESSAGES[code]);
    this.name = 'AuthError';
  }
}

export function authErrorMessage(code: AuthErrorCode): string {
  return MESSAGES[code];
}
