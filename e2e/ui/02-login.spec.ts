// Sign-in and sign-out. Wrong passwords and unknown emails get the same answer.
import { expect, test } from '@playwright/test';
import { OWNER, signIn } from './support';

test('a wrong password shows an error and keeps you on the sign-in page', async ({ page }) => {
  await page.goto('/login');
  await page.getByLabel('Email').fill(OWNER.email);
  await page.getByLabel('Password', { exact: true }).fill('not the password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('main').getByRole('alert')).toHaveText('Email or password is incorrect.');
  await expect(page).toHaveURL(/\/login$/);
  await expect(page.getByLabel('Password', { exact: true })).toHaveValue('');
});

test('an unknown email gets exactly the same message', async ({ page }) => {
  await page.goto('/login');
  await page.getByLabel('Email').fill('nobody@strongroom.test');
  await page.getByLabel('Password', { exact: true }).fill('not the password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('main').getByRole('alert')).toHaveText('Email or password is incorrect.');
});

test('the owner signs in, and signing out ends the session', async ({ page }) => {
  await signIn(page, OWNER.email, OWNER.password);
  await page.goto('/login');
  await expect(page).toHaveURL(/\/overview$/);
  await page.getByRole('button', { name: /Account menu/ }).click();
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/login$/);
  await page.goto('/team');
  await expect(page).toHaveURL(/\/login$/);
  expect((await page.request.get('/api/team')).status()).toBe(401);
});
