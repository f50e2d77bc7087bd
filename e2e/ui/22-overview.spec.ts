// The overview reconciles: on the demo data, with two tokens reaching the same accounts, every section
// (accounts table, the three allocations, the currency table) adds up to the total card to the kopeck,
// the allocations' percentages to 100, and each account is one row. Deposits its own tokens if needed.
import type { Page } from '@playwright/test';
import { DEMO_ACCOUNTS, DEMO_TOKENS } from '../../emulator/tinvest/default-scenario';
import { expect, OWNER, recordApiResponse, signIn, test } from './support';

const masked = (value: string) => `${value.slice(0, 4)}…${value.slice(-4)}`;

async function ensureToken(page: Page, value: string, label: string): Promise<void> {
  const tokens = (await (await recordApiResponse(await page.request.get('/api/tokens'))).json()) as { masked: string; status: string }[];
  if (tokens.some((token) => token.masked === masked(value) && token.status !== 'retired' && token.status !== 'invalid')) return;
  const response = await recordApiResponse(await page.request.post('/api/tokens', { data: { label, value, endpoint: { kind: 'production' } } }));
  expect([200, 201]).toContain(response.status());
}

/** An exact decimal in kopecks; a value that is not a whole number of kopecks fails the test. */
function kopecks(text: string | null): bigint {
  const match = /^(-?)(\d+)(?:\.(\d{1,2}))?$/.exec(text ?? '');
  if (!match) throw new Error(`Not an amount in whole kopecks: ${text}`);
  const value = BigInt(match[2]!) * 100n + BigInt((match[3] ?? '').padEnd(2, '0'));
  return match[1] ? -value : value;
}

const sum = (values: (string | null)[]) => values.reduce((total, value) => total + kopecks(value), 0n);

test('every section of the overview adds up to the total, to the kopeck, with each account once', async ({ page }) => {
  await signIn(page, OWNER.email, OWNER.password);
  // Two tokens of one person reach the same demo accounts.
  await ensureToken(page, DEMO_TOKENS.readonly, 'Portfolio read-only');
  await ensureToken(page, DEMO_TOKENS.fullAccess, 'Portfolio full access');
  await page.goto('/overview');
  await expect(page.getByTestId('overview-total')).toBeVisible();

  // One read of the page: a live refresh swaps the whole snapshot, so sections are read together.
  const snapshot = await page.evaluate(() => {
    const rub = (root: Element | null, selector: string) => [...(root?.querySelectorAll(selector) ?? [])].map((el) => el.getAttribute('data-rub'));
    // An allocation card is labelled by its heading, whose id comes from its title.
    const slices = (id: string) => [...document.querySelectorAll(`section[aria-labelledby="${id}"] li[data-slice]`)].map((li) => ({ rub: li.getAttribute('data-rub'), percent: li.getAttribute('data-percent') }));
    const accounts = document.querySelector('[data-testid="overview-accounts"]');
    return {
      total: document.querySelector('[data-testid="overview-total"]')?.getAttribute('data-rub') ?? null,
      totalText: document.querySelector('[data-testid="overview-total"]')?.textContent ?? '',
      accountIds: [...(accounts?.querySelectorAll('tbody tr') ?? [])].map((tr) => tr.getAttribute('data-account-id')),
      accounts: rub(accounts, 'tbody td[data-rub]'),
      accountsFooter: accounts?.querySelector('tfoot td')?.textContent ?? '',
      currencies: rub(document.querySelector('[data-testid="overview-currencies"]'), 'tbody td[data-rub]'),
      currenciesFooter: document.querySelector('[data-testid="overview-currencies"] tfoot td')?.textContent ?? '',
      byType: slices('allocation-by-instrument-type'),
      byCurrency: slices('allocation-by-currency'),
      byAccount: slices('allocation-by-account'),
    };
  });

  const total = kopecks(snapshot.total);
  expect(total).toBeGreaterThan(0n);
  // Each account once, however many tokens reach it.
  expect(snapshot.accountIds).toEqual([...new Set(snapshot.accountIds)]);
  expect(snapshot.accountIds).toEqual(expect.arrayContaining([DEMO_ACCOUNTS.broker, DEMO_ACCOUNTS.iis]));
  // The accounts table and the currency table, in roubles, and their "Total" rows.
  expect(sum(snapshot.accounts)).toBe(total);
  expect(sum(snapshot.currencies)).toBe(total);
  expect(snapshot.accountsFooter).toBe(snapshot.totalText);
  expect(snapshot.currenciesFooter).toBe(snapshot.totalText);
  // The three allocations: amounts to the total, percentages to exactly 100.
  for (const slices of [snapshot.byType, snapshot.byCurrency, snapshot.byAccount]) {
    expect(slices.length).toBeGreaterThan(0);
    expect(sum(slices.map((slice) => slice.rub))).toBe(total);
    expect(sum(slices.map((slice) => slice.percent))).toBe(10_000n);
  }
  // The by-account allocation lists the same accounts the table values (a zero has no slice).
  expect(snapshot.byAccount).toHaveLength(snapshot.accounts.filter((value) => kopecks(value) !== 0n).length);
});

test("before Analytics built any history, the overview's analytics card says so and leads there", async ({ page }) => {
  await signIn(page, OWNER.email, OWNER.password);
  await page.goto('/overview');
  const card = page.locator('[data-analytics-card]');
  await expect(card).toContainText('has not been built yet');
  await expect(card.getByRole('link', { name: 'Open Analytics to build the history' })).toHaveAttribute('href', '/analytics?range=1Y');
  await expect(card.locator('[data-summary-figures]')).toHaveCount(0);
});
