// First run: a fresh instance sends everyone to /setup, which creates the owner once, and only for
// whoever has the one-time setup code the server printed in its log.
import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { OWNER } from './support';

/** The code from the server's log (e2e/playwright.config.ts sends the log to e2e/.artifacts/server.log). */
function setupCodeFromLog(): string {
  const log = fs.readFileSync(path.resolve(import.meta.dirname, '../.artifacts/server.log'), 'utf8');
  const code = /Setup code\s+([A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4})/.exec(log)?.[1];
  if (!code) throw new Error('No "Setup code" line in e2e/.artifacts/server.log');
  return code;
}

test('a fresh instance sends every page to first-run setup', async ({ page }) => {
  for (const path of ['/', '/overview', '/team', '/login']) {
    await page.goto(path);
    await expect(page).toHaveURL(/\/setup$/);
  }
  await expect(page.getByRole('heading', { name: 'Set up Strongroom' })).toBeVisible();
});

test('pages carry a CSP with a fresh nonce on every script, and still run', async ({ page }) => {
  const violations: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy|Content-Security-Policy/i.test(message.text())) violations.push(message.text());
  });
  const response = await page.goto('/setup');
  const policy = response?.headers()['content-security-policy'] ?? '';
  const nonce = /'nonce-([^']+)'/.exec(policy)?.[1];
  expect(nonce).toBeTruthy();
  expect(policy).toContain("frame-ancestors 'none'");
  expect(response?.headers()['x-frame-options']).toBe('DENY');
  const scripts = await page.locator('script').evaluateAll((elements) => elements.map((element) => (element as HTMLScriptElement).nonce));
  expect(scripts.length).toBeGreaterThan(0);
  expect(scripts.every((value) => value === nonce)).toBe(true);
  const again = await page.request.get('/setup');
  expect(again.headers()['content-security-policy']).not.toContain(nonce!);
  // Hydrated: the client-side check answers without a round trip.
  await page.getByRole('button', { name: 'Create owner account' }).click();
  await expect(page.getByText('Enter the setup code from the server log.')).toBeVisible();
  expect(violations).toEqual([]);
});

test('the setup API refuses a missing or wrong code and answers with no-store', async ({ request }) => {
  const person = { name: 'Mallory', email: 'mallory@strongroom.test', password: 'mallory password 1' };
  for (const code of [undefined, 'AAAA-BBBB-CCCC']) {
    const response = await request.post('/api/setup', { data: { ...person, code } });
    expect(response.status()).toBe(403);
    expect(response.headers()['cache-control']).toBe('no-store');
    expect(((await response.json()) as { error: { fields: Record<string, string[]> } }).error.fields.code).toEqual([
      'The setup code is wrong. Copy it from the server log, from the line "Setup code".',
    ]);
  }
});

test('setup checks the form, creates the owner and signs them in', async ({ page }) => {
  await page.goto('/setup');
  await page.getByLabel('Setup code').fill('WRNG-CODE-XXXX');
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
  await expect(page.getByText('The setup code is wrong.').first()).toBeVisible();
  await expect(page).toHaveURL(/\/setup$/);

  // Typed the way people type: lower case, no dashes.
  await page.getByLabel('Setup code').fill(setupCodeFromLog().toLowerCase().replaceAll('-', ''));
  await page.getByRole('button', { name: 'Create owner account' }).click();
  await expect(page).toHaveURL(/\/overview$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Overview' })).toBeVisible();
  await page.getByRole('button', { name: /Account menu/ }).click();
  await expect(page.getByText(OWNER.email)).toBeVisible();
  await expect(page.getByText('Signed in as Owner')).toBeVisible();

  // Authenticated JSON is never stored by a browser or a proxy.
  const team = await page.request.get('/api/team');
  expect(team.status()).toBe(200);
  expect(team.headers()).toMatchObject({ 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
  expect(team.headers()['content-security-policy']).toContain("default-src 'none'");
});

test('after setup, /setup is gone: the page redirects and the API refuses', async ({ browser }) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto('/setup');
  await expect(page).toHaveURL(/\/login$/);
  // The code no longer matters: a late visitor hears that setup is done, with or without the right code.
  const response = await page.request.post('/api/setup', { data: { name: 'Mallory', email: 'mallory@strongroom.test', password: 'mallory password 1', code: setupCodeFromLog() } });
  expect(response.status()).toBe(409);
  expect(((await response.json()) as { error: { message: string } }).error.message).toBe('Strongroom is already set up. Sign in instead.');
  await context.close();
});
