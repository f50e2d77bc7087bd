// Portfolios against the T-Invest emulator: overview totals, an account's positions, operations
// paging and filtering, an instrument's chart, the sandbox flow, and a member seeing only the
// accounts granted to them. Runs after the token specs; deposits its own tokens when none exist.
import type { Page } from '@playwright/test';
import { DEMO_ACCOUNTS, DEMO_TOKENS } from '../../emulator/tinvest/default-scenario';
import { expect, inviteWithTemporaryPassword, MEMBER, OWNER, recordApiResponse, replaceTemporaryPassword, signIn, test } from './support';

const SBER = 'e6123145-9665-43e0-8413-cd61b8aa9b13';
const masked = (value: string) => `${value.slice(0, 4)}…${value.slice(-4)}`;

/** Marks the current document; `stillSameDocument` is true until a full load replaces it (client-side navigations and refreshes keep it). */
const markDocument = (page: Page) => page.evaluate(() => ((window as unknown as { __samePage: boolean }).__samePage = true));
const stillSameDocument = (page: Page) => page.evaluate(() => (window as unknown as { __samePage?: boolean }).__samePage === true);

type TokenRow = { id: string; kind: string; masked: string; status: string; accounts: { id: string }[] };

/** The id of a token with this value, deposited now if the earlier specs did not. */
async function ensureToken(page: Page, value: string, label: string, endpoint: 'production' | 'sandbox' = 'production'): Promise<string> {
  const tokens = (await (await recordApiResponse(await page.request.get('/api/tokens'))).json()) as TokenRow[];
  const known = tokens.find((token) => token.masked === masked(value) && token.status !== 'retired' && token.status !== 'invalid');
  if (known) return known.id;
  const response = await recordApiResponse(await page.request.post('/api/tokens', { data: { label, value, endpoint: { kind: endpoint } } }));
  expect([200, 201]).toContain(response.status());
  return ((await response.json()) as { token: { id: string } }).token.id;
}

test('the overview totals the accounts and links to each', async ({ page }) => {
  await signIn(page, OWNER.email, OWNER.password);
  await ensureToken(page, DEMO_TOKENS.readonly, 'Portfolio read-only');
  await page.goto('/overview');
  const totals = page.getByTestId('overview-totals');
  await expect(totals.getByText('Total value')).toBeVisible();
  await expect(totals).toContainText('RUB');
  await expect(page.getByRole('heading', { name: 'By instrument type' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'By currency' }).first()).toBeVisible();
  const accounts = page.getByRole('region', { name: 'Accounts' });
  await expect(accounts.locator(`tr[data-account-id="${DEMO_ACCOUNTS.broker}"]`).first()).toBeVisible();
  await expect(accounts.locator(`tr[data-account-id="${DEMO_ACCOUNTS.closed}"]`).first()).toContainText('Closed');
});

test('an account page lists positions with live prices and cash', async ({ page }) => {
  await signIn(page, OWNER.email, OWNER.password);
  const tokenId = await ensureToken(page, DEMO_TOKENS.readonly, 'Portfolio read-only');
  await page.goto(`/accounts/${tokenId}/${DEMO_ACCOUNTS.broker}`);
  const positions = page.getByRole('region', { name: 'Positions' });
  const sber = positions.locator('tr[data-ticker="SBER"]');
  await expect(sber).toContainText('Сбер Банк');
  await expect(sber.locator(`[data-live-price="lastPrice:${SBER}"]`)).toContainText('RUB');
  // The demo holds one lot of SBER blocked: the note shows under the quantity, and only where there is one.
  await expect(sber.getByText('10 blocked')).toBeVisible();
  await expect(positions.getByText(/ blocked$/)).toHaveCount(1);
  await expect(page.getByRole('region', { name: 'Cash' })).toContainText('USD');
});

test('links prefetch a page when reached for, not when they scroll into view, and still navigate client-side', async ({ page }) => {
  await signIn(page, OWNER.email, OWNER.password);
  const tokenId = await ensureToken(page, DEMO_TOKENS.readonly, 'Portfolio read-only');
  const prefetches: string[] = [];
  page.on('request', (request) => {
    if (request.headers()['next-router-prefetch']) prefetches.push(request.url());
  });
  await page.goto(`/accounts/${tokenId}/${DEMO_ACCOUNTS.broker}`);
  const sber = page.getByRole('region', { name: 'Positions' }).locator('tr[data-ticker="SBER"]').getByRole('link');
  await expect(sber).toBeVisible();
  // Next's own links would have asked for every position's page and every navigation item by now.
  await page.waitForTimeout(1_500);
  expect(prefetches).toEqual([]);
  await markDocument(page);
  const prefetched = page.waitForRequest((request) => Boolean(request.headers()['next-router-prefetch']) && request.url().includes(`/instruments/${SBER}`));
  await sber.hover();
  await prefetched;
  expect(prefetches.every((url) => url.includes(`/instruments/${SBER}`))).toBe(true);
  await sber.click();
  await expect(page).toHaveURL(new RegExp(`/instruments/${SBER}\\?token=${tokenId}`));
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Сбер');
  expect(await stillSameDocument(page)).toBe(true);
});

