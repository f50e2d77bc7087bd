// Our client against a server nobody here wrote: the npm SDK's own ts-proto definitions, served by nice-grpc.
// If our .proto field numbers or types drifted from T-Bank's contract, these decodes would come out wrong.
import { createServer, Metadata, ServerError, Status, type CallContext, type Server } from 'nice-grpc';
import { CandleSource, MarketDataStreamServiceDefinition, MarketDataServiceDefinition, type MarketDataRequest, type MarketDataResponse, LastPriceType, OrderBookType, SubscriptionAction, SubscriptionInterval, SubscriptionStatus, TradeDirection, TradeSourceType } from 'tinkoff-invest-api/dist/generated/marketdata.js';
import { SecurityTradingStatus } from 'tinkoff-invest-api/dist/generated/common.js';
import { OperationsServiceDefinition, PortfolioRequest_CurrencyRequest } from 'tinkoff-invest-api/dist/generated/operations.js';
import { AccessLevel, AccountStatus, AccountType, UsersServiceDefinition } from 'tinkoff-invest-api/dist/generated/users.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTokenHandle } from '@/lib/vault/token-handle';
import { closeChannels } from './channel';
import { createTinvestClient } from './create-tinvest-client';
import type { MarketDataEvent } from './dto';
import { clearRateLimits, rateLimitState } from './rate-limit-state';
import { TinvestError } from './tinvest-error';
import { implement } from '../testing/foreign-tinvest';

const TOKEN = 't.foreign-server-test-token-0123456789';
const TRACKING = '6437a9e1-0d4b-4c8e-9a3f-1b2c3d4e5f60';
const STREAM_ID = 'b1f2c3d4-0000-4000-8000-000000000001';
const SBER = { figi: 'BBG004730N88', uid: 'e6123145-9665-43e0-8413-cd61b8aa9b13', positionUid: '41eb2102-5333-4713-bf15-72b204c4bf7b' };
const OPENED = new Date('2021-03-15T09:12:34.567Z');
const CLOSED = new Date('2023-01-01T00:00:00.000Z');
const TICK = new Date('2025-06-02T07:00:01.250Z');
const rub = (units: number, nano: number) => ({ currency: 'rub', units, nano });
const q = (units: number, nano: number) => ({ units, nano });

/** T-Invest's response headers on every unary answer. */
function rateHeaders(md: Metadata, remaining: number, reset: number): void {
  md.set('x-tracking-id', TRACKING);
  md.set('x-ratelimit-limit', '100, 100;w=60');
  md.set('x-ratelimit-remaining', String(remaining));
  md.set('x-ratelimit-reset', String(reset));
}

/** T-Invest's error shape: numeric code as the status details, text and ids in the trailers. */
function tinvestFailure(ctx: CallContext, code: Status, apiCode: string, message: string, remaining: number, reset: number): ServerError {
  ctx.trailer.set('message', message);
  rateHeaders(ctx.trailer, remaining, reset);
  return new ServerError(code, apiCode);
}

const seen: { authorization?: string; appName?: string; portfolioCurrency?: number; lastPriceIds?: string[]; streamRequests: MarketDataRequest[] } = { streamRequests: [] };


let server: Server;
let address: string;

