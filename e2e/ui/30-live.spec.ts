// Live data end to end: ticks flash, upstream drops heal without a reload, a network cut resumes by
// Last-Event-ID, 50 pages share one upstream that goes away after the grace period, and a member
// only gets the account topics their grant covers.
import { expect, test, type Page } from '@playwright/test';
import { buildDefaultScenario, DEMO_ACCOUNTS, DEMO_TOKENS } from '../../emulator/tinvest/default-scenario';
import { EMULATOR_ADMIN_URL } from '../playwright.config';
import { inviteWithTemporaryPassword, OWNER, replaceTemporaryPassword, signIn } from './support';

test.describe.configure({ mode: 'serial' });

const MEMBER = { name: 'Lev Live', email: 'lev@strongroom.test', role: 'member' };
const INSTRUMENTS = buildDefaultScenario().instruments.slice(0, 20).map((i) => i.uid);

interface EmulatorMetrics {
  calls: Record<string, number>;
  openStreams: Record<string, number>;
  subscriptions: Record<string, number>;
}

async function emulator(): Promise<EmulatorMetrics> {
  return (await (await fetch(`${EMULATOR_ADMIN_URL}/metrics`)).json()) as EmulatorMetrics;
}

async function fault(path: string, body: unknown = {}): Promise<void> {
  const response = await fetch(`${EMULATOR_ADMIN_URL}/faults/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  expect(response.ok).toBe(true);
}

/** Deposits the emulator's read-only token as the owner (or finds it if an earlier spec did). */
async function readonlyTokenId(page: Page): Promise<string> {
  const response = await page.request.post('/api/tokens', { data: { label: 'Live read-only', value: DEMO_TOKENS.readonly, endpoint: { kind: 'production' } } });
  expect([200, 201]).toContain(response.status());
  return ((await response.json()) as { token: { id: string } }).token.id;
}

/** Records every value the connection indicator shows, from now on. */
async function recordConnection(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { __states: string[] };
    w.__states = [];
    const el = document.querySelector('[data-connection]')!;
    w.__states.push(el.getAttribute('data-connection')!);
    new MutationObserver(() => w.__states.push(el.getAttribute('data-connection')!)).observe(el, { attributes: true, attributeFilter: ['data-connection'] });
  });
}

const states = (page: Page) => page.evaluate(() => (window as unknown as { __states: string[] }).__states);

/** A bare page on our origin that opens one EventSource and keeps what arrives. */
async function openStreamPage(page: Page, topics: string[]): Promise<void> {
  await page.goto('/api/health');
  await page.evaluate((url) => {
    const w = window as unknown as { __events: { type: string; data: unknown }[] };
    w.__events = [];
    const source = new EventSource(url);
    for (const type of ['ready', 'data', 'topic-error', 'status']) source.addEventListener(type, (e) => w.__events.push({ type, data: JSON.parse((e as MessageEvent).data) }));
  }, `/api/stream?topics=${topics.join(',')}`);
}

let tokenId = '';

test('ticks arrive and flash; the indicator says live', async ({ page }) => {
  await signIn(page, OWNER.email, OWNER.password);
  tokenId = await readonlyTokenId(page);
  await page.goto(`/accounts/${tokenId}/${DEMO_ACCOUNTS.broker}`);
  await expect(page.locator('[data-live-price]').first()).toBeVisible();
  await expect(page.locator('[data-connection]')).toHaveAttribute('data-connection', 'live', { timeout: 20_000 });
  await expect(page.locator('[data-live-price][data-flash]').first()).toBeAttached({ timeout: 20_000 });
});

test('the upstream drops: reconnecting, then live again, without a reload', async ({ page }) => {
  await signIn(page, OWNER.email, OWNER.password);
  await page.goto(`/accounts/${tokenId}/${DEMO_ACCOUNTS.broker}`);
  await expect(page.locator('[data-connection]')).toHaveAttribute('data-connection', 'live', { timeout: 20_000 });
  await page.evaluate(() => ((window as unknown as { __sameDocument: boolean }).__sameDocument = true));
  await recordConnection(page);
  // A few failed re-opens keep "reconnecting" on screen long enough to be seen (and tested).
  await fault('fail-next', { method: 'MarketDataStream', code: 14, details: '', message: 'unavailable', count: 3 });
  await fault('drop-all-streams');
  await expect.poll(() => states(page), { timeout: 20_000 }).toContain('reconnecting');
  await expect(page.locator('[data-connection]')).toHaveAttribute('data-connection', 'live', { timeout: 30_000 });
  const seen = await states(page);
  expect(seen.lastIndexOf('live')).toBeGreaterThan(seen.indexOf('reconnecting'));
  expect(await page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument)).toBe(true);
  await fault('reset');
});

test('a short network cut resumes with Last-Event-ID', async ({ page, context }) => {
  await signIn(page, OWNER.email, OWNER.password);
  const streams: string[] = [];
  page.on('request', (request) => {
    if (request.url().includes('/api/stream')) streams.push(request.url());
  });
  await page.goto(`/accounts/${tokenId}/${DEMO_ACCOUNTS.broker}`);
  await expect(page.locator('[data-connection]')).toHaveAttribute('data-connection', 'live', { timeout: 20_000 });
  await expect(page.locator('[data-live-price][data-flash]').first()).toBeAttached({ timeout: 20_000 });
  await context.setOffline(true);
  await expect(page.locator('[data-connection]')).toHaveAttribute('data-connection', 'offline');
  await page.waitForTimeout(1_500);
  await context.setOffline(false);
  await expect(page.locator('[data-connection]')).toHaveAttribute('data-connection', 'live', { timeout: 20_000 });
  expect(streams.at(-1)).toMatch(/[?&]lastEventId=/);
  // Ticks keep coming on the same document.
  await expect(page.locator('[data-live-price][data-flash]').first()).toBeAttached({ timeout: 20_000 });
});

test('50 pages on the same instruments hold one upstream, gone within the grace period after they close', async ({ browser }) => {
  const signedIn = await browser.newContext();
  const first = await signedIn.newPage();
  await signIn(first, OWNER.email, OWNER.password);
  const storageState = await signedIn.storageState();
  await signedIn.close();
  // Start from nothing: earlier pages' upstreams close 2 s after their last viewer.
  await expect.poll(async () => (await emulator()).subscriptions.lastPrices ?? 0, { timeout: 15_000 }).toBe(0);
  const before = (await emulator()).calls.MarketDataStream ?? 0;
  const topics = INSTRUMENTS.map((uid) => `lastPrice:${uid}`);
  // One context per page: a browser holds at most 6 HTTP/1.1 connections per host and profile.
  const contexts = await Promise.all(Array.from({ length: 50 }, () => browser.newContext({ storageState })));
  const pages = await Promise.all(contexts.map((context) => context.newPage()));
  await Promise.all(pages.map((page) => openStreamPage(page, topics)));
  for (const page of pages) {
    await expect.poll(() => page.evaluate(() => (window as unknown as { __events: { type: string }[] }).__events.filter((e) => e.type === 'data').length), { timeout: 20_000 }).toBeGreaterThan(0);
  }
  const during = await emulator();
  expect((during.calls.MarketDataStream ?? 0) - before).toBe(1);
  expect(during.subscriptions.lastPrices).toBe(INSTRUMENTS.length);
  await Promise.all(contexts.map((context) => context.close()));
  await expect.poll(async () => (await emulator()).subscriptions.lastPrices ?? 0, { timeout: 10_000 }).toBe(0);
});

test('a member gets only the account topics their grant covers', async ({ page, browser }) => {
  await signIn(page, OWNER.email, OWNER.password);
  const temporary = await inviteWithTemporaryPassword(page.request, MEMBER);
  const team = (await (await page.request.get('/api/team')).json()) as { members: { id: string; email: string }[] };
  const memberId = team.members.find((m) => m.email === MEMBER.email)!.id;
  const grant = await page.request.put(`/api/tokens/${tokenId}/grants/${memberId}`, { data: { accountIds: [DEMO_ACCOUNTS.iis] } });
  expect(grant.ok()).toBe(true);

  const context = await browser.newContext();
  const member = await context.newPage();
  await signIn(member, MEMBER.email, temporary, /\/account\/password$/);
  await replaceTemporaryPassword(member, temporary, 'lev password 2026');
  const granted = `portfolio:${tokenId}:${DEMO_ACCOUNTS.iis}`;
  const other = `portfolio:${tokenId}:${DEMO_ACCOUNTS.broker}`;
  await openStreamPage(member, [granted, other]);
  const events = () => member.evaluate(() => (window as unknown as { __events: { type: string; data: { topic?: string; topics?: string[]; code?: string } }[] }).__events);
  await expect.poll(async () => (await events()).find((e) => e.type === 'ready')?.data.topics, { timeout: 15_000 }).toEqual([granted]);
  expect((await events()).find((e) => e.type === 'topic-error' && e.data.topic === other)?.data.code).toBe('forbidden');
  await context.close();
});
