// Every RPC the app uses, against the in-process emulator: DTOs, errors, rate limits, streams and faults.
import { status } from '@grpc/grpc-js';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_ACCOUNTS, DEMO_TOKENS, startTinvestEmulator } from '@/emulator/tinvest';
import { createTokenHandle } from '@/lib/vault/token-handle';
import { closeChannels } from './channel';
import { createTinvestClient, type TinvestClient } from './create-tinvest-client';
import type { MarketDataEvent } from './dto';
import { rateLimitState } from './rate-limit-state';
import { TinvestError } from './tinvest-error';
import { takeEvents } from '@/lib/testing/take-events';

type Emulator = Awaited<ReturnType<typeof startTinvestEmulator>>;
let emu: Emulator;
const handles = {
  readonly: createTokenHandle('it-readonly', DEMO_TOKENS.readonly),
  full: createTokenHandle('it-full', DEMO_TOKENS.fullAccess),
  sandbox: createTokenHandle('it-sandbox', DEMO_TOKENS.sandbox),
  revoked: createTokenHandle('it-revoked', DEMO_TOKENS.revoked),
  expired: createTokenHandle('it-expired', DEMO_TOKENS.expired),
};
let prod: (h: keyof typeof handles) => TinvestClient;
let sandbox: TinvestClient;

async function failure(promise: Promise<unknown>): Promise<TinvestError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(TinvestError);
  return error as TinvestError;
}


beforeAll(async () => {
  emu = await startTinvestEmulator({ port: 0, sandboxPort: 0, adminPort: 0, tickIntervalMs: 20 });
  prod = (h) => createTinvestClient({ endpoint: { address: emu.address }, token: handles[h], appName: 'strongroom-test' });
  sandbox = createTinvestClient({ endpoint: { address: emu.sandboxAddress }, token: handles.sandbox });
});

afterAll(async () => {
  closeChannels();
  await emu?.close();
});

beforeEach(() => emu.control.reset());

describe('UsersService', () => {
  it('GetAccounts, GetInfo, GetUserTariff', async () => {
    const accounts = await prod('readonly').getAccounts();
    expect(accounts.map((a) => a.id)).toContain(DEMO_ACCOUNTS.broker);
    expect(accounts[0]).toMatchObject({ type: expect.any(String), status: expect.any(String), accessLevel: expect.stringContaining('account_access_level_') });
    const info = await prod('readonly').getInfo();
    expect(info.tariff).toBe('investor');
    const tariff = await prod('readonly').getUserTariff();
    expect(tariff.unaryLimits.length).toBeGreaterThan(0);
    expect(tariff.streamLimits.length).toBeGreaterThan(0);
  });
});

describe('OperationsService', () => {
  it('GetPortfolio, GetPositions, GetOperations, GetOperationsByCursor', async () => {
    const client = prod('readonly');
    const portfolio = await client.getPortfolio({ accountId: DEMO_ACCOUNTS.broker });
    expect(portfolio.accountId).toBe(DEMO_ACCOUNTS.broker);
    expect(portfolio.totals.portfolio?.amount).toMatch(/^-?\d+(\.\d+)?$/);
    expect(portfolio.positions.length).toBeGreaterThan(0);
    const positions = await client.getPositions({ accountId: DEMO_ACCOUNTS.broker });
    expect(positions.money.length).toBeGreaterThan(0);
    const operations = await client.getOperations({ accountId: DEMO_ACCOUNTS.broker, from: Date.now() - 365 * 86_400_000, to: new Date() });
    expect(operations.length).toBeGreaterThan(0);
    const first = await client.getOperationsByCursor({ accountId: DEMO_ACCOUNTS.broker, limit: 5 });
    expect(first.items.length).toBeGreaterThan(0);
    if (first.hasNext) {
      const second = await client.getOperationsByCursor({ accountId: DEMO_ACCOUNTS.broker, limit: 5, cursor: first.nextCursor! });
      expect(second.items[0]?.id).not.toBe(first.items[0]?.id);
    }
  });
});

