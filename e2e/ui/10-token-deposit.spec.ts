// Depositing tokens against the T-Invest emulator: each kind, a duplicate, refusals that store
// nothing, and a value that is never shown back.
import { DEMO_ACCOUNTS, DEMO_TOKENS } from '../../emulator/tinvest/default-scenario';
import { expect, INVALID_TOKEN, OWNER, recordApiResponse, signIn, test } from './support';
import type { Page } from '@playwright/test';

async function deposit(page: Page, value: string, label: string, endpoint: 'Production (T-Bank)' | 'Sandbox (T-Bank)' = 'Production (T-Bank)') {
  const form = page.getByRole('region', { name: 'Deposit a token' });
  await form.getByLabel('Token value').fill(value);
  await form.getByLabel('Name', { exact: true }).fill(label);
  await form.getByLabel('Purpose (optional)').fill(`e2e: ${label}`);
  await form.getByLabel(endpoint).check();
  await form.getByRole('button', { name: 'Check and deposit' }).click();
  await expect(form.getByRole('button', { name: 'Check and deposit' })).toBeEnabled({ timeout: 20_000 });
  // The value is cleared at once and never written back.
  await expect(form.getByLabel('Token value')).toHaveValue('');
  await expect(form.getByLabel('Token value')).toHaveAttribute('type', 'password');
  await expect(form.getByLabel('Token value')).toHaveAttribute('autocomplete', 'off');
  return form;
}

async function tokenCount(page: Page): Promise<number> {
  const response = await recordApiResponse(await page.request.get('/api/tokens'));
  expect(response.status()).toBe(200);
  return ((await response.json()) as unknown[]).length;
}

test('the deposit form explains where the vault key lives', async ({ page }) => {
  await signIn(page, OWNER.email, OWNER.password);
  await page.goto('/tokens');
  const form = page.getByRole('region', { name: 'Deposit a token' });
  await expect(form.getByRole('region', { name: 'Where the vault key lives' })).toContainText('The key that encrypts tokens is a file on this server');
  await expect(form.getByRole('region', { name: 'Where the vault key lives' })).toContainText('master-key.json');
});

test('refusals store nothing: bad input, an unknown token, a sandbox token on production', async ({ page }) => {
  await signIn(page, OWNER.email, OWNER.password);
  await page.goto('/tokens');
  const before = await tokenCount(page);

  let form = await deposit(page, 'too-short', 'Short one');
  await expect(form.getByText('This is too short to be a T-Bank token')).toBeVisible();

  form = await deposit(page, INVALID_TOKEN, 'Not a token');
  await expect(form.getByRole('alert')).toContainText('The token was not deposited');
  await expect(form.getByRole('alert')).toContainText('T-Bank does not accept this token: it was revoked, or it expired');
  await expect(form.getByRole('alert')).toContainText('Nothing was stored.');

  // Each refusal says what to do: the wrong environment names the right one.
  form = await deposit(page, DEMO_TOKENS.sandbox, 'Sandbox on prod');
  await expect(form.getByRole('alert')).toContainText('This is a sandbox token: T-Bank accepts it only there. Choose “Sandbox”');

  expect(await tokenCount(page)).toBe(before);
  await expect(page.getByRole('heading', { level: 2, name: 'No tokens deposited' })).toBeVisible();
});

test('each kind deposits with its verification result; a duplicate links to the existing entry', async ({ page }) => {
  await signIn(page, OWNER.email, OWNER.password);
  await page.goto('/tokens');

  let form = await deposit(page, DEMO_TOKENS.readonly, 'Family read-only');
  let result = form.getByRole('status').filter({ hasText: 'Deposited and verified' });
  await expect(result).toContainText('Read-only');
  await expect(result).toContainText(DEMO_ACCOUNTS.broker);
  await expect(result).toContainText('Request limits');

  form = await deposit(page, DEMO_TOKENS.fullAccess, 'Trading desk');
  result = form.getByRole('status').filter({ hasText: 'Deposited and verified' });
  await expect(result).toContainText('Full access');

  form = await deposit(page, DEMO_TOKENS.accountScoped, 'Scoped broker');
  result = form.getByRole('status').filter({ hasText: 'Deposited and verified' });
  await expect(result).toContainText('Account-scoped');
  await expect(result.getByRole('listitem').filter({ hasText: DEMO_ACCOUNTS.broker })).toContainText('Full access');
  await expect(result.getByRole('listitem').filter({ hasText: DEMO_ACCOUNTS.iis })).toContainText('Read-only');

  form = await deposit(page, DEMO_TOKENS.sandbox, 'Sandbox play', 'Sandbox (T-Bank)');
  result = form.getByRole('status').filter({ hasText: 'Deposited and verified' });
  await expect(result).toContainText('Sandbox');
  await expect(result).toContainText(DEMO_ACCOUNTS.sandbox);

  form = await deposit(page, DEMO_TOKENS.otherUser, 'To be retired');
  await expect(form.getByRole('status').filter({ hasText: 'Deposited and verified' })).toBeVisible();

  form = await deposit(page, DEMO_TOKENS.readonly, 'Again');
  const duplicate = form.getByRole('status').filter({ hasText: 'Already deposited' });
  await expect(duplicate).toContainText('"Family read-only"');
  await duplicate.getByRole('link', { name: 'Open the existing entry' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Family read-only' })).toBeVisible();

  // The full-access token does not trade until an owner says so.
  const tokens = (await (await recordApiResponse(await page.request.get('/api/tokens'))).json()) as { label: string; kind: string; tradingEnabled: boolean; masked: string }[];
  expect(tokens.map((token) => [token.label, token.kind]).sort()).toEqual([
    ['Family read-only', 'readonly'],
    ['Sandbox play', 'sandbox'],
    ['Scoped broker', 'account_scoped'],
    ['To be retired', 'full_access'],
    ['Trading desk', 'full_access'],
  ]);
  expect(tokens.find((token) => token.label === 'Trading desk')!.tradingEnabled).toBe(false);
  for (const token of tokens) expect(token.masked).toMatch(/^t\.\S{2}…\S{4}$/);
});