test('operations page by cursor and filter by type', async ({ page }) => {
  await signIn(page, OWNER.email, OWNER.password);
  const tokenId = await ensureToken(page, DEMO_TOKENS.readonly, 'Portfolio read-only');
  await page.goto(`/operations?token=${tokenId}&account=${DEMO_ACCOUNTS.broker}`);
  const rows = page.getByTestId('operations-table').locator('tbody tr');
  await expect(rows).toHaveCount(25);
  const firstId = await rows.first().textContent();
  await page.getByRole('link', { name: 'Older operations' }).click();
  await expect(page).toHaveURL(/cursor=/);
  await expect(rows.first()).not.toHaveText(firstId!);
  await page.getByRole('link', { name: 'Newest operations' }).click();
  await page.getByRole('checkbox', { name: 'Buy', exact: true }).check();
  await page.getByRole('button', { name: 'Apply' }).click();
  await expect(page).toHaveURL(/type=buy/);
  await expect(rows.first()).toBeVisible();
  expect(await rows.evaluateAll((trs) => trs.every((tr) => tr.getAttribute('data-operation-type') === 'buy'))).toBe(true);
  // Every demo trade carries its broker fee: the table shows it, as the API and CSV do.
  await expect(rows.first().locator('[data-commission]')).toContainText(/RUB\s[\d,]+\.\d{2}/);
  // At 375 px each operation is a card with nothing cut off, commission included, and the page does not scroll sideways.
  await page.setViewportSize({ width: 375, height: 740 });
  const cards = page.getByTestId('operations-cards').locator('li');
  await expect(page.getByTestId('operations-table')).toBeHidden();
  await expect(cards.first()).toContainText('Commission');
  await expect(cards.first()).toContainText('Price');
  expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);
  const csv = await recordApiResponse(await page.request.get(`/api/operations/csv?token=${tokenId}&account=${DEMO_ACCOUNTS.broker}&type=buy`));
  expect(csv.status()).toBe(200);
  expect(csv.headers()['content-type']).toContain('text/csv');
  expect((await csv.text()).split('\r\n').slice(1, -1).every((line) => line.split(',')[1] === 'buy')).toBe(true);
  // An operation's instrument is a plain anchor in a server-rendered list; following it stays a client-side navigation.
  await markDocument(page);
  const instrument = cards.first().locator('a[href^="/instruments/"]');
  const href = (await instrument.getAttribute('href'))!;
  await instrument.click();
  await page.waitForURL((url) => `${url.pathname}${url.search}` === href);
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  expect(await stillSameDocument(page)).toBe(true);
});

test('an instrument page shows the chart, last price and order book', async ({ page }) => {
  await signIn(page, OWNER.email, OWNER.password);
  await ensureToken(page, DEMO_TOKENS.readonly, 'Portfolio read-only');
  await page.goto(`/instruments/${SBER}`);
  await expect(page.getByRole('heading', { level: 1 })).toContainText('SBER');
  const chart = page.getByTestId('candles-chart');
  await expect(chart.locator('canvas').first()).toBeVisible();
  expect(Number(await chart.getAttribute('data-candles'))).toBeGreaterThan(0);
  await expect(page.getByRole('link', { name: 'Charts by TradingView' })).toHaveAttribute('href', 'https://www.tradingview.com/');
  await expect(page.getByTestId('last-price')).toContainText('RUB');
  await expect(page.getByTestId('order-book')).toBeVisible();
  await page.getByRole('button', { name: '1 hour' }).click();
  await expect(page.getByRole('button', { name: '1 hour' })).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByText('The candles could not be loaded.')).toHaveCount(0);
});

test('the sandbox flow opens an account, pays in, buys and shows the position', async ({ page }) => {
  await signIn(page, OWNER.email, OWNER.password);
  const tokenId = await ensureToken(page, DEMO_TOKENS.sandbox, 'Portfolio sandbox', 'sandbox');
  await page.goto(`/sandbox?token=${tokenId}`);
  const before = await page.locator('section[data-account-id]').count();
  await page.getByLabel('Account name (optional)').fill('e2e practice');
  await page.getByRole('button', { name: 'Open a sandbox account' }).click();
  await expect(page.getByText('Sandbox account opened.')).toBeVisible();
  await expect(page.locator('section[data-account-id]')).toHaveCount(before + 1);
  const account = page.locator('section[data-account-id]').filter({ hasText: 'e2e practice' });
  const payIn = account.getByRole('form', { name: 'Pay in' });
  await payIn.getByLabel('Amount in roubles').fill('250000');
  await payIn.getByRole('button', { name: 'Pay in' }).click();
  await expect(payIn.getByText(/Paid in/)).toBeVisible();
  const order = account.getByRole('form', { name: 'Market order' });
  await order.getByLabel('Instrument').selectOption(SBER);
  await order.getByLabel('Lots').fill('3');
  await order.getByRole('button', { name: 'Place order' }).click();
  // The answer says what the order cost: execution price, total and commission from the server.
  await expect(order.getByText(/3 lots executed at RUB\s[\d,]+\.\d{2,9}; total RUB\s[\d,]+\.\d{2}, commission RUB\s[\d,]+\.\d{2}\./)).toBeVisible();
  await expect(account.locator('tr[data-ticker="SBER"]')).toContainText('30');
});

