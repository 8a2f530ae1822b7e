// The demo accounts as printed by `npm start`: username, password, roles, and the TOTP
// seed with an otpauth:// URI to enrol in any authenticator app.
import { generateURI } from 'otplib';
import { DEMO_USERS } from './demoUsers';

export function demoAccountLines(): string[] {
  return [
    'demo accounts (password, then the authenticator code):',
    ...DEMO_USERS.map((user) => {
      const mfa =
        user.totpSecret === null
          ? 'no MFA set up (Cordon refuses this sign-in)'
          : `TOTP seed ${user.totpSecret} ${generateURI({ issuer: 'Sunrise demo', label: user.username, secret: user.totpSecret })}`;
      return `  ${user.username} / ${user.password} (${user.roles.join(', ')}): ${mfa}`;
    }),
  ];
}
