// Analytics as an owner sees it: figures, the value chart, P&L, income and costs for the whole
// history and for a month; a CSV of the daily series; the benchmark line and its selector; a bad range is
// refused in words, not a 500.
import { expect, test } from '@playwright/test';
import { DEMO_ACCOUNTS } from '../../emulator/tinvest/default-scenario';
import { OWNER, signIn } from './support';

test('the whole history and a month: figures, chart, P&L, income, costs and the CSV agree', async ({ page }) => {
  test.setTimeout(180_000);
  await signIn(page, OWNER.email, OWNER.password);
  const response = await page.goto('/analytics?range=ALL');
  expect(response?.status()).toBe(200);
  await expect(page.getByRole('heading', { level: 1, name: 'Analytics' })).toBeVisible();
  await expect(page.locator('[data-figures]')).toBeVisible({ timeout: 120_000 });
  await expect(page.locator('path[data-series="value"]')).toHaveAttribute('d', /^M[\d.]+,[\d.]+(L[\d.]+,[\d.]+){10,}/);
  await expect(page.locator('[data-pnl-row]').first()).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Income by month' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Costs by month' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'All', exact: true })).toHaveAttribute('aria-current', 'page');

  await page.getByRole('link', { name: '1M', exact: true }).click();
  await expect(page).toHaveURL(/range=1M/);
  await expect(page.getByRole('link', { name: '1M', exact: true })).toHaveAttribute('aria-current', 'page');

  const csv = await page.request.get('/api/analytics/csv?range=1M');
  expect(csv.status()).toBe(200);
  const body = await csv.body();
  // A byte order mark first, so spreadsheet programs read UTF-8.
  expect([...body.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const lines = body.subarray(3).toString('utf8').trim().split('\n');
  expect(lines[0]).toBe('day,value_rub,flow_rub,net_contributions_rub,incomplete,benchmark_rub');
  expect(lines.length).toBeGreaterThan(25);
  for (const line of lines.slice(1)) expect(line).toMatch(/^\d{4}-\d{2}-\d{2},-?\d+(\.\d+)?,-?\d+(\.\d+)?,-?\d+(\.\d+)?,(true|false),-?\d+(\.\d+)?$/);
});

test('the benchmark: IMOEX drawn by default, another chosen in the form, none, and an unknown one as a note', async ({ page }) => {
  test.setTimeout(120_000);
  await signIn(page, OWNER.email, OWNER.password);
  await page.goto('/analytics?range=1M');
  await expect(page.locator('path[data-series="benchmark"]')).toHaveAttribute('d', /^M[\d.]+,[\d.]+(L[\d.]+,[\d.]+){10,}/, { timeout: 60_000 });
  await expect(page.locator('[data-legend="benchmark"]')).toHaveText('IMOEX, same deposits and withdrawals');

  const form = page.getByRole('form', { name: 'Benchmark' });
  await form.getByLabel('Or a ticker or instrument uid').fill('NOSUCHINDEX');
  await form.getByRole('button', { name: 'Compare' }).click();
  await expect(page).toHaveURL(/benchmarkOther=NOSUCHINDEX/);
  await expect(page).toHaveURL(/range=1M/);
  await expect(page.locator('[data-benchmark-status="not_found"]')).toContainText('NOSUCHINDEX');
  await expect(page.locator('path[data-series="benchmark"]')).toHaveCount(0);
  await expect(page.locator('[data-legend="benchmark"]')).toHaveCount(0);

  await page.getByRole('form', { name: 'Benchmark' }).getByLabel('Compare with').selectOption('none');
  await page.getByRole('form', { name: 'Benchmark' }).getByRole('button', { name: 'Compare' }).click();
  await expect(page).toHaveURL(/benchmark=none/);
  await expect(page.locator('[data-figures]')).toBeVisible();
  await expect(page.locator('[data-legend="benchmark"]')).toHaveCount(0);

  const api = await page.request.get('/api/analytics?range=1M&benchmark=IMOEX%3B1');
  expect(api.status()).toBe(422);
});

test('income and costs are charts with a summary; the overview and an account page show the card once Analytics built the history', async ({ page }) => {
  test.setTimeout(180_000);
  await signIn(page, OWNER.email, OWNER.password);
  await page.goto('/analytics?range=ALL');
  await expect(page.locator('[data-figures]')).toBeVisible({ timeout: 120_000 });
  const income = page.locator('[data-income-chart="RUB"] [role="img"]');
  await expect(income).toHaveAttribute('aria-label', /^Income in RUB over \d+ months: /);
  await expect(page.locator('[data-income-chart="RUB"] g[data-month] rect').first()).toBeAttached();
  await expect(page.locator('[data-costs-chart="RUB"] [role="img"]')).toHaveAttribute('aria-label', /^Costs in RUB over \d+ months: /);
  // The exact figures stay one click away.
  await page.locator('section[aria-labelledby="income-title"] summary').click();
  await expect(page.locator('section[aria-labelledby="income-title"] table')).toBeVisible();

  await page.goto('/overview');
  const card = page.locator('[data-analytics-card]');
  await expect(card.locator('[data-summary-figures]')).toBeVisible();
  await expect(card.locator('path[data-series="value"]')).toHaveAttribute('d', /^M[\d.]+,[\d.]+(L[\d.]+,[\d.]+){10,}/);
  await expect(card.getByRole('link', { name: '1Y', exact: true })).toHaveAttribute('aria-current', 'page');
  await card.getByRole('link', { name: '1M', exact: true }).click();
  await expect(page).toHaveURL(/\/overview\?range=1M$/);
  await expect(card.getByRole('link', { name: '1M', exact: true })).toHaveAttribute('aria-current', 'page');
  await expect(card.getByRole('link', { name: 'Full analytics' })).toHaveAttribute('href', '/analytics?range=1M');

  // An account's page: its card and its link are that account's alone.
  await page.locator(`[data-testid="overview-accounts"] a[href$="/${DEMO_ACCOUNTS.broker}"]`).first().click();
  const accountCard = page.locator('[data-analytics-card]');
  await expect(accountCard.locator('[data-summary-figures]')).toBeVisible();
  await expect(accountCard.getByRole('link', { name: 'Full analytics' })).toHaveAttribute('href', /^\/analytics\?range=1Y&accounts=[\w-]+%3A[\w-]+$/);
});

test('a malformed range is explained on the page and refused by the API with a field error', async ({ page }) => {
  await signIn(page, OWNER.email, OWNER.password);
  const response = await page.goto('/analytics?from=2024-02-30');
  expect(response?.status()).toBe(200);
  await expect(page.getByRole('alert').or(page.locator('[role="status"]')).filter({ hasText: 'Not a calendar day' })).toBeVisible();
  const api = await page.request.get('/api/analytics?from=2024-03-01&to=2024-02-01');
  expect(api.status()).toBe(422);
  expect(((await api.json()) as { error: { code: string } }).error.code).toBeTruthy();
});
