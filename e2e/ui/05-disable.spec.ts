// Disabling a member ends their session on their very next request; a reset gets them back in.
import { expect, test } from '@playwright/test';
import { inviteWithTemporaryPassword, OWNER, replaceTemporaryPassword, signIn } from './support';

test('a disabled member is signed out on the next request and cannot sign in again', async ({ page, browser }) => {
  await signIn(page, OWNER.email, OWNER.password);
  const temporary = await inviteWithTemporaryPassword(page.request, { name: 'Dan Disabled', email: 'dan@strongroom.test', role: 'member' });

  const danContext = await browser.newContext();
  const dan = await danContext.newPage();
  await signIn(dan, 'dan@strongroom.test', temporary, /\/account\/password$/);
  await replaceTemporaryPassword(dan, temporary, 'dans own password');

  await page.goto('/team');
  const row = page.getByRole('listitem', { name: 'Dan Disabled' });
  await row.getByRole('button', { name: 'Disable' }).click();
  await row.getByRole('button', { name: 'Disable account' }).click();
  await expect(row.getByText('Dan Disabled is disabled and has been signed out.')).toBeVisible();
  await expect(row.getByText('Disabled', { exact: true })).toBeVisible();

  await dan.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Team' }).click();
  await expect(dan).toHaveURL(/\/login$/);
  expect((await dan.request.get('/api/team')).status()).toBe(401);
  await dan.getByLabel('Email').fill('dan@strongroom.test');
  await dan.getByLabel('Password', { exact: true }).fill('dans own password');
  await dan.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(dan.getByRole('main').getByRole('alert')).toHaveText('Email or password is incorrect.');
  await danContext.close();

  // Re-enabling lets them back in.
  await row.getByRole('button', { name: 'Re-enable' }).click();
  await expect(row.getByText('Dan Disabled can sign in again.')).toBeVisible();

  // Dan forgot his password: the owner resets it, and Dan must choose a new one at sign-in.
  await row.getByRole('button', { name: 'Reset password' }).click();
  await row.getByRole('button', { name: 'Reset password' }).click();
  const resetTo = await row.getByRole('textbox', { name: 'Temporary password for Dan Disabled' }).inputValue();
  const again = await browser.newContext();
  const danAgain = await again.newPage();
  await signIn(danAgain, 'dan@strongroom.test', resetTo, /\/account\/password$/);
  await replaceTemporaryPassword(danAgain, resetTo, 'dans newer password');
  await again.close();

  // The changes are in the audit log, newest first.
  await page.goto('/audit');
  const events = page.getByRole('region', { name: 'Events' }).getByRole('listitem');
  // Replacing a temporary password signs in again with the new one.
  await expect(events.nth(0)).toContainText('Signed in');
  await expect(events.nth(1)).toContainText('Changed their password');
  await expect(events.nth(2)).toContainText('Signed in');
  await expect(events.nth(3)).toContainText("Reset a member's password");
  await expect(events.nth(4)).toContainText('Re-enabled a member');
  // Dan's attempt while disabled: recorded without saying whether the account exists.
  await expect(events.nth(5)).toContainText('Failed sign-in');
  await expect(events.nth(5)).not.toContainText('dan@strongroom.test');
  await expect(events.nth(6)).toContainText('Disabled a member');
  await expect(events.nth(6)).toContainText('dan@strongroom.test');
  await expect(events.nth(6)).toContainText(`By ${OWNER.email}`);
});
