// Shared by the UI specs: the owner that 01-setup creates, and signing in through the form.
import { expect, type APIRequestContext, type Page } from '@playwright/test';

export const OWNER = { name: 'Olga Owner', email: 'owner@strongroom.test', password: 'owner password 2026' };

export async function signIn(page: Page, email: string, password: string, landing: RegExp = /\/overview$/): Promise<void> {
  await page.goto('/login');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(landing);
}

/** On /account/password: replaces the temporary password and lands on the overview. */
export async function replaceTemporaryPassword(page: Page, temporary: string, chosen: string): Promise<void> {
  await expect(page).toHaveURL(/\/account\/password$/);
  await page.getByLabel('Temporary password').fill(temporary);
  await page.getByLabel('New password', { exact: true }).fill(chosen);
  await page.getByLabel('Repeat the new password').fill(chosen);
  await page.getByRole('button', { name: 'Change password' }).click();
  await expect(page).toHaveURL(/\/overview$/);
}

/** Creates an account with a temporary password through the API, as whoever `request` is signed in as. */
export async function inviteWithTemporaryPassword(request: APIRequestContext, person: { name: string; email: string; role: string }): Promise<string> {
  const response = await request.post('/api/team/invites', { data: { ...person, method: 'password' } });
  expect(response.status()).toBe(201);
  return ((await response.json()) as { temporaryPassword: string }).temporaryPassword;
}
