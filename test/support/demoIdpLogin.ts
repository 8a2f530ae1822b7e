// What a person does on the demo IdP's pages in a real browser: password, then the
// current TOTP code from their authenticator (skipped for the user without MFA).
import type { Page } from '@playwright/test';
import { generate } from 'otplib';
import { demoUser } from './authHarness';

export async function typeDemoCredentials(page: Page, username: string): Promise<void> {
  const user = demoUser(username);
  await page.getByLabel('Username').fill(user.username);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Continue' }).click();
  if (user.totpSecret !== null) {
    await page.getByLabel('Authenticator code').fill(await generate({ secret: user.totpSecret }));
    await page.getByRole('button', { name: 'Continue' }).click();
  }
}
