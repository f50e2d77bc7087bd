// Contract tests: raw grpc-js clients against the emulator, checking what outside SDKs rely on.
import { status } from '@grpc/grpc-js';
import { timestampFromMs } from '@bufbuild/protobuf/wkt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CandleInterval, MarketDataService, MarketDataStreamService, SubscriptionAction, SubscriptionInterval, SubscriptionStatus, type MarketDataResponse } from '@/lib/tinvest/gen/marketdata_pb';
import { InstrumentIdType, InstrumentsService } from '@/lib/tinvest/gen/instruments_pb';
import { OperationsService, OperationsStreamService, type PortfolioStreamResponse, type PositionsStreamResponse } from '@/lib/tinvest/gen/operations_pb';
import { OrderDirection, OrdersService, OrderType } from '@/lib/tinvest/gen/orders_pb';
import { SandboxService } from '@/lib/tinvest/gen/sandbox_pb';
import { AccessLevel, UsersService } from '@/lib/tinvest/gen/users_pb';
import { buildDefaultScenario, DEMO_ACCOUNTS, DEMO_TOKENS, startTinvestEmulator, type TinvestEmulator } from './index';
import { TestClient, until } from './test-client';

let emu: TinvestEmulator;
let prod: TestClient;
let sandbox: TestClient;

beforeAll(async () => {
  emu = await startTinvestEmulator({ tickIntervalMs: 50 });
  prod = new TestClient(emu.address, DEMO_TOKENS.fullAccess);
  sandbox = new TestClient(emu.sandboxAddress, DEMO_TOKENS.sandbox);
});

afterAll(async () => {
  prod.close();
  sandbox.close();
  await emu.close();
});