beforeAll(async () => {
  server = createServer();
  server.add(
    UsersServiceDefinition,
    implement(UsersServiceDefinition, {
      getAccounts: async (_req: unknown, ctx: CallContext) => {
        seen.authorization = ctx.metadata.get('authorization');
        seen.appName = ctx.metadata.get('x-app-name');
        rateHeaders(ctx.header, 97, 42);
        return {
          accounts: [
            { id: '2000111222', type: AccountType.ACCOUNT_TYPE_TINKOFF_IIS, name: 'ИИС «Долгосрочный»', status: AccountStatus.ACCOUNT_STATUS_OPEN, openedDate: OPENED, closedDate: undefined, accessLevel: AccessLevel.ACCOUNT_ACCESS_LEVEL_READ_ONLY },
            { id: '2000333444', type: AccountType.ACCOUNT_TYPE_INVEST_BOX, name: 'Копилка', status: AccountStatus.ACCOUNT_STATUS_CLOSED, openedDate: OPENED, closedDate: CLOSED, accessLevel: AccessLevel.ACCOUNT_ACCESS_LEVEL_NO_ACCESS },
          ],
        };
      },
    }),
  );
  server.add(
    OperationsServiceDefinition,
    implement(OperationsServiceDefinition, {
      getPortfolio: async (req: { accountId: string; currency?: number }, ctx: CallContext) => {
        if (req.accountId === 'revoked') throw tinvestFailure(ctx, Status.UNAUTHENTICATED, '40003', 'authentication token is missing or invalid', 99, 32);
        if (req.accountId === 'hammered') throw tinvestFailure(ctx, Status.RESOURCE_EXHAUSTED, '80002', 'request limit exceeded', 0, 17);
        seen.portfolioCurrency = req.currency;
        rateHeaders(ctx.header, 150, 55);
        return {
          accountId: req.accountId,
          totalAmountShares: rub(5_000_000_123, 450_000_000),
          totalAmountBonds: rub(0, -10_000_000),
          totalAmountEtf: rub(-200, -200_000_000),
          totalAmountCurrencies: { currency: 'USD', units: 10, nano: 1 },
          totalAmountFutures: rub(0, 0),
          totalAmountOptions: undefined,
          totalAmountSp: rub(7, 0),
          totalAmountPortfolio: rub(5_000_000_140, 240_000_001),
          expectedYield: q(-3, -250_000_000),
          dailyYield: rub(1234, 560_000_000),
          dailyYieldRelative: q(0, 420_000_000),
          positions: [
            {
              figi: SBER.figi,
              instrumentType: 'share',
              quantity: q(20, 0),
              averagePositionPrice: rub(270, 150_000_000),
              expectedYield: q(307, 0),
              currentNkd: undefined,
              currentPrice: rub(285, 400_000_000),
              averagePositionPriceFifo: rub(270, 150_000_000),
              quantityLots: q(2, 0),
              blocked: true,
              blockedLots: q(1, 0),
              positionUid: SBER.positionUid,
              instrumentUid: SBER.uid,
              varMargin: rub(0, 0),
              expectedYieldFifo: q(307, 0),
              dailyYield: rub(-12, -340_000_000),
            },
          ],
          virtualPositions: [{ positionUid: 'vp-1', instrumentUid: 'vi-1', figi: 'TCS00A0ZZAC4', instrumentType: 'share', quantity: q(3, 0), expireDate: new Date('2025-12-31T20:59:59.999Z') }],
        };
      },
    }),
  );
  server.add(
    MarketDataServiceDefinition,
    implement(MarketDataServiceDefinition, {
      getLastPrices: async (req: { instrumentId: string[] }, ctx: CallContext) => {
        seen.lastPriceIds = req.instrumentId;
        rateHeaders(ctx.header, 599, 60);
        return { lastPrices: [{ figi: SBER.figi, price: q(285, 400_000_000), time: TICK, instrumentUid: SBER.uid, lastPriceType: LastPriceType.LAST_PRICE_EXCHANGE }] };
      },
    }),
  );
  server.add(
    MarketDataStreamServiceDefinition,
    implement(MarketDataStreamServiceDefinition, {
      marketDataStream: async function* (requests: AsyncIterable<MarketDataRequest>, ctx: CallContext): AsyncGenerator<Partial<MarketDataResponse>> {
        ctx.header.set('x-tracking-id', TRACKING);
        for await (const req of requests) {
          seen.streamRequests.push(req);
          if (!req.subscribeLastPriceRequest) continue;
          const instrument = req.subscribeLastPriceRequest.instruments[0]!;
          yield {
            subscribeLastPriceResponse: {
              trackingId: TRACKING,
              lastPriceSubscriptions: [{ figi: SBER.figi, subscriptionStatus: SubscriptionStatus.SUBSCRIPTION_STATUS_SUCCESS, instrumentUid: instrument.instrumentId, streamId: STREAM_ID, subscriptionId: 'sub-1' }],
            },
          };
          yield { lastPrice: { figi: SBER.figi, price: q(285, 410_000_000), time: TICK, instrumentUid: SBER.uid, lastPriceType: LastPriceType.LAST_PRICE_DEALER } };
          yield { trade: { figi: SBER.figi, direction: TradeDirection.TRADE_DIRECTION_SELL, price: q(285, 390_000_000), quantity: 4_000_000_000, time: TICK, instrumentUid: SBER.uid, tradeSource: TradeSourceType.TRADE_SOURCE_DEALER } };
          yield {
            candle: {
              figi: SBER.figi,
              interval: SubscriptionInterval.SUBSCRIPTION_INTERVAL_FIVE_MINUTES,
              open: q(285, 0),
              high: q(286, 5_000_000),
              low: q(284, 990_000_000),
              close: q(285, 410_000_000),
              volume: 123_456,
              time: new Date('2025-06-02T07:00:00.000Z'),
              lastTradeTs: TICK,
              instrumentUid: SBER.uid,
              candleSourceType: CandleSource.CANDLE_SOURCE_EXCHANGE,
            },
          };
          yield {
            orderbook: {
              figi: SBER.figi,
              depth: 10,
              isConsistent: true,
              bids: [{ price: q(285, 400_000_000), quantity: 12 }],
              asks: [{ price: q(285, 410_000_000), quantity: 7 }],
              time: TICK,
              limitUp: q(313, 940_000_000),
              limitDown: q(256, 860_000_000),
              instrumentUid: SBER.uid,
              orderBookType: OrderBookType.ORDERBOOK_TYPE_EXCHANGE,
            },
          };
          yield { tradingStatus: { figi: SBER.figi, tradingStatus: SecurityTradingStatus.SECURITY_TRADING_STATUS_BREAK_IN_TRADING, time: TICK, limitOrderAvailableFlag: false, marketOrderAvailableFlag: true, instrumentUid: SBER.uid } };
          yield { ping: { time: TICK, streamId: STREAM_ID } };
        }
      },
    }),
  );
  const port = await server.listen('127.0.0.1:0');
  address = `127.0.0.1:${port}`;
});

