// The Business pages against the T-API emulator: the owner deposits the demo H2H tokens (or finds
// them from spec 14: a duplicate answers with the stored entry), sees the company and the accounts
// with exact balances, a token without company-info named by the access template that would grant
// it, pages a statement by T-API's cursor, filters it, exports it as CSV, reads it in Russian, and
// nothing overflows at 375 px.
import type { Page } from '@playwright/test';
import { DEMO_TAPI_ACCOUNTS, DEMO_TAPI_COMPANY, DEMO_TAPI_TOKENS } from '../../emulator/tapi/default-scenario';
import { BASE_URL } from '../playwright.config';
import { expect, OWNER, recordApiResponse, signIn, test } from './support';

const { inn: INN, kpp: KPP } = DEMO_TAPI_COMPANY;
const ACCESSES = ['company-info/get', 'bank-accounts/get', 'bank-statements/get'].map((scope) => `opensme/inn/[${INN}]/kpp/[${KPP}]/${scope}`);

/** Deposits an H2H token through the API (verified live at the emulator); a value stored before answers with its entry. */
async function deposit(page: Page, value: string, label: string): Promise<string> {
  const response = await recordApiResponse(await page.request.post('/api/tokens/tapi', { data: { label, value, ipAllowlist: ['127.0.0.1', '::1'], accesses: ACCESSES }, headers: { origin: BASE_URL } }));
  expect([200, 201], await response.text()).toContain(response.status());
  return ((await response.json()) as { token: { id: string } }).token.id;
}

async function noOverflowAt375(page: Page, paths: string[]) {
  await page.setViewportSize({ width: 375, height: 800 });
  for (const path of paths) {
    await page.goto(path);
    expect(await page.evaluate(() => document.documentElement.scrollWidth), path).toBeLessThanOrEqual(375);
  }
}

test('company, accounts, a missing access by its template, a paged and filtered statement, its CSV', async ({ page }) => {
  await signIn(page, OWNER.email, OWNER.password);
  const full = await deposit(page, DEMO_TAPI_TOKENS.fullAccess, 'Severnaya H2H');
  const statementsOnly = await deposit(page, DEMO_TAPI_TOKENS.statements, 'Severnaya statements');

  await page.getByRole('navigation').getByRole('link', { name: 'Business' }).click();
  await expect(page).toHaveURL(/\/business$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Business' })).toBeVisible();

  const company = page.locator(`[data-token-id="${full}"]`);
  await expect(company.getByRole('heading', { level: 2 })).toHaveText('ООО "СЕВЕРНАЯ МАНУФАКТУРА"');
  await expect(company).toContainText(INN);
  await expect(company).toContainText(KPP);
  // Exact kopecks, in the account's currency: the overnight account has no operations.
  await expect(company.getByRole('listitem', { name: 'Овернайт' }).locator('[data-balance="available"]')).toHaveText('RUB 987,654,321.09');
  await expect(company.getByRole('listitem', { name: 'Валютный счёт CNY' }).locator('[data-balance="available"]')).toContainText('CN¥');

  // The statements-only token: no company-info, so the access that would grant it, by template; its accounts still show.
  const partial = page.locator(`[data-token-id="${statementsOnly}"]`);
  await expect(partial.getByRole('alert').or(partial.getByRole('status')).first()).toContainText('The token lacks an access.');
  await expect(partial.locator('[data-access]')).toHaveText(`Access needed: opensme/inn/${INN}/kpp/${KPP}/company-info/get`);
  await expect(partial.getByRole('listitem', { name: 'Основной счёт' })).toBeVisible();

  // The statement of the main account: 100 operations a page, paged by T-API's cursor.
  await company.getByRole('listitem', { name: 'Основной счёт' }).getByRole('link', { name: 'Statement' }).click();
  await expect(page).toHaveURL(new RegExp(`/business/${full}/${DEMO_TAPI_ACCOUNTS.main}$`));
  const rows = page.getByTestId('statement-table').locator('tbody tr');
  await expect(rows).toHaveCount(100);
  const firstId = await rows.first().getAttribute('data-operation-id');
  await page.getByRole('link', { name: 'Next page' }).click();
  await expect(page).toHaveURL(/[?&]c=/);
  await expect(rows).toHaveCount(100);
  expect(await rows.first().getAttribute('data-operation-id')).not.toBe(firstId);
  await page.getByRole('link', { name: 'First page' }).click();
  await expect(rows.first()).toHaveAttribute('data-operation-id', firstId!);

  // Debits only (the Cyrillic «Сredit» is folded by the client, so it never shows as a debit).
  await page.getByLabel('Direction').selectOption('debit');
  await page.getByRole('button', { name: 'Apply' }).click();
  await expect(page).toHaveURL(/direction=debit/);
  await expect(rows.first()).toBeVisible();
  const directions = await rows.evaluateAll((elements) => elements.map((element) => element.getAttribute('data-direction')));
  expect(new Set(directions)).toEqual(new Set(['debit']));

  // The CSV of the same filter: every page, exact amounts, the first row the same operation as on screen.
  const href = await page.getByRole('link', { name: 'Export CSV' }).getAttribute('href');
  expect(href).toContain('direction=debit');
  const csv = await recordApiResponse(await page.request.get(href!));
  expect(csv.status()).toBe(200);
  expect(csv.headers()['content-type']).toContain('text/csv');
  const text = (await csv.body()).toString('utf8');
  expect(text.startsWith('\uFEFFoperation_id,date,status,direction,amount,currency')).toBe(true);
  const lines = text.trimEnd().split('\r\n').slice(1);
  expect(lines.length).toBeGreaterThan(directions.length);
  const [id, , , direction, amount] = lines[0]!.split(',');
  expect(direction).toBe('debit');
  expect(amount).toMatch(/^\d+(\.\d{1,2})?$/);
  expect(id).toBe(await rows.first().getAttribute('data-operation-id'));
  expect(`-${amount}`).toBe(await rows.first().locator('[data-amount]').getAttribute('data-amount'));
  expect(text).not.toContain(DEMO_TAPI_TOKENS.fullAccess);

  // In Russian.
  expect((await page.request.put('/api/account/locale', { data: { locale: 'ru' }, headers: { origin: BASE_URL } })).status()).toBe(200);
  await page.goto('/business');
  await expect(page.getByRole('heading', { level: 1, name: 'Бизнес' })).toBeVisible();
  await expect(page.locator(`[data-token-id="${statementsOnly}"]`)).toContainText('У токена нет нужного доступа.');
  await expect(page.locator(`[data-token-id="${full}"]`).getByRole('listitem', { name: 'Овернайт' }).locator('[data-balance="available"]')).toContainText('987 654 321,09');
  expect((await page.request.put('/api/account/locale', { data: { locale: 'en' }, headers: { origin: BASE_URL } })).status()).toBe(200);

  await noOverflowAt375(page, ['/business', `/business/${full}/${DEMO_TAPI_ACCOUNTS.main}`]);
});
