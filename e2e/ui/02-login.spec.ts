// Sign-in and sign-out. Wrong passwords and unknown emails get the same answer; signing out ends
// the session on the server, so a saved copy of the cookie is worthless afterwards.
import { expect, test } from '@playwright/test';
import type { Browser, Cookie } from '@playwright/test';
import { OWNER, signIn } from './support';

test('a wrong password shows an error and keeps you on the sign-in page', async ({ page }) => {
  await page.goto('/login');
  await page.getByLabel('Email').fill(OWNER.email);
  await page.getByLabel('Password', { exact: true }).fill('not the password');
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page.getByRole('main').getByRole('alert')).toHaveText('Email or password is incorrect.');
  await expect(page).toHaveURL(/\/login$/);
  await expect(page.getByLabel('Password', { exact: true })).toHaveValue('');
});

test('an unknown email gets exactly the same message', async ({ page }) => {
  await page.goto('/login');
  await page.getByLabel('Email').fill('nobody@strongroom.test');
  await page.getByLabel('Password', { exact: true }).fill('not the password');
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
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

/** What a browser holding a copy of `cookies` gets: the API's status and where a page lands. */
async function withCopiedCookies(browser: Browser, cookies: Cookie[]): Promise<{ api: number; landing: string }> {
  const copy = await browser.newContext();
  try {
    await copy.addCookies(cookies);
    const page = await copy.newPage();
    const api = (await page.request.get('/api/team')).status();
    await page.goto('/team');
    return { api, landing: new URL(page.url()).pathname };
  } finally {
    await copy.close();
  }
}

test('after signing out, a saved copy of the session cookie no longer works', async ({ page, browser }) => {
  await signIn(page, OWNER.email, OWNER.password);
  const saved = await page.context().cookies();
  expect(await withCopiedCookies(browser, saved)).toEqual({ api: 200, landing: '/team' });
  await page.getByRole('button', { name: /Account menu/ }).click();
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/login$/);
  expect(await withCopiedCookies(browser, saved)).toEqual({ api: 401, landing: '/login' });
});

test('"Sign out everywhere" on the Account page ends the sessions of other browsers too', async ({ page, browser }) => {
  const elsewhere = await browser.newContext();
  try {
    const other = await elsewhere.newPage();
    await signIn(other, OWNER.email, OWNER.password);
    await signIn(page, OWNER.email, OWNER.password);
    await page.goto('/account');
    await page.getByRole('button', { name: 'Sign out everywhere' }).click();
    await expect(page).toHaveURL(/\/login$/);
    expect((await other.request.get('/api/team')).status()).toBe(401);
    await other.goto('/overview');
    await expect(other).toHaveURL(/\/login$/);
    // Signing in again works as usual.
    await signIn(page, OWNER.email, OWNER.password);
  } finally {
    await elsewhere.close();
  }
});