describe('InstrumentsService', () => {
  it('lists, finds and looks up instruments', async () => {
    const client = prod('readonly');
    const shares = await client.shares();
    const sber = shares.find((s) => s.ticker === 'SBER')!;
    expect(sber).toMatchObject({ kind: 'share', lot: 10, currency: 'RUB', minPriceIncrement: '0.01' });
    expect((await client.shareBy('ticker', 'SBER', 'TQBR'))?.uid).toBe(sber.uid);
    expect((await client.getInstrumentBy('uid', sber.uid))?.ticker).toBe('SBER');
    const bonds = await client.bonds();
    expect(bonds.length).toBeGreaterThan(0);
    expect((await client.bondBy('uid', bonds[0]!.uid))?.bond).not.toBeNull();
    const etfs = await client.etfs();
    if (etfs[0]) expect((await client.etfBy('uid', etfs[0].uid))?.kind).toBe('etf');
    const currencies = await client.currencies();
    if (currencies[0]) expect((await client.currencyBy('uid', currencies[0].uid))?.kind).toBe('currency');
    expect((await client.findInstrument({ query: 'SBER' })).some((i) => i.uid === sber.uid)).toBe(true);
    const schedules = await client.tradingSchedules({ from: new Date(), to: Date.now() + 3 * 86_400_000 });
    expect(Array.isArray(schedules)).toBe(true);
    const missing = await failure(client.getInstrumentBy('uid', '00000000-0000-0000-0000-000000000000'));
    expect(missing.kind).toBe('not_found');
  });
});

describe('MarketDataService', () => {
  it('candles, last prices, order book, trading status(es), close prices', async () => {
    const client = prod('readonly');
    const sber = (await client.shareBy('ticker', 'SBER', 'TQBR'))!;
    const candles = await client.getCandles({ instrumentId: sber.uid, interval: 'candle_interval_hour', from: Date.now() - 2 * 86_400_000, to: new Date() });
    expect(Array.isArray(candles)).toBe(true);
    const prices = await client.getLastPrices({ instrumentIds: [sber.uid] });
    expect(prices[0]).toMatchObject({ instrumentUid: sber.uid, price: expect.stringMatching(/^\d+(\.\d+)?$/) });
    const book = await client.getOrderBook({ instrumentId: sber.uid, depth: 10 });
    expect(book.depth).toBe(10);
    expect((await client.getTradingStatus({ instrumentId: sber.uid })).instrumentUid).toBe(sber.uid);
    expect((await client.getTradingStatuses({ instrumentIds: [sber.uid] })).length).toBe(1);
    expect((await client.getClosePrices({ instrumentIds: [sber.uid] })).length).toBe(1);
    expect(rateLimitState(handles.readonly, 'GetLastPrices')).toMatchObject({ group: 'marketdata', limit: 600 });
  });
});

describe('MarketDataStream', () => {
  it('subscribes, streams, unsubscribes and pings', async () => {
    const client = prod('readonly');
    const sber = (await client.shareBy('ticker', 'SBER', 'TQBR'))!;
    const stream = client.marketDataStream();
    stream.subscribe({ kind: 'last_price', instrumentIds: [sber.uid] });
    stream.subscribe({ kind: 'trades', instrumentIds: [sber.uid] });
    const events = await takeEvents<MarketDataEvent>(stream, (e) => e.type !== 'ping', 3);
    const subs = events.filter((e) => e.type === 'subscription');
    expect(subs.map((s) => s.type === 'subscription' && s.items[0]?.status)).toContain('success');
    expect(events.some((e) => e.type === 'last_price' || e.type === 'trade')).toBe(true);

    const second = client.marketDataStream();
    second.subscribe({ kind: 'last_price', instrumentIds: [sber.uid] });
    second.unsubscribe({ kind: 'last_price', instrumentIds: [sber.uid] });
    const statuses = await takeEvents<MarketDataEvent>(second, (e) => e.type === 'subscription', 2);
    expect(statuses.map((e) => e.type === 'subscription' && e.items[0]?.action)).toEqual(['subscribe', 'unsubscribe']);
    second.close();

    emu.control.setPingDelayMs(50);
    const pinged = client.marketDataStream();
    pinged.subscribe({ kind: 'info', instrumentIds: [sber.uid] });
    const pings = await takeEvents<MarketDataEvent>(pinged, (e) => e.type === 'ping', 1);
    expect(pings[0]).toMatchObject({ type: 'ping' });
  });

  it('server-side stream delivers and closes on abort', async () => {
    const client = prod('readonly');
    const sber = (await client.shareBy('ticker', 'SBER', 'TQBR'))!;
    const controller = new AbortController();
    const stream = client.marketDataServerSideStream({ subscriptions: [{ kind: 'last_price', instrumentIds: [sber.uid] }], signal: controller.signal });
    const events = await takeEvents<MarketDataEvent>(stream, (e) => e.type === 'last_price', 1);
    expect(events.length).toBe(1);
    controller.abort();
  });

  it('surfaces a dropped stream as a typed error', async () => {
    const client = prod('readonly');
    const sber = (await client.shareBy('ticker', 'SBER', 'TQBR'))!;
    emu.control.dropStreamsAfter(3);
    const stream = client.marketDataStream();
    stream.subscribe({ kind: 'last_price', instrumentIds: [sber.uid] });
    stream.subscribe({ kind: 'orderbook', instrumentIds: [sber.uid], depth: 10 });
    stream.subscribe({ kind: 'info', instrumentIds: [sber.uid] });
    const error = await takeEvents(stream, () => false, 1, 5000).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(TinvestError);
  });
});

