// Wire compatibility from the outside: the public npm SDK `tinkoff-invest-api` (its own
// generated code, nice-grpc transport) talks to our emulator exactly as it would to T-Bank.
import { randomUUID } from 'node:crypto';
import { SandboxAccount, TinkoffInvestApi } from 'tinkoff-invest-api';
import { CandleInterval } from 'tinkoff-invest-api/dist/generated/marketdata.js';
import { OrderDirection, OrderExecutionReportStatus, OrderType } from 'tinkoff-invest-api/dist/generated/orders.js';
import { SecurityTradingStatus } from 'tinkoff-invest-api/dist/generated/common.js';
import { SubscriptionInterval } from 'tinkoff-invest-api/dist/generated/marketdata.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ACCOUNTS, DEMO_TOKENS, startTinvestEmulator, type TinvestEmulator } from './index';

let emulator: TinvestEmulator;
const sdk = (token: string) => new TinkoffInvestApi({ token, appName: 'outside.sdk-test', endpoint: `localhost:${emulator.port}` });
const MARKET_STREAM_PATH = 'tinkoff.public.invest.api.contract.v1.MarketDataStreamService/MarketDataStream';

/** What an outside caller sees when a call fails: the SDK's TinkoffApiError fields. */
interface SdkError {
  code: number;
  details: string;
  trackingId: string;
  ratelimit: string;
  ratelimitRemaining: string;
  ratelimitReset: string;
}
const failure = (promise: Promise<unknown>) => promise.then(() => expect.fail('expected the call to fail'), (caught: unknown) => caught as SdkError);

/** Resolves with the first `count` items a callback-style SDK subscription delivers. */
function collect<T>(count: number, subscribe: (handler: (item: T) => void) => Promise<unknown>, timeoutMs = 10_000): Promise<T[]> {
  return new Promise((resolve, reject) => {
    const items: T[] = [];
    const timer = setTimeout(() => reject(new Error(`only ${items.length} of ${count} items within ${timeoutMs} ms`)), timeoutMs);
    subscribe((item) => {
      items.push(item);
      if (items.length === count) {
        clearTimeout(timer);
        resolve(items);
      }
    }).catch((error: unknown) => {
      clearTimeout(timer);
      reject(error as Error);
    });
  });
}

beforeAll(async () => {
  emulator = await startTinvestEmulator({ tickIntervalMs: 50 });
});
afterAll(async () => {
  await emulator.close();
});

