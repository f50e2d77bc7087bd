// Tabs share one live connection (app/_components/live/live-worker.ts): ten tabs of one browser are one
// connection on the server, under the per-person cap of 8 (lib/http/live-limits.ts) that ten separate
// EventSources would pass; a tab that leaves takes only its own topics, the last one takes the connection.
import { DEMO_ACCOUNTS, DEMO_TOKENS } from '../../emulator/tinvest/default-scenario';
import { expect, OWNER, signIn, test } from './support';

const TABS = 10;

test('ten tabs hold one live connection, and it goes when the last tab does', async ({ page, context }) => {
  test.setTimeout(300_000);
  await signIn(page, OWNER.email, OWNER.password);
  const deposit = await page.request.post('/api/tokens', { data: { label: 'Shared stream read-only', value: DEMO_TOKENS.readonly, endpoint: { kind: 'production' } } });
  expect([200, 201]).toContain(deposit.status());
  const tokenId = ((await deposit.json()) as { token: { id: string } }).token.id;
  const connections = async () => {
    await page.goto('/streams');
    const card = page.locator(`[data-token="${tokenId}"]`);
    if ((await card.count()) === 0) return 0;
    const match = /(\d+) browser connections?/.exec(await card.innerText());
    return match ? Number(match[1]) : -1;
  };
  // Off any page with live data: earlier specs' connections are gone.
  await expect.poll(connections, { timeout: 20_000, message: 'no connection before the tabs open' }).toBe(0);

  // Opened together: ten tabs rendering live prices keep two cores busy, one after another would take minutes.
  const tabs = await Promise.all(Array.from({ length: TABS }, () => context.newPage()));
  await Promise.all(tabs.map((tab) => tab.goto(`/accounts/${tokenId}/${DEMO_ACCOUNTS.broker}`, { waitUntil: 'domcontentloaded', timeout: 90_000 })));
  // Every tab is live, none limited: ten EventSources of one person would have been refused past eight.
  for (const tab of tabs) await expect(tab.locator('[data-connection]')).toHaveAttribute('data-connection', 'live', { timeout: 60_000 });
  for (const tab of tabs) await expect(tab.locator('[data-live-price][data-flash]').first()).toBeAttached({ timeout: 30_000 });
  expect(await connections()).toBe(1);
  // The page names what flows: streams and topics by kind and ticker, states in words, no raw keys.
  const card = page.locator(`[data-token="${tokenId}"]`);
  await expect(card.locator('[data-upstream^="market:"]').first()).toContainText('Market data #1');
  await expect(card.locator('[data-topic^="lastPrice:"]').first()).toContainText('Last price');
  await expect(card.locator('[data-topic^="lastPrice:"]').first()).not.toContainText(/lastPrice:|[0-9a-f]{8}-[0-9a-f]{4}-/);
  await expect(card).toContainText(/Market data streams open: 1 of \d+/);

  // Nine leave; the last keeps its live prices over the same connection.
  for (const tab of tabs.slice(1)) await tab.close();
  const last = tabs[0]!;
  await expect(last.locator('[data-connection]')).toHaveAttribute('data-connection', 'live');
  await last.evaluate(() => document.querySelectorAll('[data-live-price][data-flash]').forEach((el) => el.removeAttribute('data-flash')));
  await expect(last.locator('[data-live-price][data-flash]').first()).toBeAttached({ timeout: 20_000 });
  expect(await connections()).toBe(1);

  await last.close();
  await expect.poll(connections, { timeout: 20_000, message: 'the connection closes with the last tab' }).toBe(0);
});