describe('OperationsStreamService', () => {
  it('PortfolioStream and PositionsStream start with a subscription result', async () => {
    const client = prod('readonly');
    const portfolio = await takeEvents(client.portfolioStream({ accountIds: [DEMO_ACCOUNTS.broker] }), () => true, 1);
    expect(portfolio[0]).toMatchObject({ type: 'subscription', accounts: [{ accountId: DEMO_ACCOUNTS.broker, status: 'success' }] });
    const positions = await takeEvents(client.positionsStream({ accountIds: [DEMO_ACCOUNTS.broker], withInitialPositions: true }), () => true, 2);
    expect(positions.map((e) => e.type)).toEqual(['subscription', 'initial_positions']);
  });
});

describe('OrdersService', () => {
  it('refuses orders from a readonly token with 40002', async () => {
    const sber = (await prod('readonly').shareBy('ticker', 'SBER', 'TQBR'))!;
    const error = await failure(prod('readonly').postOrder({ accountId: DEMO_ACCOUNTS.broker, instrumentId: sber.uid, quantity: 1, direction: 'buy', orderType: 'market', orderId: crypto.randomUUID() }));
    expect(error).toMatchObject({ kind: 'insufficient_rights', apiCode: '40002', status: 403 });
    expect(error.trackingId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('posts, lists, inspects and cancels orders with a full-access token', async () => {
    const client = prod('full');
    const sber = (await client.shareBy('ticker', 'SBER', 'TQBR'))!;
    const [last] = await client.getLastPrices({ instrumentIds: [sber.uid] });
    const price = (Number(last!.price) * 0.9).toFixed(2);
    const order = await client.postOrder({ accountId: DEMO_ACCOUNTS.broker, instrumentId: sber.uid, quantity: 1, direction: 'buy', orderType: 'limit', price, orderId: crypto.randomUUID() });
    expect(order.orderId).not.toBe('');
    expect((await client.getOrders({ accountId: DEMO_ACCOUNTS.broker })).some((o) => o.orderId === order.orderId)).toBe(true);
    expect((await client.getOrderState({ accountId: DEMO_ACCOUNTS.broker, orderId: order.orderId })).orderId).toBe(order.orderId);
    expect((await client.cancelOrder({ accountId: DEMO_ACCOUNTS.broker, orderId: order.orderId })).cancelledAt).not.toBeNull();
  });
});

describe('SandboxService', () => {
  it('runs the sandbox account lifecycle', async () => {
    const { accountId } = await sandbox.openSandboxAccount({ name: 'it' });
    expect((await sandbox.getSandboxAccounts()).some((a) => a.id === accountId)).toBe(true);
    expect((await sandbox.sandboxPayIn({ accountId, amount: '100000.50' })).balance).toMatchObject({ amount: '100000.5', currency: 'RUB' });
    const sber = (await prod('readonly').shareBy('ticker', 'SBER', 'TQBR'))!;
    const filled = await sandbox.postSandboxOrder({ accountId, instrumentId: sber.uid, quantity: 1, direction: 'buy', orderType: 'market', orderId: crypto.randomUUID() });
    expect(filled.orderId).not.toBe('');
    const [last] = await prod('readonly').getLastPrices({ instrumentIds: [sber.uid] });
    const resting = await sandbox.postSandboxOrder({ accountId, instrumentId: sber.uid, quantity: 1, direction: 'buy', orderType: 'limit', price: (Number(last!.price) * 0.8).toFixed(2), orderId: crypto.randomUUID() });
    expect((await sandbox.getSandboxOrders({ accountId })).some((o) => o.orderId === resting.orderId)).toBe(true);
    await sandbox.cancelSandboxOrder({ accountId, orderId: resting.orderId });
    expect((await sandbox.getSandboxPortfolio({ accountId })).accountId).toBe(accountId);
    expect((await sandbox.getSandboxPositions({ accountId })).money.length).toBeGreaterThan(0);
    expect((await sandbox.getSandboxOperationsByCursor({ accountId })).items.length).toBeGreaterThan(0);
    await sandbox.closeSandboxAccount({ accountId });
  });
});

describe('token errors', () => {
  it.each(['revoked', 'expired', 'sandbox'] as const)('%s token on production → 40003 token_invalid', async (name) => {
    const error = await failure(prod(name).getAccounts());
    expect(error).toMatchObject({ kind: 'token_invalid', apiCode: '40003', grpcCode: status.UNAUTHENTICATED, serverMessage: 'authentication token is missing or invalid' });
    const token = { revoked: DEMO_TOKENS.revoked, expired: DEMO_TOKENS.expired, sandbox: DEMO_TOKENS.sandbox }[name];
    expect(JSON.stringify(error)).not.toContain(token);
    expect(error.message).not.toContain(token);
  });

  it('revocation at runtime takes effect', async () => {
    const token = createTokenHandle('it-soon-revoked', DEMO_TOKENS.accountScoped);
    const client = createTinvestClient({ endpoint: { address: emu.address }, token });
    await client.getAccounts();
    emu.control.revokeToken(DEMO_TOKENS.accountScoped);
    expect((await failure(client.getAccounts())).kind).toBe('token_invalid');
  });
});

describe('rate limits and faults', () => {
  it('hits 80002 with reset seconds and tracks the budget', async () => {
    const token = createTokenHandle('it-burst', DEMO_TOKENS.fullAccess);
    const client = createTinvestClient({ endpoint: { address: emu.address }, token });
    let error: TinvestError | undefined;
    for (let i = 0; i < 150 && !error; i++) error = await client.getInfo().then(() => undefined, (e: TinvestError) => e);
    expect(error).toMatchObject({ kind: 'rate_limited', apiCode: '80002', status: 429 });
    expect(error!.resetSeconds).toBeGreaterThan(0);
    expect(error!.retryAfterSeconds).toBe(error!.resetSeconds);
    expect(rateLimitState(token, 'GetInfo')?.remaining).toBe(0);
  });

  it('maps injected failures and delays', async () => {
    emu.control.failNext({ method: 'GetPortfolio', code: status.INTERNAL, details: '70001', message: 'internal error' });
    expect(await failure(prod('readonly').getPortfolio({ accountId: DEMO_ACCOUNTS.broker }))).toMatchObject({ kind: 'internal', apiCode: '70001' });
    emu.control.failNext({ method: 'GetAccounts', code: status.UNAVAILABLE, details: '', message: 'upstream gone' });
    expect((await failure(prod('readonly').getAccounts())).kind).toBe('unavailable');
    emu.control.failNext({ method: 'GetPositions', code: status.NOT_FOUND, details: '50004' });
    expect((await failure(prod('readonly').getPositions({ accountId: DEMO_ACCOUNTS.broker }))).kind).toBe('not_found');
    const controller = new AbortController();
    emu.control.delay({ method: 'GetInfo', ms: 2000 });
    setTimeout(() => controller.abort(), 50);
    expect((await failure(prod('readonly').getInfo({ signal: controller.signal }))).kind).toBe('cancelled');
  });
});