test('a trade reaches an open account page through PositionsStream, without a reload', async ({ page }) => {
  await signIn(page, OWNER.email, OWNER.password);
  const token = await ensureToken(page, DEMO_TOKENS.sandbox, 'Portfolio sandbox', 'sandbox');
  const opened = await recordApiResponse(await page.request.post('/api/sandbox/accounts', { data: { token, name: 'e2e live positions' } }));
  expect(opened.ok()).toBe(true);
  const account = ((await opened.json()) as { accountId: string }).accountId;
  expect((await page.request.post('/api/sandbox/pay-in', { data: { token, account, amount: '500000' } })).ok()).toBe(true);
  const buy = (lots: number) => page.request.post('/api/sandbox/orders', { data: { token, account, instrument: SBER, direction: 'buy', lots } });
  expect((await buy(1)).ok()).toBe(true);
  // The inventory learns a token's accounts when it is verified: the new sandbox account becomes viewable.
  expect((await recordApiResponse(await page.request.post(`/api/tokens/${token}/verify`))).ok()).toBe(true);

  await page.goto(`/accounts/${token}/${account}`);
  const quantity = page.locator('tr[data-ticker="SBER"] td').nth(2);
  await expect(quantity).toHaveText('10');
  await expect(page.locator('[data-connection="live"]')).toBeVisible({ timeout: 15_000 });
  // A soft refresh keeps this; a reload would lose it.
  await markDocument(page);
  expect((await buy(2)).ok()).toBe(true);
  await expect(quantity).toHaveText('30', { timeout: 15_000 });
  expect(await stillSameDocument(page)).toBe(true);
});

test('a member sees only the accounts granted to them', async ({ page, browser }) => {
  await signIn(page, OWNER.email, OWNER.password);
  const tokenId = await ensureToken(page, DEMO_TOKENS.readonly, 'Portfolio read-only');
  const team = (await (await recordApiResponse(await page.request.get('/api/team'))).json()) as { members: { id: string; email: string }[] };
  let memberId = team.members.find((person) => person.email === MEMBER.email)?.id;
  let temporary: string | null = null;
  if (!memberId) {
    // The token specs create this member; run alone, this spec makes its own.
    temporary = await inviteWithTemporaryPassword(page.request, { name: MEMBER.name, email: MEMBER.email, role: 'member' });
    const again = (await (await recordApiResponse(await page.request.get('/api/team'))).json()) as { members: { id: string; email: string }[] };
    memberId = again.members.find((person) => person.email === MEMBER.email)!.id;
  }
  const granted = await recordApiResponse(await page.request.put(`/api/tokens/${tokenId}/grants/${memberId}`, { data: { accountIds: [DEMO_ACCOUNTS.iis] } }));
  expect(granted.status()).toBe(200);

  const context = await browser.newContext();
  const member = await context.newPage();
  if (temporary) {
    await signIn(member, MEMBER.email, temporary, /\/account\/password$/);
    await replaceTemporaryPassword(member, temporary, MEMBER.password);
  } else {
    await signIn(member, MEMBER.email, MEMBER.password);
  }
  const visible = ((await (await recordApiResponse(await member.request.get('/api/tokens'))).json()) as TokenRow[])
    .filter((token) => token.kind !== 'sandbox' && ['active', 'expiring'].includes(token.status))
    .flatMap((token) => token.accounts.map((account) => account.id));
  await member.goto('/overview');
  const rows = member.getByRole('region', { name: 'Accounts' }).locator('tr[data-account-id]');
  await expect(rows.first()).toBeVisible();
  const shown = await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-account-id')));
  expect([...shown].sort()).toEqual([...visible].sort());
  expect(shown).toContain(DEMO_ACCOUNTS.iis);
  // The read-only token's broker account is not granted: its page says so, and the API answers 404.
  await member.goto(`/accounts/${tokenId}/${DEMO_ACCOUNTS.broker}`);
  await expect(member.locator('[data-failure="not_found"]')).toBeVisible();
  expect((await recordApiResponse(await member.request.get(`/api/portfolio/${tokenId}/${DEMO_ACCOUNTS.broker}`))).status()).toBe(404);
  await context.close();
});
