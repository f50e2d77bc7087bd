// Prices on one scale: a bond (quoted by T-Invest in % of nominal in market data, in roubles in the
// portfolio) shows the same price at first render, after live ticks and after a reconnect; prices have
// the instrument's digits, amounts the currency's, and the account's own roubles have no price.
import type { Page } from '@playwright/test';
import { buildDefaultScenario, DEMO_ACCOUNTS, DEMO_TOKENS } from '../../emulator/tinvest/default-scenario';
import { EMULATOR_ADMIN_URL } from '../playwright.config';
import { expect, recordApiResponse, signIn, OWNER, test } from './support';

test.describe.configure({ mode: 'serial' });

const masked = (value: string) => `${value.slice(0, 4)}…${value.slice(-4)}`;
/** `91.08% · RUB 910.80`: the quote, then roubles per bond with kopecks. */
const BOND_PRICE = /^(\d+\.\d{2,3})% · RUB ([\d,]+\.\d{2})$/;
const number = (text: string) => Number(text.replace(/,/g, ''));
const clean = (text: string | null) => (text ?? '').replace(/[\u00a0\u202f]/g, ' ').trim();

async function readonlyTokenId(page: Page): Promise<string> {
  const tokens = (await (await recordApiResponse(await page.request.get('/api/tokens'))).json()) as { id: string; masked: string; status: string }[];
  const known = tokens.find((token) => token.masked === masked(DEMO_TOKENS.readonly) && token.status !== 'retired' && token.status !== 'invalid');
  if (known) return known.id;
  const response = await recordApiResponse(await page.request.post('/api/tokens', { data: { label: 'Prices read-only', value: DEMO_TOKENS.readonly, endpoint: { kind: 'production' } } }));
  expect([200, 201]).toContain(response.status());
  return ((await response.json()) as { token: { id: string } }).token.id;
}

/** From the first parsed HTML on, every text each live price shows, by topic. */
async function recordLivePrices(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const w = window as unknown as { __prices: Record<string, string[]> };
    w.__prices = {};
    const take = () => {
      for (const el of document.querySelectorAll('[data-live-price]')) {
        const topic = el.getAttribute('data-live-price')!;
        const seen = (w.__prices[topic] ??= []);
        const text = el.textContent ?? '';
        if (seen.at(-1) !== text) seen.push(text);
      }
    };
    document.addEventListener('DOMContentLoaded', () => {
      take();
      new MutationObserver(take).observe(document.body, { subtree: true, childList: true, characterData: true });
    });
  });
}

const seenPrices = async (page: Page, topic: string) => (await page.evaluate((t) => (window as unknown as { __prices: Record<string, string[]> }).__prices[t] ?? [], topic)).map(clean);

/** Each text is a bond price whose roubles are ten times the percent (nominal 1,000) and near the first render's. */
function expectConsistentBondPrices(texts: string[]): void {
  expect(texts.length).toBeGreaterThan(0);
  const first = BOND_PRICE.exec(texts[0]!);
  expect(first, texts[0]).not.toBeNull();
  const firstMoney = number(first![2]!);
  for (const text of texts) {
    const match = BOND_PRICE.exec(text);
    expect(match, text).not.toBeNull();
    const [percent, money] = [number(match![1]!), number(match![2]!)];
    expect(Math.abs(money - percent * 10), text).toBeLessThan(0.01);
    expect(money / firstMoney, text).toBeGreaterThan(0.95);
    expect(money / firstMoney, text).toBeLessThan(1.05);
  }
}

