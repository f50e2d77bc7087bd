// Shares: the owner shares an account with a member, the overview by team link and the account by a
// public percentages-only link; each opens for whom it should; the public page, its RSC payload and
// every response it causes hold no absolute amount of the account in any formatting; rotating kills
// the old link, revoking the share. Deposits its own token and member when earlier specs did not.
import type { Browser, Page } from '@playwright/test';
import { DEMO_ACCOUNTS, DEMO_TOKENS } from '../../emulator/tinvest/default-scenario';
import { addMemberByLink, expect, OWNER, recordApiResponse, signInApi, test } from './support';

/** Signs in through the form (the password button, not a single sign-on one). */
async function signIn(page: Page, email: string, password: string): Promise<void> {
  await page.goto('/login');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page).toHaveURL(/\/overview$/);
}

const SHARER_FRIEND = { name: 'Sasha Shared', email: 'sasha.shared@strongroom.test', role: 'member' };
const FRIEND_PASSWORD = 'sasha password 2026';
const masked = (value: string) => `${value.slice(0, 4)}…${value.slice(-4)}`;

async function ensureToken(page: Page): Promise<string> {
  const tokens = (await (await recordApiResponse(await page.request.get('/api/tokens'))).json()) as { id: string; masked: string; status: string }[];
  const known = tokens.find((token) => token.masked === masked(DEMO_TOKENS.readonly) && token.status !== 'retired' && token.status !== 'invalid');
  if (known) return known.id;
  const response = await recordApiResponse(await page.request.post('/api/tokens', { data: { label: 'Shares read-only', value: DEMO_TOKENS.readonly, endpoint: { kind: 'production' } } }));
  expect([200, 201]).toContain(response.status());
  return ((await response.json()) as { token: { id: string } }).token.id;
}

async function ensureFriend(): Promise<void> {
  const owner = await signInApi(OWNER.email, OWNER.password);
  const team = (await (await owner.get('/api/team')).json()) as { members: { email: string }[] };
  if (!team.members.some((member) => member.email === SHARER_FRIEND.email)) await addMemberByLink(owner, SHARER_FRIEND, FRIEND_PASSWORD);
  await owner.dispose();
}

/**
 * Every way an amount may be written: as stored, rounded to kopecks, with `.` or `,` decimals, grouped
 * by nothing, spaces, no-break spaces or commas. (A float is fine here: it only makes spellings to look for.)
 */
function spellings(amount: string): string[] {
  const positive = amount.replace('-', '');
  const forms = new Set([positive, Math.abs(Number(amount)).toFixed(2), Math.abs(Number(amount)).toFixed(0)]);
  const out = new Set<string>();
  for (const form of forms) {
    const [whole, fraction] = form.split('.') as [string, string | undefined];
    for (const separator of ['', ' ', '\u00a0', '\u202f', ',']) {
      const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, separator);
      if (fraction) for (const decimal of ['.', ',']) out.add(`${grouped}${decimal}${fraction}`);
      // A bare whole number is too common to look for; a grouped one (`2 120`, `2,120`) is not.
      else if (separator && grouped !== whole) out.add(grouped);
    }
  }
  return [...out].filter((text) => text.replace(/\D/g, '').length >= 4);
}

async function createShare(page: Page, options: { title: string; account: boolean; audience: 'Chosen team members' | 'Team link' | 'Public link'; friend?: boolean }): Promise<string | null> {
  await page.goto('/shares');
  const form = page.locator('form').filter({ has: page.getByLabel('Title') });
  await form.getByLabel('Title').fill(options.title);
  if (options.account) await form.getByLabel('One account').check();
  await form.getByText(options.audience, { exact: true }).click();
  if (options.friend) await form.getByRole('checkbox', { name: new RegExp(SHARER_FRIEND.name) }).check();
  await form.getByRole('button', { name: 'Share' }).click();
  await expect(page.getByText(/Shared until/)).toBeVisible();
  const link = page.getByLabel('Link', { exact: true });
  return (await link.count()) ? link.inputValue() : null;
}

async function anonymousPage(browser: Browser) {
  const context = await browser.newContext();
  return { context, page: await context.newPage() };
}

