// The portfolio DAL against a real database and the T-Invest emulator: grants limit accounts,
// totals match the upstream exactly, coalescing holds under load, operations page and export,
// instruments and candles, and the sandbox flow.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildDefaultScenario, DEMO_ACCOUNTS, DEMO_TOKENS, startTinvestEmulator, type TinvestEmulator } from '@/emulator/tinvest';
import type { RoleName } from '../auth/permissions';
import { AppError } from '../errors';
import { quoteToMoney } from '../money';
import { createUser } from '../testing/create-user';
import { createTestDatabase, type TestDatabase } from '../testing/test-db';

const SBER = 'e6123145-9665-43e0-8413-cd61b8aa9b13';

let emu: TinvestEmulator;
let database: TestDatabase;
type Person = { id: string; email: string; role: RoleName };
let owner: Person;
let member: Person;
let tokenId: string;

let m: {
  deposit: typeof import('../custody/deposit-tinvest-token').depositTinvestToken;
  setGrant: typeof import('../custody/set-grant').setGrant;
  flush: typeof import('../custody/record-usage').flushTokenUsage;
  closeChannels: typeof import('../tinvest').closeChannels;
  clearRateLimits: typeof import('../tinvest/rate-limit-state').clearRateLimits;
  cache: typeof import('./upstream').portfolioCache;
  getOverview: typeof import('./get-overview').getOverview;
  getPortfolio: typeof import('./get-portfolio').getPortfolio;
  getAccountPortfolio: typeof import('./get-account-portfolio').getAccountPortfolio;
  listOperations: typeof import('./list-operations').listOperations;
  exportCsv: typeof import('./export-operations-csv').exportOperationsCsv;
  loadOperationsPage: typeof import('./pages').loadOperationsPage;
  getInstrument: typeof import('./get-instrument').getInstrument;
  getCandles: typeof import('./get-candles').getCandles;
  sandbox: typeof import('./sandbox');
  aggregate: typeof import('./aggregate');
};

