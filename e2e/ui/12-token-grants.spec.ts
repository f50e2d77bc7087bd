// Grants: a member sees nothing of a token until it is granted (UI and API answer 404), then only
// the accounts the grant names.
import type { Browser } from '@playwright/test';
import { DEMO_ACCOUNTS } from '../../emulator/tinvest/default-scenario';
import { expect, MEMBER, OWNER, recordApiResponse, signIn, test } from './support';

async function scopedTokenId(page: import('@playwright/test').Page): Promise<string> {
  const tokens = (await (await recordApiResponse(await page.request.get('/api/tokens?q=Scoped'))).json()) as { id: string }[];
  expect(tokens).toHaveLength(1);
  return tokens[0]!.id;
}

async function memberPage(browser: Browser) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, MEMBER.email, MEMBER.password);
  return { context, page };
}

test('a member without a grant sees nothing of the token', async ({ page, browser }) => {
  await signIn(page, OWNER.email, OWNER.password);
  const id = await scopedTokenId(page);
  const { context, page: member } = await memberPage(browser);
  // An empty overview tells a member whom to ask, and sends nobody to a Tokens page where they can't deposit.
  await member.goto('/overview');
  await expect(member.getByRole('main')).toContainText('An owner or admin deposits one');
  await expect(member.getByRole('link', { name: 'Go to Tokens' })).toHaveCount(0);
  await member.goto('/tokens');
  await expect(member.getByRole('heading', { level: 2, name: 'No tokens deposited' })).toBeVisible();
  await expect(member.getByRole('region', { name: 'Deposit a token' })).toHaveCount(0);
  await member.goto(`/tokens/${id}`);
  await expect(member.getByRole('heading', { name: 'No such token' })).toBeVisible();
  await expect(member.getByText('Scoped broker')).toHaveCount(0);
  expect((await recordApiResponse(await member.request.get(`/api/tokens/${id}`))).status()).toBe(404);
  expect((await recordApiResponse(await member.request.get(`/api/tokens/00000000-0000-4000-8000-000000000000`))).status()).toBe(404);
  expect(await (await recordApiResponse(await member.request.get('/api/tokens'))).json()).toEqual([]);
  expect((await recordApiResponse(await member.request.post(`/api/tokens/${id}/verify`))).status()).toBe(403);
  await context.close();
});

test('a grant limited to one account shows the member only that account', async ({ page, browser }) => {
  await signIn(page, OWNER.email, OWNER.password);
  const id = await scopedTokenId(page);
  await page.goto(`/tokens/${id}`);
  const grants = page.getByRole('region', { name: 'Who may use it' });
  await grants.getByLabel('Member').selectOption({ label: `${MEMBER.name} (${MEMBER.email})` });
  await grants.getByLabel(DEMO_ACCOUNTS.broker).check();
  await grants.getByRole('button', { name: 'Grant' }).click();
  await expect(grants.getByText(`${MEMBER.name} may use it.`)).toBeVisible();
  await expect(grants.getByRole('listitem', { name: MEMBER.name })).toContainText(DEMO_ACCOUNTS.broker);

  const { context, page: member } = await memberPage(browser);
  await member.goto('/tokens');
  const row = member.getByRole('row', { name: 'Scoped broker' });
  await expect(row).toContainText(DEMO_ACCOUNTS.broker);
  await expect(row).not.toContainText(DEMO_ACCOUNTS.iis);
  await expect(member.getByRole('row')).toHaveCount(2);
  await member.getByRole('link', { name: 'Open Scoped broker' }).click();
  const accounts = member.getByRole('region', { name: 'Accounts and rights' });
  await expect(accounts.getByRole('listitem')).toHaveCount(1);
  await expect(accounts).toContainText(DEMO_ACCOUNTS.broker);
  // Members get no management controls.
  await expect(member.getByRole('region', { name: 'Actions' })).toHaveCount(0);
  await expect(member.getByRole('region', { name: 'Who may use it' })).toHaveCount(0);
  const token = (await (await recordApiResponse(await member.request.get(`/api/tokens/${id}`))).json()) as { accounts: { id: string }[]; allowedMembers: { email: string }[] };
  expect(token.accounts.map((account) => account.id)).toEqual([DEMO_ACCOUNTS.broker]);
  expect(token.allowedMembers.map((entry) => entry.email)).toEqual([MEMBER.email]);
  // ...and the other tokens stay invisible.
  expect((await (await recordApiResponse(await member.request.get('/api/tokens'))).json()) as unknown[]).toHaveLength(1);
  await context.close();
});