test('share with a member, by team link and by a public percentages-only link; rotate and revoke', async ({ page, browser }) => {
  test.setTimeout(90_000);
  await signIn(page, OWNER.email, OWNER.password);
  const tokenId = await ensureToken(page);
  await ensureFriend();
  const account = (await (await recordApiResponse(await page.request.get(`/api/portfolio/${tokenId}/${DEMO_ACCOUNTS.broker}`))).json()) as {
    account: { name: string };
    total: { amount: string } | null;
    positions: { quantity: string; value: { amount: string } | null; expectedYield: { amount: string } | null; currentPrice: { amount: string } | null }[];
  };
  const amounts = [account.total?.amount, ...account.positions.flatMap((p) => [p.value?.amount, p.expectedYield?.amount, p.currentPrice?.amount])].filter((a): a is string => !!a && Math.abs(Number(a)) >= 100);
  expect(amounts.length).toBeGreaterThan(1);

  const stamp = Date.now().toString(36);
  await createShare(page, { title: `Broker for Sasha ${stamp}`, account: true, audience: 'Chosen team members', friend: true });
  const teamUrl = (await createShare(page, { title: `Overview for the team ${stamp}`, account: false, audience: 'Team link' }))!;
  const publicUrl = (await createShare(page, { title: `Broker in public ${stamp}`, account: true, audience: 'Public link' }))!;
  expect(new URL(publicUrl).pathname).toMatch(/^\/s\/[A-Za-z0-9_-]{43}$/);

  // The member: the member share under Shares, and the team link.
  const friend = await browser.newContext();
  const friendPage = await friend.newPage();
  await signIn(friendPage, SHARER_FRIEND.email, FRIEND_PASSWORD);
  await friendPage.goto('/shares');
  await friendPage.getByRole('link', { name: `Broker for Sasha ${stamp}` }).click();
  await expect(friendPage.getByRole('heading', { name: `Broker for Sasha ${stamp}` })).toBeVisible();
  await expect(friendPage.getByRole('heading', { name: account.account.name })).toBeVisible();
  // The share opens itself only: the account itself is not the member's.
  expect((await friendPage.request.get(`/api/portfolio/${tokenId}/${DEMO_ACCOUNTS.broker}`)).status()).toBe(404);
  await friendPage.goto(new URL(teamUrl).pathname);
  await expect(friendPage.getByRole('heading', { name: `Overview for the team ${stamp}` })).toBeVisible();

  // Signed out: the team link asks to sign in; the public link shows percentages only.
  const anonymous = await anonymousPage(browser);
  await anonymous.page.goto(new URL(teamUrl).pathname);
  await expect(anonymous.page.getByRole('heading', { name: 'Sign in to see this' })).toBeVisible();
  const bodies: string[] = [];
  // Documents, RSC payloads and API answers: what the page is given (scripts and styles are the app's code, the same for everyone).
  anonymous.page.on('response', (response) => {
    if (['document', 'fetch', 'xhr'].includes(response.request().resourceType())) void response.text().then((text) => bodies.push(text), () => {});
  });
  await anonymous.page.setViewportSize({ width: 375, height: 800 });
  const opened = await anonymous.page.goto(new URL(publicUrl).pathname);
  expect(opened!.status()).toBe(200);
  expect(opened!.headers()['referrer-policy']).toBe('no-referrer');
  expect(opened!.headers()['x-robots-tag']).toContain('noindex');
  expect(opened!.headers()['cache-control']).toContain('no-store');
  await expect(anonymous.page.getByRole('heading', { name: `Broker in public ${stamp}` })).toBeVisible();
  await expect(anonymous.page.getByText(/T-Invest's terms forbid/)).toBeVisible();
  expect(await anonymous.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
  const rsc = await anonymous.page.request.get(new URL(publicUrl).pathname, { headers: { RSC: '1' } });
  bodies.push(await anonymous.page.content(), await opened!.text(), await rsc.text());
  await anonymous.page.waitForLoadState('networkidle');
  const everything = bodies.join('\n');
  for (const amount of amounts) for (const text of spellings(amount)) expect(everything, `${amount} written as ${text}`).not.toContain(text);

  // Rotate the public link: the old one is gone at once, the new one opens.
  await page.goto('/shares');
  const publicItem = page.locator(`li[data-share="Broker in public ${stamp}"]`);
  await publicItem.getByRole('button', { name: 'New link' }).click();
  const rotated = await publicItem.getByLabel('New link').inputValue();
  expect(rotated).not.toBe(publicUrl);
  expect((await anonymous.page.goto(new URL(publicUrl).pathname))!.status()).toBe(404);
  expect((await anonymous.page.goto(new URL(rotated).pathname))!.status()).toBe(200);
  await expect(page.locator(`li[data-share="Broker in public ${stamp}"]`).getByTestId('last-viewed')).toBeVisible();

  // Revoke the team link: gone for the member too.
  await page.locator(`li[data-share="Overview for the team ${stamp}"]`).getByRole('button', { name: 'Revoke' }).click();
  await expect(page.locator(`li[data-share="Overview for the team ${stamp}"]`).getByText('Revoked')).toBeVisible();
  expect((await friendPage.goto(new URL(teamUrl).pathname))!.status()).toBe(404);

  // The Shares page fits a phone.
  await page.setViewportSize({ width: 375, height: 800 });
  await page.goto('/shares');
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
  await anonymous.context.close();
  await friend.close();
});
