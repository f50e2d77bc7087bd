// The app shell: landmarks, skip link, aria-current, and a folding menu at 375px.
import { expect, test } from '@playwright/test';
import { OWNER, signIn } from './support';

test('landmarks, skip link and the current page are marked', async ({ page }) => {
  await signIn(page, OWNER.email, OWNER.password);
  await page.goto('/streams');
  await expect(page.getByRole('banner')).toBeVisible();
  await expect(page.getByRole('main')).toBeVisible();
  const nav = page.getByRole('navigation', { name: 'Main' });
  await expect(nav.getByRole('link', { name: 'Streams' })).toHaveAttribute('aria-current', 'page');
  await expect(nav.getByRole('link', { name: 'Overview' })).not.toHaveAttribute('aria-current', 'page');
  await page.keyboard.press('Tab');
  const skip = page.getByRole('link', { name: 'Skip to content' });
  await expect(skip).toBeFocused();
  await expect(skip).toBeVisible();
  await skip.press('Enter');
  await expect(page.getByRole('main')).toBeFocused();
});

test('every section without data says what it will hold', async ({ page }) => {
  await signIn(page, OWNER.email, OWNER.password);
  const expected: Record<string, string> = { '/overview': 'No accounts to summarise', '/tokens': 'No tokens deposited', '/streams': 'No live streams' };
  for (const [path, title] of Object.entries(expected)) {
    await page.goto(path);
    await expect(page.getByRole('heading', { level: 2, name: title })).toBeVisible();
  }
  // The audit log is never empty after setup: the first entry is the owner setting it up.
  await page.goto('/audit');
  await expect(page.getByRole('region', { name: 'Events' }).getByRole('listitem').last()).toContainText('Set up Strongroom as owner');
});

test('the icon set and web app manifest are served, so the dashboard can be pinned to a home screen', async ({ page, request }) => {
  await page.goto('/login');
  await expect(page.locator('link[rel="manifest"]')).toHaveAttribute('href', '/manifest.webmanifest');
  await expect(page.locator('link[rel="apple-touch-icon"]')).toHaveAttribute('href', '/apple-touch-icon.png');
  const manifest = await (await request.get('/manifest.webmanifest')).json();
  expect(manifest.name).toBe('Strongroom');
  for (const path of ['/favicon.ico', '/icon.svg', '/apple-touch-icon.png', ...manifest.icons.map((icon: { src: string }) => icon.src)]) {
    const response = await request.get(path);
    expect(response.status(), path).toBe(200);
    expect(response.headers()['content-type'], path).toMatch(/^image\//);
  }
});

test.describe('at 375px', () => {
  test.use({ viewport: { width: 375, height: 740 } });

  test('the navigation folds behind a Menu button and nothing overflows', async ({ page }) => {
    await signIn(page, OWNER.email, OWNER.password);
    const nav = page.getByRole('navigation', { name: 'Main' });
    await expect(nav).toBeHidden();
    const menu = page.getByRole('button', { name: 'Menu', exact: true });
    await expect(menu).toHaveAttribute('aria-expanded', 'false');
    await menu.click();
    await expect(nav).toBeVisible();
    await expect(page.getByRole('button', { name: 'Close menu' })).toHaveAttribute('aria-expanded', 'true');
    await page.keyboard.press('Escape');
    await expect(nav).toBeHidden();
    await expect(menu).toBeFocused();
    await menu.click();
    await nav.getByRole('link', { name: 'Team' }).click();
    await expect(page).toHaveURL(/\/team$/);
    await expect(nav).toBeHidden();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
  });
});
