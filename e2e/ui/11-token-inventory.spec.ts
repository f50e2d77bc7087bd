// The inventory and a token's page: columns, filters and sorting in the URL, and the actions
// (verify now, rename, pause and resume, retire with its crypto-shred confirmation).
import { expect, OWNER, recordApiResponse, signIn, test } from './support';

test('the inventory shows each token with its facts, and filters and sorts through the URL', async ({ page }) => {
  await signIn(page, OWNER.email, OWNER.password);
  await page.goto('/tokens');
  const table = page.getByRole('table');
  for (const column of ['Token', 'Status', 'Accounts', 'Last used', 'Dies on', 'Last check']) {
    await expect(table.getByRole('columnheader', { name: column })).toBeVisible();
  }
  const row = table.getByRole('row', { name: 'Family read-only' });
  await expect(row).toContainText('Active');
  await expect(row).toContainText('T-Invest · Read-only · Production');
  await expect(row).toContainText(/t\.\S\S…\S{4}/);
  await expect(row).toContainText(`Deposited by ${OWNER.name}`);
  await expect(row).toContainText('2000123456');
  await expect(row).toContainText(/\d+ days left/);
  await expect(row).toContainText('OK');
  await expect(row).toContainText('Kept alive by Strongroom');

  const filters = page.getByRole('search', { name: 'Filter and sort' });
  await filters.getByLabel('Kind').selectOption('sandbox');
  await filters.getByRole('button', { name: 'Apply' }).click();
  await expect(page).toHaveURL(/kind=sandbox/);
  await expect(table.getByRole('row')).toHaveCount(2);
  await expect(table.getByRole('row', { name: 'Sandbox play' })).toBeVisible();

  await page.goto('/tokens?q=scoped');
  await expect(table.getByRole('row')).toHaveCount(2);
  await expect(table.getByRole('row', { name: 'Scoped broker' })).toBeVisible();

  await page.goto('/tokens?status=retired');
  await expect(page.getByRole('heading', { name: 'No token matches these filters' })).toBeVisible();

  await page.goto('/tokens?sort=label&dir=asc');
  // Polled: right after navigation the table may still be the previous page's empty state.
  await expect
    .poll(() => table.locator('tbody tr').evaluateAll((rows) => rows.map((entry) => entry.getAttribute('aria-label'))))
    .toEqual(['Family read-only', 'Sandbox play', 'Scoped broker', 'To be retired', 'Trading desk']);
});

test('a token page: verify now, rename, pause and resume', async ({ page }) => {
  await signIn(page, OWNER.email, OWNER.password);
  await page.goto('/tokens');
  await page.getByRole('link', { name: 'Open Trading desk' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Trading desk' })).toBeVisible();
  await expect(page.getByRole('link', { name: /Revoke it at T-Bank/ })).toHaveAttribute('href', 'https://www.tbank.ru/invest/settings/api/');
  // T-Bank lets the token trade, but Strongroom's policy keeps trading off until an owner turns it on: the page says both.
  const accounts = page.getByRole('region', { name: 'Accounts and rights' });
  await expect(accounts).toContainText('may trade upstream · trading off in Strongroom');
  await expect(accounts).toContainText('Brokerage');
  await expect(accounts).not.toContainText('tinkoff');
  await expect(page.getByRole('main')).not.toContainText('Kept alive by Strongroom');
  // The tariff is a summary; its method names open on request.
  const limits = page.getByRole('region', { name: 'Tariff limits' });
  await expect(limits).toContainText(/\d+ methods in \d+ groups/);
  const methods = limits.getByText(/\bGetPortfolio\b/).first();
  await expect(methods).toBeAttached();
  await expect(methods).toBeHidden();
  await limits.locator('details', { has: page.getByText(/\bGetPortfolio\b/) }).first().locator('summary').click();
  await expect(methods).toBeVisible();
  await expect(page.getByRole('region', { name: 'What it may be used for' }).getByLabel('Trading (placing and cancelling orders)')).not.toBeChecked();

  const actions = page.getByRole('region', { name: 'Actions' });
  await actions.getByRole('button', { name: 'Verify now' }).click();
  await expect(actions.getByText('Check finished.')).toBeVisible();
  const usage = page.getByRole('region', { name: 'Use' });
  await expect(usage.getByRole('row').filter({ hasText: OWNER.name }).first()).toContainText('Accounts and portfolios');

  await actions.getByRole('button', { name: 'Rename or change purpose' }).click();
  await actions.getByLabel('Name', { exact: true }).fill('Trading desk (main)');
  await actions.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Trading desk (main)' })).toBeVisible();

  await actions.getByRole('button', { name: 'Pause' }).click();
  await expect(actions.getByText('Paused: nothing uses this token')).toBeVisible();
  await expect(page.getByRole('main').getByText('Paused', { exact: true })).toBeVisible();
  await actions.getByRole('button', { name: 'Resume' }).click();
  await expect(actions.getByText('Resumed.')).toBeVisible();
  await expect(page.getByRole('main').getByText('Active', { exact: true })).toBeVisible();
});

test('retiring asks first, explains the crypto-shred, and leaves only metadata', async ({ page }) => {
  await signIn(page, OWNER.email, OWNER.password);
  await page.goto('/tokens?q=retired');
  await page.getByRole('link', { name: 'Open To be retired' }).click();
  const actions = page.getByRole('region', { name: 'Actions' });
  await actions.getByRole('button', { name: 'Retire' }).click();
  const confirm = actions.getByRole('group', { name: 'Retire To be retired?' });
  await expect(confirm).toContainText('crypto-shred');
  await expect(confirm).toContainText('The audit records and this entry');
  await confirm.getByRole('button', { name: 'Cancel' }).click();
  await expect(confirm).toHaveCount(0);
  await actions.getByRole('button', { name: 'Retire' }).click();
  await actions.getByRole('button', { name: 'Destroy the value and retire' }).click();
  await expect(page.getByRole('main').getByText('Retired', { exact: true })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Actions' })).toHaveCount(0);
  await expect(page.getByRole('link', { name: /Revoke it at T-Bank/ })).toBeVisible();
  const id = page.url().split('/').pop()!;
  const token = (await (await recordApiResponse(await page.request.get(`/api/tokens/${id}`))).json()) as { status: string; masked: string };
  expect(token.status).toBe('retired');
  expect(token.masked).toMatch(/^t\./);
});

test.describe('at 375px', () => {
  test.use({ viewport: { width: 375, height: 740 } });

  test('tokens show as cards and nothing overflows', async ({ page }) => {
    await signIn(page, OWNER.email, OWNER.password);
    // A purpose longer than the screen is wide: it is truncated in the card, the card stays on screen.
    const tokens = (await (await page.request.get('/api/tokens')).json()) as { id: string; label: string }[];
    const family = tokens.find((token) => token.label === 'Family read-only')!;
    const purpose = 'Watching the family portfolios and prices for the quarterly review with the accountant';
    expect((await page.request.patch(`/api/tokens/${family.id}`, { data: { purpose } })).ok()).toBe(true);
    await page.goto('/tokens');
    await expect(page.getByRole('table')).toBeHidden();
    await expect(page.getByRole('listitem', { name: 'Family read-only' })).toContainText('Read-only');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
  });
});