describe('the npm SDK against the emulator', () => {
  it('lists accounts with per-account access levels for an account-scoped token', async () => {
    const { accounts } = await sdk(DEMO_TOKENS.accountScoped).users.getAccounts({});
    const byId = new Map(accounts.map((account) => [account.id, account.accessLevel]));
    // AccessLevel: 1 full, 2 read-only, 3 no access.
    expect(byId.get(DEMO_ACCOUNTS.broker)).toBe(1);
    expect(byId.get(DEMO_ACCOUNTS.iis)).toBe(2);
    expect(byId.get(DEMO_ACCOUNTS.closed)).toBe(3);
  });

  it('gets PERMISSION_DENIED 40002 with a tracking id when an account-scoped token reads a NO_ACCESS account', async () => {
    const error = await failure(sdk(DEMO_TOKENS.accountScoped).operations.getPortfolio({ accountId: DEMO_ACCOUNTS.closed }));
    expect(error).toMatchObject({ code: 7, details: 'insufficient privileges' });
    expect(error.trackingId).toMatch(/^[0-9a-f-]{36}$/);
    // The same token still reads the account it covers.
    await expect(sdk(DEMO_TOKENS.accountScoped).operations.getPortfolio({ accountId: DEMO_ACCOUNTS.iis })).resolves.toMatchObject({ accountId: DEMO_ACCOUNTS.iis });
  });

  it('reads a portfolio whose money fields decode as units + nano', async () => {
    const portfolio = await sdk(DEMO_TOKENS.readonly).operations.getPortfolio({ accountId: DEMO_ACCOUNTS.broker });
    expect(portfolio.accountId).toBe(DEMO_ACCOUNTS.broker);
    expect(portfolio.positions.length).toBeGreaterThan(0);
    const total = portfolio.totalAmountPortfolio!;
    expect(total.currency.toLowerCase()).toBe('rub');
    expect(Math.abs(total.nano)).toBeLessThan(1e9);
    expect(total.units).toBeGreaterThan(0);
  });

  it('pages GetOperationsByCursor to the end: newest first, no duplicates, cursor carried over', async () => {
    const api = sdk(DEMO_TOKENS.readonly);
    const seen: string[] = [];
    const dates: number[] = [];
    let cursor = '';
    let pages = 0;
    for (;;) {
      // ts-proto encodes repeated fields without a guard, so the SDK needs operationTypes even when empty.
      const page = await api.operations.getOperationsByCursor({ accountId: DEMO_ACCOUNTS.broker, limit: 25, cursor, operationTypes: [] });
      pages++;
      expect(page.items.length).toBeLessThanOrEqual(25);
      for (const item of page.items) {
        seen.push(item.id);
        dates.push(item.date!.getTime());
        expect(item.brokerAccountId).toBe(DEMO_ACCOUNTS.broker);
        expect(Math.abs(item.payment!.nano)).toBeLessThan(1e9);
      }
      if (!page.hasNext) break;
      expect(page.nextCursor).not.toBe('');
      cursor = page.nextCursor;
    }
    expect(pages).toBeGreaterThan(1);
    expect(new Set(seen).size).toBe(seen.length);
    expect(dates).toEqual([...dates].sort((a, b) => b - a));
    const limitError = await failure(api.operations.getOperationsByCursor({ accountId: DEMO_ACCOUNTS.broker, limit: 1001, operationTypes: [] }));
    expect(limitError).toMatchObject({ code: 3 });
  });

  it('gets last prices for shares found by ticker', async () => {
    const { instrument } = await sdk(DEMO_TOKENS.readonly).instruments.shareBy({ idType: 2, classCode: 'TQBR', id: 'SBER' });
    const { lastPrices } = await sdk(DEMO_TOKENS.readonly).marketdata.getLastPrices({ instrumentId: [instrument!.uid], figi: [], lastPriceType: 0 });
    expect(lastPrices[0]?.instrumentUid).toBe(instrument!.uid);
    expect(lastPrices[0]?.figi).toBe(instrument!.figi);
    expect(lastPrices[0]!.price!.units).toBeGreaterThan(0);
  });

  it('gets hourly candles, an order book and a trading status', async () => {
    const api = sdk(DEMO_TOKENS.readonly);
    const { instrument } = await api.instruments.shareBy({ idType: 2, classCode: 'TQBR', id: 'LKOH' });
    const to = new Date();
    const { candles } = await api.marketdata.getCandles({ instrumentId: instrument!.uid, from: new Date(to.getTime() - 86_400_000), to, interval: CandleInterval.CANDLE_INTERVAL_HOUR });
    expect(candles.length).toBeGreaterThan(0);
    for (const c of candles) {
      expect(c.time!.getUTCMinutes()).toBe(0);
      expect(api.helpers.toNumber(c.high!)).toBeGreaterThanOrEqual(api.helpers.toNumber(c.low!));
    }
    expect(candles.at(-1)!.isComplete).toBe(false);

    const book = await api.marketdata.getOrderBook({ instrumentId: instrument!.uid, depth: 10 });
    expect(book).toMatchObject({ figi: instrument!.figi, instrumentUid: instrument!.uid, depth: 10 });
    expect(book.bids.length).toBeGreaterThan(0);
    expect(api.helpers.toNumber(book.asks[0]!.price!)).toBeGreaterThan(api.helpers.toNumber(book.bids[0]!.price!));

    const status = await api.marketdata.getTradingStatus({ instrumentId: instrument!.uid });
    expect(status).toMatchObject({ figi: instrument!.figi, instrumentUid: instrument!.uid, tradingStatus: SecurityTradingStatus.SECURITY_TRADING_STATUS_NORMAL_TRADING, apiTradeAvailableFlag: true });
  });

  it('reads the tariff, then hits 80002 with x-ratelimit-* surfacing on the SDK error', async () => {
    // A user of its own (user 2), so the other tests keep their budgets.
    const api = sdk(DEMO_TOKENS.otherUser);
    const { unaryLimits, streamLimits } = await api.users.getUserTariff({});
    const users = unaryLimits.find((l) => l.methods.includes('tinkoff.public.invest.api.contract.v1.UsersService/GetInfo'))!;
    expect(users.limitPerMinute).toBeGreaterThan(0);
    expect(streamLimits.find((l) => l.streams.includes(MARKET_STREAM_PATH))?.limit).toBeGreaterThan(0);
    // GetUserTariff used one request of the group already.
    for (let i = 1; i < users.limitPerMinute; i++) await api.users.getInfo({});
    const error = await failure(api.users.getInfo({}));
    expect(error).toMatchObject({ code: 8, details: 'request limit exceeded', ratelimitRemaining: '0' });
    expect(error.ratelimit).toMatch(new RegExp(`^${users.limitPerMinute}, ${users.limitPerMinute};w=60$`));
    expect(Number(error.ratelimitReset)).toBeGreaterThan(0);
    expect(Number(error.ratelimitReset)).toBeLessThanOrEqual(60);
    expect(error.trackingId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('sees a revoked token as UNAUTHENTICATED with the message trailer and tracking id, as T-Bank reports it', async () => {
    const error = await sdk(DEMO_TOKENS.revoked).users.getAccounts({}).catch((caught: unknown) => caught);
    // The SDK surfaces the `message` trailer as its details (the numeric 40003 rides in grpc-message).
    expect(error).toMatchObject({ code: 16, details: 'authentication token is missing or invalid' });
    expect((error as { trackingId?: string }).trackingId).toMatch(/^[0-9a-f-]{36}$/);
    // Live 40003s carry the user's budget in the trailers too (investAPI#399: '100, 100;w=60', remaining 99).
    expect(error).toMatchObject({ ratelimit: expect.stringMatching(/^\d+, \d+;w=60$/), ratelimitRemaining: expect.stringMatching(/^\d+$/), ratelimitReset: expect.stringMatching(/^\d+$/) });
  });

  it('receives ticks on the SDK market stream', async () => {
    const api = sdk(DEMO_TOKENS.readonly);
    const { instrument } = await api.instruments.shareBy({ idType: 2, classCode: 'TQBR', id: 'GAZP' });
    const received = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no last price within 10 s')), 10_000);
      // This SDK generation routes stream data by FIGI, so the emulator must echo it.
      void api.stream.market.lastPrice({ instruments: [{ instrumentId: instrument!.figi, figi: instrument!.figi }] }, (price) => {
        clearTimeout(timer);
        resolve(price.price!.units);
      });
    });
    expect(received).toBeGreaterThan(0);
    await api.stream.market.cancel();
  });

  it('subscribes to order books, candles and trades on one SDK stream, each routed by its FIGI key', async () => {
    const api = sdk(DEMO_TOKENS.fullAccess);
    const { instruments } = await api.instruments.shares({ instrumentStatus: 1 });
    const picked = instruments.filter((s) => s.classCode === 'TQBR').slice(0, 6);
    const [first] = picked;
    const market = api.stream.market;

    // The SDK resolves `orderBook()` only when the reply's `${figi}_${depth}` keys match the request's.
    const books = await collect<{ figi: string; depth: number; bids: unknown[] }>(1, (handler) =>
      market.orderBook({ instruments: [{ figi: first!.figi, instrumentId: first!.uid, depth: 20, orderBookType: 1 }] }, handler),
    );
    expect(books[0]).toMatchObject({ figi: first!.figi, depth: 20 });
    expect(books[0]!.bids.length).toBeGreaterThan(0);

    const candles = await collect<{ figi: string; interval: number; time?: Date; instrumentUid: string }>(1, (handler) =>
      market.candles({ instruments: [{ figi: first!.figi, instrumentId: first!.uid, interval: SubscriptionInterval.SUBSCRIPTION_INTERVAL_ONE_MINUTE }], waitingClose: false }, handler),
    );
    expect(candles[0]).toMatchObject({ figi: first!.figi, instrumentUid: first!.uid, interval: SubscriptionInterval.SUBSCRIPTION_INTERVAL_ONE_MINUTE });
    expect(candles[0]!.time!.getUTCSeconds()).toBe(0);

    // Several instruments, so a trade arrives within seconds at the live rate (16–45 per minute each).
    const trades = await collect<{ figi: string; price?: { units: number }; time?: Date }>(2, (handler) =>
      market.trades({ instruments: picked.map((s) => ({ figi: s.figi, instrumentId: s.uid })), tradeSource: 3 }, handler),
    );
    for (const trade of trades) {
      expect(picked.map((s) => s.figi)).toContain(trade.figi);
      expect(trade.price!.units).toBeGreaterThan(0);
    }

    const mine = await market.getMySubscriptions();
    expect(mine.subscribeOrderBookResponse ?? mine.subscribeCandlesResponse ?? mine.subscribeTradesResponse).toBeDefined();
    await market.cancel();
  });

  it('runs the sandbox flow through the SDK sandbox client: open, pay in, buy, portfolio', async () => {
    const api = new TinkoffInvestApi({ token: DEMO_TOKENS.sandbox, appName: 'outside.sdk-test', endpoint: `localhost:${emulator.sandboxPort}` });
    const account = new SandboxAccount(api, '');
    await account.open();
    expect(account.accountId).not.toBe('');
    expect((await account.getInfo())?.id).toBe(account.accountId);

    const { balance } = await account.payIn({ currency: 'rub', units: 100_000, nano: 500_000_000 });
    expect(balance).toMatchObject({ currency: 'rub', units: 100_000, nano: 500_000_000 });

    const { instrument } = await api.instruments.shareBy({ idType: 2, classCode: 'TQBR', id: 'SBER' });
    const order = await account.postOrder({ instrumentId: instrument!.uid, quantity: 2, direction: OrderDirection.ORDER_DIRECTION_BUY, orderType: OrderType.ORDER_TYPE_MARKET, orderId: randomUUID() } as never);
    expect(order.executionReportStatus).toBe(OrderExecutionReportStatus.EXECUTION_REPORT_STATUS_FILL);
    expect(order.lotsExecuted).toBe(2);

    const portfolio = await account.getPortfolio();
    const position = portfolio.positions.find((p) => p.instrumentUid === instrument!.uid);
    expect(position?.figi).toBe(instrument!.figi);
    expect(api.helpers.toNumber(position!.quantity!)).toBe(2 * instrument!.lot);
    expect(api.helpers.toNumber(portfolio.totalAmountCurrencies!)).toBeLessThan(100_000.5);

    // A sandbox token is rejected on production for everything but SandboxService (§6.2).
    const error = await failure(sdk(DEMO_TOKENS.sandbox).users.getAccounts({}));
    expect(error).toMatchObject({ code: 16 });
    await account.close();
  });
});