test('a bond keeps one price on the account page: first render, live ticks, reconnect', async ({ page }) => {
  await recordLivePrices(page);
  await signIn(page, OWNER.email, OWNER.password);
  const tokenId = await readonlyTokenId(page);
  await page.goto(`/accounts/${tokenId}/${DEMO_ACCOUNTS.broker}`);
  const positions = page.getByRole('region', { name: 'Positions' });
  const bonds = positions.locator('tr[data-instrument-type="bond"]');
  await expect(bonds.first()).toBeVisible();
  const bond = bonds.first();
  const price = bond.locator('[data-live-price]');
  const topic = (await price.getAttribute('data-live-price'))!;
  // The stream has delivered the bond's last price (in % of nominal) and it is shown converted.
  await expect(price).toHaveAttribute('data-live-source', 'stream', { timeout: 20_000 });
  expectConsistentBondPrices(await seenPrices(page, topic));

  // Value = quantity × (price + accrued interest): next to quantity × the shown roubles, not ten times off.
  const cells = bond.locator('td');
  const quantity = number(clean(await cells.nth(2).textContent()));
  const money = number(BOND_PRICE.exec(clean(await price.textContent()))![2]!);
  const value = number(clean(await cells.nth(6).textContent()).replace(/^RUB /, ''));
  expect(value / (quantity * money)).toBeGreaterThan(0.98);
  expect(value / (quantity * money)).toBeLessThan(1.05);
  expect(clean(await cells.nth(4).textContent())).toMatch(/^RUB [\d,]+\.\d{2}$/);

  // A reconnect must not flip the bond back to another scale.
  await expect(page.locator('[data-connection]')).toHaveAttribute('data-connection', 'live', { timeout: 20_000 });
  expect((await fetch(`${EMULATOR_ADMIN_URL}/faults/drop-all-streams`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).ok).toBe(true);
  await page.waitForTimeout(3_000);
  await expect(page.locator('[data-connection]')).toHaveAttribute('data-connection', 'live', { timeout: 30_000 });
  await page.waitForTimeout(1_500);
  expectConsistentBondPrices(await seenPrices(page, topic));
});

test('prices have the instrument digits, amounts the currency minor unit, the rouble position no price', async ({ page }) => {
  await recordLivePrices(page);
  await signIn(page, OWNER.email, OWNER.password);
  const tokenId = await readonlyTokenId(page);
  await page.goto(`/accounts/${tokenId}/${DEMO_ACCOUNTS.broker}`);
  const positions = page.getByRole('region', { name: 'Positions' });
  await expect(page.locator('[data-connection]')).toHaveAttribute('data-connection', 'live', { timeout: 20_000 });
  await page.waitForTimeout(3_000);

  // SBER: bought at several prices, its average has nine decimals upstream; shown to the kopeck.
  const sber = positions.locator('tr[data-ticker="SBER"]');
  expect(clean(await sber.locator('td').nth(4).textContent())).toMatch(/^RUB [\d,]+\.\d{2}$/);
  for (const text of await seenPrices(page, (await sber.locator('[data-live-price]').getAttribute('data-live-price'))!)) expect(text).toMatch(/^RUB [\d,]+\.\d{2}$/);

  // The dollar (step 0.0025) always with four decimals, never switching width.
  const usd = positions.locator('tr[data-ticker="USD000UTSTOM"]');
  if ((await usd.count()) > 0) {
    for (const text of await seenPrices(page, (await usd.locator('[data-live-price]').getAttribute('data-live-price'))!)) expect(text).toMatch(/^RUB [\d,]+\.\d{4}$/);
  }

  // The account's roubles as a position: no price, nothing live, nothing flashing.
  const rub = positions.locator('tr[data-ticker="RUB000UTSTOM"]');
  await expect(rub).toHaveAttribute('data-cash-like', 'true');
  await expect(rub.locator('[data-live-price]')).toHaveCount(0);
  expect(clean(await rub.locator('td').nth(5).textContent())).toBe('—');

  // Every cash amount to the cent.
  const cash = page.getByRole('region', { name: 'Cash' });
  for (const text of await cash.locator('tbody td').allTextContents()) expect(clean(text)).toMatch(/^(RUB|\$|USD|CNY|CN¥|€)\s?[\d,]+\.\d{2}$/);
});

test('a bond instrument page quotes in percent and roubles, in the last price and the order book', async ({ page }) => {
  await recordLivePrices(page);
  await signIn(page, OWNER.email, OWNER.password);
  const tokenId = await readonlyTokenId(page);
  await page.goto(`/accounts/${tokenId}/${DEMO_ACCOUNTS.broker}`);
  const link = page.getByRole('region', { name: 'Positions' }).locator('tr[data-instrument-type="bond"] a').first();
  await link.click();
  await expect(page).toHaveURL(/\/instruments\//);
  const last = page.getByTestId('last-price').locator('[data-live-price]');
  await expect(last).toHaveAttribute('data-live-source', 'stream', { timeout: 20_000 });
  expectConsistentBondPrices(await seenPrices(page, (await last.getAttribute('data-live-price'))!));
  const book = page.getByTestId('order-book');
  await expect(book).toBeVisible();
  for (const text of (await book.locator('tbody td:first-child').allTextContents()).slice(0, 4)) expect(clean(text)).toMatch(BOND_PRICE);
});

test('a future is quoted in points and priced in roubles: points / step × step value', async ({ page }) => {
  await recordLivePrices(page);
  await signIn(page, OWNER.email, OWNER.password);
  const tokenId = await readonlyTokenId(page);
  const future = buildDefaultScenario().instruments.find((i) => i.kind === 'futures')!;
  await page.goto(`/instruments/${future.uid}?token=${tokenId}`);
  const last = page.getByTestId('last-price').locator('[data-live-price]');
  await expect(last).toHaveAttribute('data-live-source', 'stream', { timeout: 20_000 });
  const FUTURE_PRICE = /^([\d,]+\.\d{2}) pt · RUB ([\d,]+\.\d{2})$/;
  const texts = await seenPrices(page, (await last.getAttribute('data-live-price'))!);
  expect(texts.length).toBeGreaterThan(0);
  for (const text of texts) {
    const match = FUTURE_PRICE.exec(text);
    expect(match, text).not.toBeNull();
    // RIH7: one 10-point step is worth 7.53 roubles.
    expect(Math.abs(number(match![2]!) - (number(match![1]!) / 10) * 7.53), text).toBeLessThan(0.01);
  }
  for (const text of (await page.getByTestId('order-book').locator('tbody td:first-child').allTextContents()).slice(0, 4)) expect(clean(text)).toMatch(FUTURE_PRICE);
});
