// The language switch changes the UI text, is remembered on the account, and reaches error messages.
import { expect, test } from '@playwright/test';
import { OWNER, signIn } from './support';

test('switching to Russian translates the UI and is remembered per user', async ({ page, browser }) => {
  await signIn(page, OWNER.email, OWNER.password);
  await expect(page.getByRole('heading', { level: 1, name: 'Overview' })).toBeVisible();
  await page.getByRole('banner').getByLabel('Language').selectOption('ru');
  await expect(page.getByRole('heading', { level: 1, name: 'Обзор' })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'ru');
  await expect(page.getByRole('navigation', { name: 'Основное меню' }).getByRole('link', { name: 'Команда' })).toBeVisible();

  // Saved on the account: a new browser without the cookie gets Russian after signing in.
  const other = await browser.newContext({ locale: 'en-US' });
  const second = await other.newPage();
  await second.goto('/login');
  await expect(second.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await second.getByLabel('Email').fill(OWNER.email);
  await second.getByLabel('Password', { exact: true }).fill(OWNER.password);
  await second.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(second.getByRole('heading', { level: 1, name: 'Обзор' })).toBeVisible();
  // Server messages follow the language too.
  const refused = await second.request.put('/api/team/members/00000000-0000-4000-8000-000000000000/role', { data: { role: 'member' } });
  expect(((await refused.json()) as { error: { message: string } }).error.message).toBe('Этого участника больше нет.');
  await other.close();

  await page.goto('/account');
  await expect(page.getByRole('heading', { level: 1, name: 'Учётная запись' })).toBeVisible();
  await page.getByLabel('English').check();
  await expect(page.getByRole('heading', { level: 1, name: 'Account' })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
});

test('signed out, the switcher on the sign-in page works from the cookie alone', async ({ page }) => {
  await page.goto('/login');
  await page.getByLabel('Language').selectOption('ru');
  await expect(page.getByRole('heading', { name: 'Вход' })).toBeVisible();
  await page.getByLabel('Электронная почта').fill(OWNER.email);
  await page.getByLabel('Пароль', { exact: true }).fill('wrong password');
  await page.getByRole('button', { name: 'Войти', exact: true }).click();
  await expect(page.getByRole('main').getByRole('alert')).toHaveText('Неверный адрес почты или пароль.');
});