async function failure(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => null,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

const calls = (method: string) => emu.metrics().calls[method] ?? 0;

beforeAll(async () => {
  // The emulator keeps real time, so a test can move the app's clock past cache windows alone.
  const realNow = Date.now.bind(Date);
  emu = await startTinvestEmulator({ tickIntervalMs: 100, now: () => new Date(realNow()) });
  process.env.TINVEST_PRODUCTION_ADDRESS = emu.address;
  process.env.TINVEST_SANDBOX_ADDRESS = emu.sandboxAddress;
  process.env.TOKEN_CHECKS = 'off';
  database = await createTestDatabase();
  m = {
    deposit: (await import('../custody/deposit-tinvest-token')).depositTinvestToken,
    setGrant: (await import('../custody/set-grant')).setGrant,
    flush: (await import('../custody/record-usage')).flushTokenUsage,
    closeChannels: (await import('../tinvest')).closeChannels,
    clearRateLimits: (await import('../tinvest/rate-limit-state')).clearRateLimits,
    cache: (await import('./upstream')).portfolioCache,
    getOverview: (await import('./get-overview')).getOverview,
    getPortfolio: (await import('./get-portfolio')).getPortfolio,
    getAccountPortfolio: (await import('./get-account-portfolio')).getAccountPortfolio,
    listOperations: (await import('./list-operations')).listOperations,
    exportCsv: (await import('./export-operations-csv')).exportOperationsCsv,
    loadOperationsPage: (await import('./pages')).loadOperationsPage,
    getInstrument: (await import('./get-instrument')).getInstrument,
    getCandles: (await import('./get-candles')).getCandles,
    sandbox: await import('./sandbox'),
    aggregate: await import('./aggregate'),
  };
});

afterAll(async () => {
  m.closeChannels();
  await emu.close();
  await database.close();
});

beforeEach(async () => {
  await m.flush();
  await database.reset();
  emu.control.reset();
  m.cache().clear();
  m.clearRateLimits();
  owner = await createUser('owner');
  member = await createUser('member');
  tokenId = (await m.deposit(owner, { label: 'Family', value: DEMO_TOKENS.readonly })).token.id;
});

describe('overview', () => {
  it('totals every account exactly, in roubles, and lists the closed one as closed', async () => {
    const overview = await m.getOverview(owner);
    expect(overview.empty).toBeNull();
    expect(overview.accounts.map((a) => [a.accountId, a.closed])).toEqual([
      [DEMO_ACCOUNTS.broker, false],
      [DEMO_ACCOUNTS.iis, false],
      [DEMO_ACCOUNTS.closed, true],
    ]);
    const [broker, iis] = overview.accounts;
    expect(overview.total).toBe(m.aggregate.addDecimals(broker!.value!.amount, iis!.value!.amount));
    expect(overview.dailyChange).toBe(m.aggregate.addDecimals(broker!.dailyChange!.amount, iis!.dailyChange!.amount));
    const byType = overview.allocation.byType.reduce((total, slice) => m.aggregate.addDecimals(total, slice.value), '0');
    expect(byType).toBe(overview.total);
    const byAccount = overview.allocation.byAccount.map((slice) => slice.label);
    expect(byAccount).toHaveLength(2);
    expect(overview.byCurrency.map((holding) => holding.currency)).toEqual(expect.arrayContaining(['RUB', 'USD']));
    expect(overview.partial).toBe(false);
    expect(overview.staleAsOf).toBeNull();
  });

  it('shows a member only the accounts their grant covers', async () => {
    expect((await m.getOverview(member)).empty).toBe('no_tokens');
    await m.setGrant(owner, tokenId, member.id, [DEMO_ACCOUNTS.broker]);
    const overview = await m.getOverview(member);
    expect(overview.accounts.map((a) => a.accountId)).toEqual([DEMO_ACCOUNTS.broker]);
    expect(overview.total).toBe(overview.accounts[0]!.value!.amount);
    expect((await failure(m.getPortfolio(member, tokenId, DEMO_ACCOUNTS.iis))).code).toBe('not_found');
    expect((await failure(m.getAccountPortfolio(member, tokenId, DEMO_ACCOUNTS.iis))).code).toBe('not_found');
    expect((await failure(m.listOperations(member, { token: tokenId, account: DEMO_ACCOUNTS.iis }))).code).toBe('not_found');
    const page = await m.getAccountPortfolio(member, tokenId, DEMO_ACCOUNTS.broker);
    expect(page.positions.length).toBeGreaterThan(0);
  });

  it('says when no token can be used', async () => {
    const other = await createUser('viewer');
    expect((await m.getOverview(other)).empty).toBe('no_tokens');
  });
});

describe('coalescing and the request budget', () => {
  // Each request checks the viewer's grant in the database: 300 are plenty to overlap, and stay quick on a busy machine.
  it('answers 300 concurrent requests with at most one upstream GetPortfolio and no rate-limit errors', { timeout: 120_000 }, async () => {
    const before = calls('GetPortfolio');
    const results = await Promise.all(Array.from({ length: 300 }, () => m.getPortfolio(owner, tokenId, DEMO_ACCOUNTS.broker)));
    expect(calls('GetPortfolio') - before).toBeLessThanOrEqual(1);
    expect(new Set(results.map((r) => r.value.totals.portfolio!.amount)).size).toBe(1);
    expect(emu.metrics().errors).toEqual({});
  });

  it('never trips the upstream limit under repeated load, serving "as of" data instead', async () => {
    // 250 rounds of 5 concurrent requests, each past the cache window on the app's clock (the
    // emulator's stays real): the 200-a-minute budget would run out without the low-budget fallback.
    const realNow = Date.now;
    let offset = 0;
    let stale = 0;
    let asOf: string | null = null;
    Date.now = () => realNow() + offset;
    try {
      for (let round = 0; round < 250; round++) {
        offset += 3001;
        const results = await Promise.all(Array.from({ length: 5 }, () => m.getPortfolio(owner, tokenId, DEMO_ACCOUNTS.broker)));
        for (const result of results.filter((r) => r.stale)) {
          stale++;
          asOf = result.asOf;
        }
      }
    } finally {
      Date.now = realNow;
    }
    expect(stale).toBeGreaterThan(0);
    expect(asOf).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect(emu.metrics().errors).toEqual({});
    expect(calls('GetPortfolio')).toBeLessThan(200);
  });
});

describe('account page', () => {
  it('lists positions with names, lots, value and yield, and cash by currency', async () => {
    const page = await m.getAccountPortfolio(owner, tokenId, DEMO_ACCOUNTS.broker);
    const sber = page.positions.find((p) => p.ticker === 'SBER')!;
    expect(sber).toMatchObject({ name: 'Сбер Банк', lot: 10, instrumentType: 'share', currency: 'RUB', blocked: '10' });
    expect(sber.lots).toBe(m.aggregate.roundDecimal(String(Number(sber.quantity) / 10), 0));
    expect(sber.value!.amount).toBe(m.aggregate.multiplyDecimals(sber.quantity, sber.currentPrice!.amount));
    expect(page.cash.map((c) => c.currency)).toEqual(['RUB', 'USD']);
    expect(page.topics.portfolio).toBe(`portfolio:${tokenId}:${DEMO_ACCOUNTS.broker}`);
  });

  it('gives each row the unit its live quotes come in, so a bond tick converts to the money the portfolio shows', async () => {
    const page = await m.getAccountPortfolio(owner, tokenId, DEMO_ACCOUNTS.broker);
    const bonds = page.positions.filter((p) => p.instrumentType === 'bond');
    expect(bonds.length).toBeGreaterThan(0);
    for (const bond of bonds) {
      expect(bond.priceUnit).toMatchObject({ kind: 'percent', nominal: '1000' });
      // The live tick is % of nominal (e.g. 91.08); converted, it lands next to the portfolio's roubles (910.80), not a tenth of them.
      const view = await m.getInstrument(owner, bond.instrumentUid);
      const ratio = Number(quoteToMoney(view.lastQuote!, bond.priceUnit)) / Number(bond.currentPrice!.amount);
      expect(ratio).toBeGreaterThan(0.95);
      expect(ratio).toBeLessThan(1.05);
    }
    const sber = page.positions.find((p) => p.ticker === 'SBER')!;
    expect(sber.priceUnit).toEqual({ kind: 'money', increment: '0.01' });
    // The rouble position is the account's money: no price to tick. A dollar position has a rouble price.
    const rub = page.positions.find((p) => p.ticker === 'RUB000UTSTOM')!;
    expect(rub.cashLike).toBe(true);
    expect(page.positions.filter((p) => p.cashLike)).toEqual([rub]);
    expect(page.positions.find((p) => p.ticker === 'USD000UTSTOM')?.cashLike).toBe(false);
  });
});

describe('operations', () => {
  it('pages by cursor without overlap and filters by type and date', async () => {
    const first = await m.listOperations(owner, { token: tokenId, account: DEMO_ACCOUNTS.broker, limit: 10 });
    expect(first.items).toHaveLength(10);
    expect(first.nextCursor).toBeTruthy();
    const second = await m.listOperations(owner, { token: tokenId, account: DEMO_ACCOUNTS.broker, limit: 10, cursor: first.nextCursor! });
    expect(second.items.map((o) => o.id)).not.toEqual(expect.arrayContaining([first.items[0]!.id]));
    const buys = await m.listOperations(owner, { token: tokenId, account: DEMO_ACCOUNTS.broker, type: ['buy'], limit: 50 });
    expect(buys.items.length).toBeGreaterThan(0);
    expect(buys.items.every((o) => o.type === 'buy')).toBe(true);
    const day = buys.items[0]!.at!.slice(0, 10);
    const sameDay = await m.listOperations(owner, { token: tokenId, account: DEMO_ACCOUNTS.broker, from: day, to: day, limit: 100 });
    expect(sameDay.items.length).toBeGreaterThan(0);
    expect(sameDay.items.every((o) => o.at!.startsWith(day))).toBe(true);
    // The default account is the first open one.
    expect((await m.listOperations(owner, {})).filter?.accountId).toBe(DEMO_ACCOUNTS.broker);
  });

  it('exports every operation as CSV', async () => {
    const { filename, stream } = await m.exportCsv(owner, { token: tokenId, account: DEMO_ACCOUNTS.broker, type: ['buy', 'sell'] });
    expect(filename).toBe(`operations-${DEMO_ACCOUNTS.broker}.csv`);
    const bytes = new Uint8Array(await new Response(stream).arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder().decode(bytes);
    const lines = text.trim().split('\r\n');
    expect(lines[0]).toBe('date,type,state,description,ticker,instrument_uid,quantity,price,price_currency,payment,payment_currency,commission,operation_id,parent_operation_id');
    expect(lines.length).toBeGreaterThan(10);
    expect(lines.slice(1).every((line) => /^[^,]+,(buy|sell),/.test(line))).toBe(true);
  });

  it('keeps the filter form, with what was typed, when a date is impossible, without asking T-Bank', async () => {
    const before = calls('GetOperationsByCursor');
    const { data, failure } = await m.loadOperationsPage(owner, { token: tokenId, account: DEMO_ACCOUNTS.broker, from: '2025-13-45', instrument: 'SBER' });
    expect(calls('GetOperationsByCursor')).toBe(before);
    expect(failure).toMatchObject({ kind: 'invalid', messageKey: 'errors.input.date' });
    expect(data?.filter).toMatchObject({ tokenId, accountId: DEMO_ACCOUNTS.broker, from: '2025-13-45', instrument: 'SBER' });
    expect(data?.accounts.length).toBeGreaterThan(0);
    expect(data?.items).toEqual([]);
  });

  it('keeps the filter form when T-Bank refuses the filter, saying what its code means', async () => {
    emu.control.failNext({ method: 'GetOperationsByCursor', code: 3, details: '30070', message: 'from can not be more than current date' });
    const { data, failure } = await m.loadOperationsPage(owner, { token: tokenId, account: DEMO_ACCOUNTS.broker, from: '2025-01-01' });
    expect(failure).toMatchObject({ kind: 'invalid', messageKey: 'errors.tinvest.code.30070', upstreamCode: '30070', retryAfterSeconds: null, upstreamMessage: 'from can not be more than current date' });
    expect(data?.filter).toMatchObject({ from: '2025-01-01' });
    const { failure: memberView } = await (async () => {
      emu.control.failNext({ method: 'GetOperationsByCursor', code: 3, details: '30070', message: 'from can not be more than current date' });
      return m.loadOperationsPage({ ...owner, role: 'viewer' }, { token: tokenId, account: DEMO_ACCOUNTS.broker, from: '2025-01-02' });
    })();
    expect(memberView?.upstreamMessage ?? null).toBeNull();
  });

  it('refuses the CSV export when T-Bank refuses the first page, instead of a 200 with an empty file', async () => {
    emu.control.failNext({ method: 'GetOperationsByCursor', code: 3, details: '30070', message: 'from can not be more than current date' });
    const error = await failure(m.exportCsv(owner, { token: tokenId, account: DEMO_ACCOUNTS.broker }));
    expect(error).toMatchObject({ status: 422, messageKey: 'errors.tinvest.code.30070' });
    expect(error.message).not.toContain('current date');
  });
});

describe('instruments', () => {
  it('shows a share with its last price, status, order book and candles', async () => {
    const view = await m.getInstrument(owner, SBER);
    expect(view.instrument).toMatchObject({ ticker: 'SBER', kind: 'share', lot: 10 });
    expect(view.lastPrice?.currency).toBe('RUB');
    expect(view.tradingStatus?.status).toBe('normal_trading');
    expect(view.orderBook?.bids.length).toBeGreaterThan(0);
    expect(view.candles.candles.length).toBeGreaterThan(0);
    expect(view.priceUnit).toEqual({ kind: 'money', increment: '0.01' });
    expect(view.lastPrice?.amount).toBe(view.lastQuote);
  });

  it('shows a bond quoted in percent of nominal with its price in roubles', async () => {
    const bond = (await m.getAccountPortfolio(owner, tokenId, DEMO_ACCOUNTS.broker)).positions.find((p) => p.instrumentType === 'bond')!;
    const view = await m.getInstrument(owner, bond.instrumentUid);
    expect(view.priceUnit).toMatchObject({ kind: 'percent', nominal: '1000' });
    expect(Number(view.lastQuote)).toBeLessThan(200);
    expect(view.lastPrice).toEqual({ amount: m.aggregate.multiplyDecimals(view.lastQuote!, '10'), currency: 'RUB' });
  });

  it('shows a future quoted in points with its price in roubles (points / step × step value)', async () => {
    const future = buildDefaultScenario().instruments.find((i) => i.kind === 'futures')!;
    const view = await m.getInstrument(owner, future.uid);
    expect(view.instrument).toMatchObject({ kind: 'futures', minPriceIncrement: '10', minPriceIncrementAmount: '7.53' });
    expect(view.priceUnit).toEqual({ kind: 'points', increment: '10', incrementAmount: '7.53' });
    expect(Number(view.lastQuote)).toBeGreaterThan(10_000);
    expect(view.lastPrice).toEqual({ amount: m.aggregate.multiplyDecimals(view.lastQuote!, '0.753'), currency: 'RUB' });
  });

  it.each(['1m', '5m', '15m', '1h', '1d'] as const)('loads %s candles inside the documented range', async (interval) => {
    // Faults injected by earlier tests stay counted: this call must add none.
    const errorsBefore = { ...emu.metrics().errors };
    const candles = await m.getCandles(owner, SBER, { interval });
    expect(candles.candles.length).toBeGreaterThan(0);
    expect(emu.metrics().errors).toEqual(errorsBefore);
  });
});

describe('sandbox', () => {
  it('opens an account, pays in and buys, and the portfolio shows it', async () => {
    const { token } = await m.deposit(owner, { label: 'Play', value: DEMO_TOKENS.sandbox, endpoint: { kind: 'sandbox' } });
    expect(token.allowedClasses).toContain('trading');
    const { accountId } = await m.sandbox.openSandboxAccount(owner, { token: token.id, name: 'Practice' });
    await m.sandbox.payInSandbox(owner, { token: token.id, account: accountId, amount: '100000' });
    const order = await m.sandbox.placeSandboxOrder(owner, { token: token.id, account: accountId, instrument: SBER, direction: 'buy', lots: 2 });
    expect(order.lotsExecuted).toBe('2');
    const view = await m.sandbox.getSandbox(owner, token.id);
    const account = view.accounts.find((a) => a.accountId === accountId)!;
    expect(account.portfolio!.positions.find((p) => p.ticker === 'SBER')?.quantity).toBe('20');
    expect(view.instruments.some((i) => i.uid === SBER)).toBe(true);
    // A member without a grant cannot touch it.
    expect((await failure(m.sandbox.payInSandbox(member, { token: token.id, account: accountId, amount: '1' }))).code).toBe('not_found');
  });
});

describe('several tokens on one account', () => {
  it('counts each T-Bank account once', async () => {
    const single = await m.getOverview(owner);
    await m.deposit(owner, { label: 'Another', value: DEMO_TOKENS.fullAccess });
    const both = await m.getOverview(owner);
    expect(both.accounts.map((a) => a.accountId)).toEqual(single.accounts.map((a) => a.accountId));
    const values = both.accounts.filter((a) => a.value).map((a) => a.value!.amount);
    expect(both.total).toBe(m.aggregate.addDecimals(...values));
  });
});