describe('metadata and auth', () => {
  it('sends a tracking id and rate-limit headers on unary responses', async () => {
    const r = await prod.unary(UsersService.method.getInfo, {});
    expect(r.headers.get('x-tracking-id')[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(r.headers.get('x-ratelimit-limit')[0]).toBe('100, 100;w=60');
    expect(Number(r.headers.get('x-ratelimit-remaining')[0])).toBeGreaterThanOrEqual(0);
    expect(Number(r.headers.get('x-ratelimit-reset')[0])).toBeGreaterThan(0);
  });

  it.each([
    ['missing', ''],
    ['unknown', 't.nope'],
    ['revoked', DEMO_TOKENS.revoked],
    ['expired', DEMO_TOKENS.expired],
    ['sandbox on prod', DEMO_TOKENS.sandbox],
  ])('refuses a %s token with UNAUTHENTICATED 40003', async (_name, token) => {
    const r = await new TestClient(emu.address).unary(UsersService.method.getAccounts, {}, token || undefined);
    expect(r.error?.code).toBe(status.UNAUTHENTICATED);
    expect(r.error?.details).toBe('40003');
    expect(r.trailers.get('message')[0]).toBe('authentication token is missing or invalid');
    expect(r.trailers.get('x-tracking-id')[0]).toBeTruthy();
  });

  it('refuses a production token on the sandbox port', async () => {
    const r = await sandbox.unary(UsersService.method.getAccounts, {}, DEMO_TOKENS.fullAccess);
    expect(r.error?.details).toBe('40003');
  });

  it('revokes and expires tokens through the control API', async () => {
    const scenario = buildDefaultScenario();
    const local = await startTinvestEmulator({ scenario });
    const c = new TestClient(local.address);
    expect((await c.unary(UsersService.method.getInfo, {}, DEMO_TOKENS.readonly)).error).toBeUndefined();
    local.control.expireToken(DEMO_TOKENS.readonly);
    expect((await c.unary(UsersService.method.getInfo, {}, DEMO_TOKENS.readonly)).error?.details).toBe('40003');
    local.control.revokeToken(DEMO_TOKENS.fullAccess);
    expect((await c.unary(UsersService.method.getInfo, {}, DEMO_TOKENS.fullAccess)).error?.details).toBe('40003');
    c.close();
    await local.close();
  });
});

describe('UsersService', () => {
  it.each([
    ['fullAccess', [AccessLevel.ACCOUNT_ACCESS_LEVEL_FULL_ACCESS, AccessLevel.ACCOUNT_ACCESS_LEVEL_FULL_ACCESS, AccessLevel.ACCOUNT_ACCESS_LEVEL_FULL_ACCESS]],
    ['readonly', [AccessLevel.ACCOUNT_ACCESS_LEVEL_READ_ONLY, AccessLevel.ACCOUNT_ACCESS_LEVEL_READ_ONLY, AccessLevel.ACCOUNT_ACCESS_LEVEL_READ_ONLY]],
    ['accountScoped', [AccessLevel.ACCOUNT_ACCESS_LEVEL_FULL_ACCESS, AccessLevel.ACCOUNT_ACCESS_LEVEL_READ_ONLY, AccessLevel.ACCOUNT_ACCESS_LEVEL_NO_ACCESS]],
  ] as const)('GetAccounts lists every account with %s access levels', async (kind, levels) => {
    const { accounts } = await prod.ok(UsersService.method.getAccounts, {}, DEMO_TOKENS[kind]);
    expect(accounts.map((a) => a.id)).toEqual([DEMO_ACCOUNTS.broker, DEMO_ACCOUNTS.iis, DEMO_ACCOUNTS.closed]);
    expect(accounts.map((a) => a.accessLevel)).toEqual(levels);
  });

  it('GetAccounts honours the status filter and shows only sandbox accounts on the sandbox port', async () => {
    const open = await prod.ok(UsersService.method.getAccounts, { status: 2 });
    expect(open.accounts.map((a) => a.id)).not.toContain(DEMO_ACCOUNTS.closed);
    const sbx = await sandbox.ok(UsersService.method.getAccounts, {});
    expect(sbx.accounts.map((a) => a.id)).toContain(DEMO_ACCOUNTS.sandbox);
  });

  it('GetUserTariff reports full method paths and open streams', async () => {
    const tariff = await prod.ok(UsersService.method.getUserTariff, {});
    expect(tariff.unaryLimits.some((l) => l.methods.includes('tinkoff.public.invest.api.contract.v1.UsersService/GetAccounts') && l.limitPerMinute === 100)).toBe(true);
    const md = tariff.streamLimits.find((l) => l.streams.includes('tinkoff.public.invest.api.contract.v1.MarketDataStreamService/MarketDataStream'));
    expect(md?.limit).toBe(16);
  });
});

describe('access', () => {
  it('answers 40002 for an account outside an account-scoped token', async () => {
    const r = await prod.unary(OperationsService.method.getPortfolio, { accountId: DEMO_ACCOUNTS.closed }, DEMO_TOKENS.accountScoped);
    expect(r.error?.code).toBe(status.PERMISSION_DENIED);
    expect(r.error?.details).toBe('40002');
  });

  it('answers 40002 when a readonly token places an order', async () => {
    const r = await prod.unary(OrdersService.method.postOrder, { accountId: DEMO_ACCOUNTS.broker, instrumentId: 'SBER_TQBR', quantity: 1n, direction: OrderDirection.BUY, orderType: OrderType.MARKET }, DEMO_TOKENS.readonly);
    expect(r.error?.details).toBe('40002');
  });

  it('fills a market order for a full-access token and shows it in operations', async () => {
    const order = await prod.ok(OrdersService.method.postOrder, { accountId: DEMO_ACCOUNTS.broker, instrumentId: 'GAZP_TQBR', quantity: 1n, direction: OrderDirection.BUY, orderType: OrderType.MARKET, orderId: 'test-1' });
    expect(order.executionReportStatus).toBe(1);
    const ops = await prod.ok(OperationsService.method.getOperationsByCursor, { accountId: DEMO_ACCOUNTS.broker, limit: 5 });
    expect(ops.items[0]?.ticker).toBe('GAZP');
  });
});

describe('OperationsService', () => {
  it('GetPortfolio has per-class totals that add up exactly', async () => {
    const p = await prod.ok(OperationsService.method.getPortfolio, { accountId: DEMO_ACCOUNTS.broker });
    const nanos = (m?: { units: bigint; nano: number }) => (m ? m.units * 1_000_000_000n + BigInt(m.nano) : 0n);
    expect(nanos(p.totalAmountShares) + nanos(p.totalAmountBonds) + nanos(p.totalAmountEtf) + nanos(p.totalAmountCurrencies)).toBe(nanos(p.totalAmountPortfolio));
    expect(p.positions.length).toBeGreaterThan(3);
    expect(p.virtualPositions).toEqual([]);
    for (const pos of p.positions) expect(Math.sign(Number(pos.currentPrice?.units ?? 0n)) * Math.sign(pos.currentPrice?.nano ?? 0)).toBeGreaterThanOrEqual(0);
  });

  it('pages GetOperationsByCursor without gaps or repeats', async () => {
    const all = await prod.ok(OperationsService.method.getOperations, { accountId: DEMO_ACCOUNTS.iis });
    const ids: string[] = [];
    let cursor = '';
    // The IIS holds years of history: pages of 50 keep the walk inside the per-minute request limit.
    for (let i = 0; i < 100; i++) {
      const page = await prod.ok(OperationsService.method.getOperationsByCursor, { accountId: DEMO_ACCOUNTS.iis, limit: 50, cursor });
      ids.push(...page.items.map((o) => o.id));
      if (!page.hasNext) break;
      cursor = page.nextCursor;
    }
    expect(ids).toEqual(all.operations.map((o) => o.id));
  });

  it('rejects limit > 1000 with 30069 and filters by type', async () => {
    const r = await prod.unary(OperationsService.method.getOperationsByCursor, { accountId: DEMO_ACCOUNTS.broker, limit: 1001 });
    expect(r.error?.code).toBe(status.INVALID_ARGUMENT);
    expect(r.error?.details).toBe('30069');
    const inputs = await prod.ok(OperationsService.method.getOperationsByCursor, { accountId: DEMO_ACCOUNTS.broker, operationTypes: [1] });
    expect(inputs.items.length).toBeGreaterThan(0);
    expect(inputs.items.every((o) => o.type === 1)).toBe(true);
  });
});

describe('InstrumentsService and MarketDataService', () => {
  it('finds instruments by ticker+class, requires class_code, and answers 50002 when missing', async () => {
    const share = await prod.ok(InstrumentsService.method.shareBy, { idType: InstrumentIdType.INSTRUMENT_ID_TYPE_TICKER, id: 'SBER', classCode: 'TQBR' });
    expect(share.instrument?.figi).toBe('BBG004730N88');
    expect((await prod.unary(InstrumentsService.method.getInstrumentBy, { idType: InstrumentIdType.INSTRUMENT_ID_TYPE_TICKER, id: 'SBER' })).error?.details).toBe('30013');
    const missing = await prod.unary(InstrumentsService.method.getInstrumentBy, { idType: InstrumentIdType.INSTRUMENT_ID_TYPE_FIGI, id: 'BBG000000000' });
    expect(missing.error?.code).toBe(status.NOT_FOUND);
    expect(missing.error?.details).toBe('50002');
    expect((await prod.unary(InstrumentsService.method.findInstrument, { query: '' })).error?.details).toBe('30087');
  });

  it('enforces candle ranges (30014) and marks only the current candle incomplete', async () => {
    const now = Date.now();
    const tooLong = await prod.unary(MarketDataService.method.getCandles, { instrumentId: 'SBER_TQBR', interval: CandleInterval.CANDLE_INTERVAL_1_MIN, from: timestampFromMs(now - 2 * 86_400_000), to: timestampFromMs(now) });
    expect(tooLong.error?.details).toBe('30014');
    const { candles } = await prod.ok(MarketDataService.method.getCandles, { instrumentId: 'SBER_TQBR', interval: CandleInterval.CANDLE_INTERVAL_1_MIN, from: timestampFromMs(now - 3_600_000), to: timestampFromMs(now + 60_000) });
    expect(candles.length).toBeGreaterThan(55);
    expect(candles.filter((c) => !c.isComplete)).toHaveLength(1);
    expect(candles.at(-1)?.isComplete).toBe(false);
    const limited = await prod.ok(MarketDataService.method.getCandles, { instrumentId: 'SBER_TQBR', interval: CandleInterval.CANDLE_INTERVAL_5_MIN, limit: 10 });
    expect(limited.candles).toHaveLength(10);
  });

  it('keeps the order book around the last price and checks depth', async () => {
    expect((await prod.unary(MarketDataService.method.getOrderBook, { instrumentId: 'SBER_TQBR', depth: 7 })).error?.details).toBe('30032');
    const book = await prod.ok(MarketDataService.method.getOrderBook, { instrumentId: 'SBER_TQBR', depth: 10 });
    const q = (v?: { units: bigint; nano: number }) => (v ? Number(v.units) + v.nano / 1e9 : 0);
    expect(book.bids).toHaveLength(10);
    expect(q(book.bids[0]?.price)).toBeLessThan(q(book.lastPrice));
    expect(q(book.asks[0]?.price)).toBeGreaterThan(q(book.lastPrice));
  });
});

describe('rate limits', () => {
  it('answers RESOURCE_EXHAUSTED 80002 past the scenario user limit', async () => {
    const scenario = buildDefaultScenario();
    const user = scenario.users[0];
    if (user) user.unaryLimits = [{ methods: ['UsersService'], limitPerMinute: 3 }];
    const local = await startTinvestEmulator({ scenario });
    const c = new TestClient(local.address, DEMO_TOKENS.fullAccess);
    for (let i = 0; i < 3; i++) expect((await c.unary(UsersService.method.getInfo, {})).error).toBeUndefined();
    const r = await c.unary(UsersService.method.getInfo, {});
    expect(r.error?.code).toBe(status.RESOURCE_EXHAUSTED);
    expect(r.error?.details).toBe('80002');
    expect(r.trailers.get('x-ratelimit-remaining')[0]).toBe('0');
    expect((await c.unary(InstrumentsService.method.shares, {})).error).toBeUndefined();
    c.close();
    await local.close();
  });
});

describe('MarketDataStream', () => {
  it('subscribes, streams consistent last prices, answers pings and unsubscribes', async () => {
    emu.control.setPingDelayMs(200);
    const stream = prod.bidi(MarketDataStreamService.method.marketDataStream);
    stream.write({ payload: { case: 'subscribeLastPriceRequest', value: { subscriptionAction: SubscriptionAction.SUBSCRIBE, instruments: [{ instrumentId: 'SBER_TQBR' }, { instrumentId: 'NOPE_TQBR' }] } } });
    const seen = await until<MarketDataResponse>(stream, (all) => all.some((m) => m.payload.case === 'ping') && all.filter((m) => m.payload.case === 'lastPrice').length >= 2, 8000);
    const reply = seen.find((m) => m.payload.case === 'subscribeLastPriceResponse');
    const subs = reply?.payload.case === 'subscribeLastPriceResponse' ? reply.payload.value : undefined;
    expect(subs?.trackingId).toBeTruthy();
    expect(subs?.lastPriceSubscriptions.map((s) => s.subscriptionStatus)).toEqual([SubscriptionStatus.SUCCESS, SubscriptionStatus.INSTRUMENT_NOT_FOUND]);
    stream.write({ payload: { case: 'subscribeLastPriceRequest', value: { subscriptionAction: SubscriptionAction.UNSUBSCRIBE, instruments: [{ instrumentId: 'SBER_TQBR' }] } } });
    stream.write({ payload: { case: 'getMySubscriptions', value: {} } });
    const after = await until<MarketDataResponse>(stream, (all) => all.some((m) => m.payload.case === 'subscribeLastPriceResponse'));
    const unsub = after.find((m) => m.payload.case === 'subscribeLastPriceResponse');
    expect(unsub?.payload.case === 'subscribeLastPriceResponse' && unsub.payload.value.lastPriceSubscriptions[0]?.subscriptionStatus).toBe(SubscriptionStatus.SUCCESS);
    expect(emu.metrics().openStreams['demo-full-access']).toBeGreaterThanOrEqual(1);
    stream.end();
    emu.control.reset();
  });

  it('answers LIMIT_IS_EXCEEDED past 300 subscriptions on one stream', async () => {
    const stream = prod.bidi(MarketDataStreamService.method.marketDataStream);
    const instruments = emu.scenario.instruments.flatMap((i) => Array.from({ length: 13 }, (_, k) => ({ instrumentId: i.uid, interval: (k + 1) as SubscriptionInterval })));
    expect(instruments.length).toBeGreaterThan(300);
    stream.write({ payload: { case: 'subscribeCandlesRequest', value: { subscriptionAction: SubscriptionAction.SUBSCRIBE, waitingClose: true, instruments } } });
    const [reply] = await until<MarketDataResponse>(stream, (all) => all.some((m) => m.payload.case === 'subscribeCandlesResponse'));
    const statuses = reply?.payload.case === 'subscribeCandlesResponse' ? reply.payload.value.candlesSubscriptions.map((s) => s.subscriptionStatus) : [];
    expect(statuses.filter((s) => s === SubscriptionStatus.SUCCESS)).toHaveLength(300);
    expect(statuses.filter((s) => s === SubscriptionStatus.LIMIT_IS_EXCEEDED)).toHaveLength(instruments.length - 300);
    stream.end();
  });

  it('candles contain the streamed trades and the fault drops streams with UNAVAILABLE', { timeout: 60_000 }, async () => {
    const stream = prod.bidi(MarketDataStreamService.method.marketDataStream);
    stream.write({ payload: { case: 'subscribeTradesRequest', value: { subscriptionAction: SubscriptionAction.SUBSCRIBE, instruments: [{ instrumentId: 'LKOH_TQBR' }] } } });
    stream.write({ payload: { case: 'subscribeCandlesRequest', value: { subscriptionAction: SubscriptionAction.SUBSCRIBE, instruments: [{ instrumentId: 'LKOH_TQBR', interval: SubscriptionInterval.SUBSCRIPTION_INTERVAL_ONE_MINUTE }] } } });
    // A quiet minute has 16 trades (one every ~3.75 s): 10 s could hold too few of them, 25 s cannot.
    const seen = await until<MarketDataResponse>(stream, (all) => all.filter((m) => m.payload.case === 'trade').length >= 2 && all.filter((m) => m.payload.case === 'candle').length >= 2, 25_000);
    const q = (v?: { units: bigint; nano: number }) => (v ? Number(v.units) + v.nano / 1e9 : 0);
    let lastTrade = 0;
    for (const m of seen) {
      if (m.payload.case === 'trade') lastTrade = q(m.payload.value.price);
      if (m.payload.case === 'candle' && lastTrade) {
        expect(q(m.payload.value.high)).toBeGreaterThanOrEqual(lastTrade);
        expect(q(m.payload.value.low)).toBeLessThanOrEqual(lastTrade);
      }
    }
    try {
      emu.control.dropStreamsAfter(1);
      // A request the server answers at once: the drop never waits on the market's own pace (flaky under load).
      stream.write({ payload: { case: 'getMySubscriptions', value: {} } });
      const error = await until<MarketDataResponse>(stream, () => false, 10_000).catch((e: { code?: number }) => e);
      expect((error as { code?: number }).code).toBe(status.UNAVAILABLE);
    } finally {
      // Later tests must not inherit the fault when this one fails.
      emu.control.reset();
    }
  });

  it('refuses streams past the user stream limit with 80001', async () => {
    const scenario = buildDefaultScenario();
    const user = scenario.users[0];
    if (user) user.streamLimits = [{ streams: ['tinkoff.public.invest.api.contract.v1.MarketDataStreamService/MarketDataStream'], limit: 1 }];
    const local = await startTinvestEmulator({ scenario });
    const c = new TestClient(local.address, DEMO_TOKENS.fullAccess);
    const first = c.bidi(MarketDataStreamService.method.marketDataStream);
    first.write({ payload: { case: 'getMySubscriptions', value: {} } });
    await new Promise((r) => setTimeout(r, 200));
    const second = c.bidi(MarketDataStreamService.method.marketDataStream);
    const error = await until(second, () => false, 3000).catch((e: { code?: number; details?: string }) => e);
    expect((error as { details?: string }).details).toBe('80001');
    first.cancel();
    c.close();
    await local.close();
  });
});

describe('sandbox flow', () => {
  it('opens, pays in, trades, and streams the portfolio change', async () => {
    const { accountId } = await sandbox.ok(SandboxService.method.openSandboxAccount, { name: 'test' });
    const portfolioStream = sandbox.serverStream(OperationsStreamService.method.portfolioStream, { accounts: [accountId] });
    const streamed = until<PortfolioStreamResponse>(portfolioStream, (all) => all[0]?.payload.case === 'subscriptions' && all.some((m) => m.payload.case === 'portfolio' && m.payload.value.positions.some((p) => p.ticker === 'SBER')));
    await new Promise((resolve) => setTimeout(resolve, 100));
    const payIn = await sandbox.ok(SandboxService.method.sandboxPayIn, { accountId, amount: { currency: 'rub', units: 100_000n, nano: 0 } });
    expect(payIn.balance?.units).toBe(100_000n);
    const usd = await sandbox.unary(SandboxService.method.sandboxPayIn, { accountId, amount: { currency: 'usd', units: 1n, nano: 0 } });
    expect(usd.error?.code).toBe(status.INVALID_ARGUMENT);
    const order = await sandbox.ok(SandboxService.method.postSandboxOrder, { accountId, instrumentId: 'SBER_TQBR', quantity: 2n, direction: OrderDirection.BUY, orderType: OrderType.MARKET });
    expect(order.lotsExecuted).toBe(2n);
    const update = await streamed;
    expect(update.length).toBeGreaterThan(1);
    const positions = await sandbox.ok(SandboxService.method.getSandboxPositions, { accountId });
    expect(positions.securities.find((s) => s.ticker === 'SBER')?.balance).toBe(20n);
    const ops = await sandbox.ok(SandboxService.method.getSandboxOperationsByCursor, { accountId });
    expect(ops.items.map((o) => o.type)).toEqual(expect.arrayContaining([1, 15, 19]));
    portfolioStream.cancel();
    await sandbox.ok(SandboxService.method.closeSandboxAccount, { accountId });
    const { accounts } = await sandbox.ok(SandboxService.method.getSandboxAccounts, {});
    expect(accounts.map((a) => a.id)).not.toContain(accountId);
  });
});

describe('sandbox positions stream', () => {
  it('sends initial positions, then only the entries that changed, with a sold-out security at balance 0', async () => {
    const { accountId } = await sandbox.ok(SandboxService.method.openSandboxAccount, { name: 'positions' });
    await sandbox.ok(SandboxService.method.sandboxPayIn, { accountId, amount: { currency: 'rub', units: 100_000n, nano: 0 } });
    const stream = sandbox.serverStream(OperationsStreamService.method.positionsStream, { accounts: [accountId], withInitialPositions: true });
    const changes = (all: PositionsStreamResponse[]) => all.filter((m) => m.payload.case === 'position').map((m) => (m.payload.case === 'position' ? m.payload.value : null)!);
    const three = until<PositionsStreamResponse>(stream, (all) => changes(all).length >= 3);
    await new Promise((resolve) => setTimeout(resolve, 100));
    await sandbox.ok(SandboxService.method.postSandboxOrder, { accountId, instrumentId: 'SBER_TQBR', quantity: 2n, direction: OrderDirection.BUY, orderType: OrderType.MARKET });
    await sandbox.ok(SandboxService.method.postSandboxOrder, { accountId, instrumentId: 'SBER_TQBR', quantity: 2n, direction: OrderDirection.SELL, orderType: OrderType.MARKET });
    await sandbox.ok(SandboxService.method.sandboxPayIn, { accountId, amount: { currency: 'rub', units: 1n, nano: 0 } });
    const all = await three;
    stream.cancel();
    expect(all.map((m) => m.payload.case).slice(0, 2)).toEqual(['subscriptions', 'initialPositions']);
    const initial = all[1]!.payload.case === 'initialPositions' ? all[1]!.payload.value : null;
    expect(initial?.money.map((m) => [m.currency, m.units])).toEqual([['rub', 100_000n]]);
    const [bought, sold, paid] = changes(all);
    expect(bought!.securities.map((p) => [p.ticker, p.balance, p.blocked])).toEqual([['SBER', 20n, 0n]]);
    expect(bought!.money.map((m) => m.availableValue?.currency)).toEqual(['rub']);
    expect(sold!.securities.map((p) => [p.ticker, p.balance, p.blocked])).toEqual([['SBER', 0n, 0n]]);
    // Only cash moved: no securities in the change.
    expect(paid!.securities).toEqual([]);
    expect(paid!.money).toHaveLength(1);
    await sandbox.ok(SandboxService.method.closeSandboxAccount, { accountId });
  });
});

describe('faults', () => {
  it('fails the next call with the configured status and code', async () => {
    emu.control.failNext({ method: 'GetPortfolio', code: status.INTERNAL, details: '70001', message: 'internal error' });
    const r = await prod.unary(OperationsService.method.getPortfolio, { accountId: DEMO_ACCOUNTS.broker });
    expect(r.error?.code).toBe(status.INTERNAL);
    expect(r.error?.details).toBe('70001');
    expect((await prod.unary(OperationsService.method.getPortfolio, { accountId: DEMO_ACCOUNTS.broker })).error).toBeUndefined();
    expect(emu.metrics().errors['70001']).toBeGreaterThanOrEqual(1);
  });

  it('serves the admin endpoint', async () => {
    expect(await (await fetch(`${emu.adminUrl}/healthz`)).json()).toEqual({ ok: true });
    const res = await fetch(`${emu.adminUrl}/faults/fail-next`, { method: 'POST', body: JSON.stringify({ method: 'GetInfo', code: 14, details: '' }) });
    expect(res.status).toBe(200);
    expect((await prod.unary(UsersService.method.getInfo, {})).error?.code).toBe(status.UNAVAILABLE);
    const metrics = (await (await fetch(`${emu.adminUrl}/metrics`)).json()) as { calls: Record<string, number> };
    expect(metrics.calls.GetInfo).toBeGreaterThan(0);
  });
});