afterAll(async () => {
  closeChannels();
  server?.forceShutdown();
});

const handle = createTokenHandle('foreign', TOKEN);
const client = () => createTinvestClient({ endpoint: { address }, token: handle, appName: 'strongroom-foreign-test' });

describe('lib/tinvest against a server built from the npm SDK’s generated code', () => {
  it('GetAccounts: every field decodes, metadata is sent, rate-limit headers are tracked', async () => {
    clearRateLimits();
    const before = Date.now();
    const accounts = await client().getAccounts();
    expect(seen).toMatchObject({ authorization: `Bearer ${TOKEN}`, appName: 'strongroom-foreign-test' });
    expect(accounts).toEqual([
      { id: '2000111222', name: 'ИИС «Долгосрочный»', type: 'tinkoff_iis', status: 'open', accessLevel: 'account_access_level_read_only', openedAt: '2021-03-15T09:12:34.567Z', closedAt: null },
      { id: '2000333444', name: 'Копилка', type: 'invest_box', status: 'closed', accessLevel: 'account_access_level_no_access', openedAt: '2021-03-15T09:12:34.567Z', closedAt: '2023-01-01T00:00:00.000Z' },
    ]);
    const state = rateLimitState(handle, 'GetAccounts')!;
    expect(state).toMatchObject({ group: 'users', limit: 100, remaining: 97 });
    expect(state.resetAt - before).toBeGreaterThanOrEqual(42_000);
    expect(state.resetAt - Date.now()).toBeLessThanOrEqual(42_000);
  });

  it('GetPortfolio: money as exact strings (64-bit units, negative nano), enums and timestamps', async () => {
    const portfolio = await client().getPortfolio({ accountId: '2000111222', currency: 'eur' });
    expect(seen.portfolioCurrency).toBe(PortfolioRequest_CurrencyRequest.EUR);
    expect(portfolio).toEqual({
      accountId: '2000111222',
      totals: {
        portfolio: { amount: '5000000140.240000001', currency: 'RUB' },
        shares: { amount: '5000000123.45', currency: 'RUB' },
        bonds: { amount: '-0.01', currency: 'RUB' },
        etf: { amount: '-200.2', currency: 'RUB' },
        currencies: { amount: '10.000000001', currency: 'USD' },
        futures: { amount: '0', currency: 'RUB' },
        options: null,
        structuredNotes: { amount: '7', currency: 'RUB' },
      },
      expectedYield: '-3.25',
      dailyYield: { amount: '1234.56', currency: 'RUB' },
      dailyYieldRelative: '0.42',
      positions: [
        {
          instrumentUid: SBER.uid,
          positionUid: SBER.positionUid,
          figi: SBER.figi,
          // SDK v7's PortfolioPosition predates ticker/class_code (fields 31/32), so nothing is sent.
          ticker: '',
          classCode: '',
          instrumentType: 'share',
          quantity: '20',
          averagePrice: { amount: '270.15', currency: 'RUB' },
          averagePriceFifo: { amount: '270.15', currency: 'RUB' },
          currentPrice: { amount: '285.4', currency: 'RUB' },
          currentNkd: null,
          expectedYield: '307',
          dailyYield: { amount: '-12.34', currency: 'RUB' },
          varMargin: { amount: '0', currency: 'RUB' },
          blocked: true,
          blockedLots: '1',
          virtual: false,
          expiresAt: null,
        },
        {
          instrumentUid: 'vi-1',
          positionUid: 'vp-1',
          figi: 'TCS00A0ZZAC4',
          ticker: '',
          classCode: '',
          instrumentType: 'share',
          quantity: '3',
          averagePrice: null,
          averagePriceFifo: null,
          currentPrice: null,
          currentNkd: null,
          expectedYield: '0',
          dailyYield: null,
          varMargin: null,
          blocked: false,
          blockedLots: '0',
          virtual: true,
          expiresAt: '2025-12-31T20:59:59.999Z',
        },
      ],
    });
    expect(rateLimitState(handle, 'GetPortfolio')).toMatchObject({ group: 'operations', remaining: 150 });
  });

  it('GetLastPrices: request ids arrive, price and time decode', async () => {
    const prices = await client().getLastPrices({ instrumentIds: [SBER.uid, 'BBG004730ZJ9'] });
    expect(seen.lastPriceIds).toEqual([SBER.uid, 'BBG004730ZJ9']);
    expect(prices).toEqual([{ instrumentUid: SBER.uid, figi: SBER.figi, ticker: '', classCode: '', price: '285.4', at: '2025-06-02T07:00:01.250Z', priceType: 'last_price_exchange' }]);
  });

  it('maps a T-Invest error (details 40003, message + x-tracking-id + x-ratelimit-* trailers) to a TinvestError', async () => {
    const error = await client().getPortfolio({ accountId: 'revoked' }).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(TinvestError);
    expect((error as TinvestError).toJSON()).toMatchObject({ kind: 'token_invalid', grpcCode: Status.UNAUTHENTICATED, apiCode: '40003', serverMessage: 'authentication token is missing or invalid', trackingId: TRACKING, resetSeconds: 32, method: 'GetPortfolio' });
    expect(JSON.stringify(error)).not.toContain(TOKEN);
    // Trailers on errors feed the budget too.
    expect(rateLimitState(handle, 'GetPortfolio')).toMatchObject({ remaining: 99 });
  });

  it('maps 80002 to rate_limited with the reset delay, and records the empty budget', async () => {
    const error = (await client().getPortfolio({ accountId: 'hammered' }).then(() => undefined, (e: unknown) => e)) as TinvestError;
    expect(error.toJSON()).toMatchObject({ kind: 'rate_limited', grpcCode: Status.RESOURCE_EXHAUSTED, apiCode: '80002', serverMessage: 'request limit exceeded', trackingId: TRACKING, resetSeconds: 17 });
    expect(rateLimitState(handle, 'GetPortfolio')).toMatchObject({ group: 'operations', remaining: 0 });
  });

  it('MarketDataStream: subscription reply, last price, trade, candle, order book, status and ping decode', async () => {
    const stream = client().marketDataStream();
    stream.subscribe({ kind: 'last_price', instrumentIds: [SBER.uid] });
    const events: MarketDataEvent[] = [];
    for await (const event of stream) {
      events.push(event);
      if (event.type === 'ping') break;
    }
    expect(seen.streamRequests[0]?.subscribeLastPriceRequest).toMatchObject({ subscriptionAction: SubscriptionAction.SUBSCRIPTION_ACTION_SUBSCRIBE, instruments: [{ instrumentId: SBER.uid }] });
    const at = '2025-06-02T07:00:01.250Z';
    const sber = { instrumentUid: SBER.uid, figi: SBER.figi, ticker: '', classCode: '' };
    expect(events).toEqual([
      // SDK v7's LastPriceSubscription predates subscription_action (field 6), so it reads as unspecified.
      { type: 'subscription', kind: 'last_price', trackingId: TRACKING, items: [{ ...sber, status: 'success', action: 'unspecified', subscriptionId: 'sub-1', streamId: STREAM_ID }] },
      { type: 'last_price', ...sber, price: '285.41', at, priceType: 'last_price_dealer' },
      { type: 'trade', ...sber, direction: 'sell', price: '285.39', quantity: '4000000000', at, source: 'trade_source_dealer' },
      { type: 'candle', ...sber, interval: 'subscription_interval_five_minutes', open: '285', high: '286.005', low: '284.99', close: '285.41', volume: '123456', at: '2025-06-02T07:00:00.000Z', lastTradeAt: at },
      { type: 'orderbook', ...sber, depth: 10, consistent: true, bids: [{ price: '285.4', quantity: '12' }], asks: [{ price: '285.41', quantity: '7' }], at, limitUp: '313.94', limitDown: '256.86' },
      { type: 'trading_status', ...sber, status: 'break_in_trading', limitOrderAvailable: false, marketOrderAvailable: true, at },
      { type: 'ping', at, streamId: STREAM_ID },
    ]);
  });
});
