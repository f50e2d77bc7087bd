// First run: a fresh instance sends everyone to /setup, which creates the owner once.
import { expect, test } from '@playwright/test';
import { OWNER } from './support';

test('a fresh instance sends every page to first-run setup', async ({ page }) => {
  for (const path of ['/', '/overview', '/team', '/login']) {
    await page.goto(path);
    await expect(page).toHaveURL(/\/setup$/);
  }
  await expect(page.getByRole('heading', { name: 'Set up Strongroom' })).toBeVisible();
});

test('setup checks the form, creates the owner and signs them in', async ({ page }) => {
  await page.goto('/setup');
  await page.getByLabel('Your name').fill(OWNER.name);
  await page.getByLabel('Email').fill('not-an-email');
  await page.getByLabel('Password', { exact: true }).fill('short');
  await page.getByLabel('Repeat the password').fill('different');
  await page.getByRole('button', { name: 'Create owner account' }).click();
  await expect(page.getByText('Enter a valid email address, like name@example.com.')).toBeVisible();
  await expect(page.getByText('Use at least 10 characters.')).toBeVisible();
  await expect(page.getByText('The two passwords do not match.')).toBeVisible();
  await expect(page).toHaveURL(/\/setup$/);

  await page.getByLabel('Email').fill(OWNER.email);
  await page.getByLabel('Password', { exact: true }).fill(OWNER.password);
  await page.getByLabel('Repeat the password').fill(OWNER.password);
  await page.getByRole('button', { name: 'Create owner account' }).click();
  await expect(page).toHaveURL(/\/overview$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Overview' })).toBeVisible();
  await page.getByRole('button', { name: /Account menu/ }).click();
  await expect(page.getByText(OWNER.email)).toBeVisible();
  await expect(page.getByText('Signed in as Owner')).toBeVisible();
});

test('after setup, /setup is gone: the page redirects and the API refuses', async ({ browser }) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto('/setup');
  await expect(page).toHaveURL(/\/login$/);
  const response = await page.request.post('/api/setup', { data: { name: 'Mallory', email: 'mallory@strongroom.test', password: 'mallory password 1' } });
  expect(response.status()).toBe(409);
  expect(((await response.json()) as { error: { message: string } }).error.message).toBe('Strongroom is already set up. Sign in instead.');
  await context.close();
});
