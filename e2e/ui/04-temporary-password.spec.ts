// A temporary password opens only the password-change page until it is replaced.
import { expect, test } from '@playwright/test';
import { OWNER, replaceTemporaryPassword, signIn } from './support';

test('owner hands out a temporary password; the new member must replace it first', async ({ page, browser }) => {
  await signIn(page, OWNER.email, OWNER.password);
  await page.goto('/team');
  const invite = page.getByRole('region', { name: 'Invite a member' });
  await invite.getByLabel('Name').fill('Tim Temp');
  await invite.getByLabel('Email').fill('tim@strongroom.test');
  await invite.getByLabel('Role').selectOption('viewer');
  await invite.getByText('Temporary password', { exact: true }).click();
  await invite.getByRole('button', { name: 'Create account' }).click();
  const temporary = await invite.getByRole('textbox', { name: 'Temporary password' }).inputValue();
  expect(temporary).toMatch(/^[a-z2-9]{4}(-[a-z2-9]{4}){3}$/);
  await expect(page.getByRole('listitem', { name: 'Tim Temp' }).getByText('Has not set a password yet')).toBeVisible();

  const timContext = await browser.newContext();
  const tim = await timContext.newPage();
  await signIn(tim, 'tim@strongroom.test', temporary, /\/account\/password$/);
  await tim.goto('/tokens');
  await expect(tim).toHaveURL(/\/account\/password$/);
  expect((await tim.request.get('/api/team')).status()).toBe(403);

  await replaceTemporaryPassword(tim, temporary, 'tims own password');
  await tim.goto('/tokens');
  await expect(tim.getByRole('heading', { level: 2, name: 'No tokens deposited' })).toBeVisible();
  await timContext.close();
});
