// Every page, as a phone shows it, in both languages: nothing wider than the screen, and no serious
// or critical accessibility violation (axe-core, WCAG 2.1 A/AA), and nothing cut off at 1440 px either;
// screenshots of each at both widths go to e2e/.artifacts/screenshots. Runs after the specs that fill the
// team with tokens, accounts, business accounts and shares, so the pages hold real data.
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { expect, OWNER, signIn, test } from './support';

const PHONE = { width: 375, height: 740 };
const DESKTOP = { width: 1440, height: 900 };
/** Kept as CI artifacts (never committed): every page at both widths in both languages. */
const SCREENSHOTS = path.resolve(import.meta.dirname, '../.artifacts/screenshots');

function screenshotPath(locale: string, width: number, page: string): string {
  const slug = page.replace(/^\//, '').replace(/[^\w-]+/g, '_').slice(0, 80) || 'root';
  return path.join(SCREENSHOTS, `${locale}-${width}-${slug}.png`);
}

const FIXED_PAGES = ['/overview', '/analytics?range=ALL', '/operations', '/instruments?q=SBER', '/sandbox', '/tokens', '/streams', '/team', '/audit', '/business', '/shares', '/account'];

/** The first link on `path` whose address starts with `prefix` (an account, a token, an instrument…). */
async function firstLink(page: Page, path: string, prefix: string): Promise<string | null> {
  await page.goto(path);
  const href = await page.locator(`main a[href^="${prefix}"]`).first().getAttribute('href', { timeout: 10_000 }).catch(() => null);
  return href;
}

/** Serious and critical axe-core findings (WCAG 2.1 A/AA) on the page as it is now. */
async function seriousViolations(page: Page, where: string): Promise<string[]> {
  const { violations } = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => `${where}: ${violation.id} (${violation.impact}) at ${violation.nodes.map((node) => node.target.join(' ')).slice(0, 3).join(', ')}`);
}

/** The innermost elements that reach past the screen's right edge, as tag.class, for the failure message. */
async function widestElements(page: Page): Promise<string> {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    // Inside a scroller (a wide table) an element may reach past the edge without widening the page.
    const clippedBy = (el: HTMLElement) => {
      for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) if (getComputedStyle(up).overflowX !== 'visible') return true;
      return false;
    };
    const past = [...document.querySelectorAll<HTMLElement>('body *')].filter((el) => el.getBoundingClientRect().right > width + 0.5 && !clippedBy(el));
    const innermost = past.filter((el) => !past.some((other) => other !== el && el.contains(other)));
    // What reaches furthest is what pushes the page wide; blocks that merely fill a widened parent come after it.
    innermost.sort((a, b) => b.getBoundingClientRect().right - a.getBoundingClientRect().right);
    return innermost.slice(0, 3).map((el) => `${el.tagName.toLowerCase()}.${[...el.classList].slice(0, 4).join('.')} "${(el.textContent ?? '').trim().slice(0, 40)}"`).join(', ');
  });
}

async function pagesWithData(page: Page): Promise<string[]> {
  const account = await firstLink(page, '/overview', '/accounts/');
  const token = await firstLink(page, '/tokens', '/tokens/');
  const instrument = account ? await firstLink(page, account, '/instruments/') : null;
  const statement = await firstLink(page, '/business', '/business/');
  const found = [account, token, instrument, statement].filter((href): href is string => href !== null);
  // Each of these exists by now: a page missing from the sweep would pass unseen.
  expect(found, 'an account, a token, an instrument and a business statement to look at').toHaveLength(4);
  return [...FIXED_PAGES, ...found];
}

for (const locale of ['en', 'ru'] as const) {
  test(`every page at 375 px in ${locale}: no sideways scrolling, no serious accessibility violation`, async ({ page }) => {
    test.setTimeout(420_000);
    await page.setViewportSize(PHONE);
    await signIn(page, OWNER.email, OWNER.password);
    expect((await page.request.put('/api/account/locale', { data: { locale } })).ok()).toBe(true);
    const problems: string[] = [];
    try {
      for (const path of await pagesWithData(page)) {
        await page.goto(path);
        await expect(page.locator('html')).toHaveAttribute('lang', locale);
        await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        if (overflow > 0) problems.push(`${path}: ${overflow} px wider than the screen, at ${await widestElements(page)}`);
        problems.push(...(await seriousViolations(page, path)));
        await page.screenshot({ path: screenshotPath(locale, PHONE.width, path), fullPage: true });
        // The same page on a desktop screen: nothing cut off there either, and a picture for the reviewer.
        await page.setViewportSize(DESKTOP);
        const desktopOverflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        if (desktopOverflow > 0) problems.push(`${path} at ${DESKTOP.width} px: ${desktopOverflow} px wider than the screen, at ${await widestElements(page)}`);
        problems.push(...(await seriousViolations(page, `${path} at ${DESKTOP.width} px`)));
        await page.screenshot({ path: screenshotPath(locale, DESKTOP.width, path), fullPage: true });
        await page.setViewportSize(PHONE);
      }
    } finally {
      await page.request.put('/api/account/locale', { data: { locale: 'en' } });
    }
    expect(problems).toEqual([]);
  });
}

test('signed out: the sign-in page at 375 px in both languages', async ({ page }) => {
  await page.setViewportSize(PHONE);
  const problems: string[] = [];
  for (const locale of ['en', 'ru']) {
    await page.request.put('/api/account/locale', { data: { locale } });
    await page.goto('/login');
    await expect(page.locator('html')).toHaveAttribute('lang', locale);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    if (overflow > 0) problems.push(`/login (${locale}): ${overflow} px wider than the screen`);
    problems.push(...(await seriousViolations(page, `/login (${locale})`)));
    await page.screenshot({ path: screenshotPath(locale, PHONE.width, '/login'), fullPage: true });
  }
  await page.request.put('/api/account/locale', { data: { locale: 'en' } });
  expect(problems).toEqual([]);
});
