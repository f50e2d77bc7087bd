import 'server-only';
// The typed T-Invest client: one object per token, sharing channels; every answer is a DTO.
import { create, type MessageInitShape } from '@bufbuild/protobuf';
import { timestampFromMs } from '@bufbuild/protobuf/wkt';
import * as grpc from '@grpc/grpc-js';
import { quotationFromDecimal } from '@/lib/money';
import { revealToken, type TokenHandle } from '@/lib/vault/token-handle';
import { callUnary, openBidiStream, openServerStream, type RequestOf, type ResponseOf, type ServerStreamMethod, type UnaryMethod } from './bridge';
import { getChannel } from './channel';
import { deadlineFor } from './deadlines';
import { decodeMarketDataEvent } from './decode-market-data-event';
import type * as dto from './dto';
import { resolveEndpoint, type TinvestEndpoint } from './endpoint';
import { toEventStream, type EventStream } from './event-stream';
import { InstrumentStatus, InstrumentType } from './gen/common_pb';
import { InstrumentIdType, InstrumentsService } from './gen/instruments_pb';
import { CandleInterval, GetCandlesRequest_CandleSource, MarketDataService, MarketDataStreamService } from './gen/marketdata_pb';
import { OperationsService, OperationsStreamService, OperationState, OperationType, PortfolioRequest_CurrencyRequest } from './gen/operations_pb';
import { OrderDirection, OrderType, OrdersService, TimeInForceType } from './gen/orders_pb';
import { SandboxService } from './gen/sandbox_pb';
import { UsersService, AccountStatus } from './gen/users_pb';
import { marketDataStreamHandle, serverSideStreamRequest, type MarketDataStreamHandle, type MarketDataSubscription } from './market-data-stream';
import { recordRateLimit } from './rate-limit-state';
import { isServiceError, toTinvestError } from './tinvest-error';
import * as map from './to-dto';

export interface TinvestClientOptions {
  endpoint: TinvestEndpoint;
  token: TokenHandle;
  /** x-app-name, for T-Bank's statistics. */
  appName?: string;
  /** Extra CA certificates (PEM) trusted on top of Node's defaults, e.g. the Russian Trusted Root CA. */
  caBundlePem?: string;
  /** Where operators supply caBundlePem (e.g. an environment variable), named when a certificate is not trusted. */
  caBundleSetting?: string;
  /**
   * Runs before every RPC (unary, stream) with its full name, e.g.
   * `tinkoff.public.invest.api.contract.v1.OrdersService/PostOrder`; throw to refuse the call.
   */
  authorizeCall?: (method: string) => void;
}

export interface CallOptions {
  signal?: AbortSignal;
}

export type TimeInput = Date | string | number;
export type InstrumentIdKind = 'figi' | 'ticker' | 'uid' | 'position_uid';

export interface OperationsQuery {
  accountId: string;
  from?: TimeInput;
  to?: TimeInput;
  state?: dto.OperationStateName;
  figi?: string;
}

export interface OperationsCursorQuery {
  accountId: string;
  instrumentId?: string;
  from?: TimeInput;
  to?: TimeInput;
  cursor?: string;
  /** Default 100, at most 1000. */
  limit?: number;
  operationTypes?: dto.OperationTypeName[];
  state?: dto.OperationStateName;
  withoutCommissions?: boolean;
  withoutTrades?: boolean;
  withoutOvernights?: boolean;
}

export interface PostOrderInput {
  accountId: string;
  instrumentId: string;
  /** Lots. */
  quantity: number | bigint;
  direction: 'buy' | 'sell';
  orderType: 'limit' | 'market' | 'bestprice';
  /** Per unit, exact decimal; required for limit orders. */
  price?: string;
  /** Idempotency key, up to 36 characters. */
  orderId: string;
  timeInForce?: 'day' | 'fill_and_kill' | 'fill_or_kill';
}

function timestamp(value: TimeInput) {
  const ms = value instanceof Date ? value.getTime() : typeof value === 'number' ? value : Date.parse(value);
  if (!Number.isFinite(ms)) throw new RangeError(`Invalid time: ${String(value)}.`);
  return timestampFromMs(ms);
}

function optionalTimestamp(value: TimeInput | undefined) {
  return value === undefined ? undefined : timestamp(value);
}

const identity = <T>(value: T) => value;

const ID_TYPE: Record<InstrumentIdKind, InstrumentIdType> = {
  figi: InstrumentIdType.INSTRUMENT_ID_TYPE_FIGI,
  ticker: InstrumentIdType.INSTRUMENT_ID_TYPE_TICKER,
  uid: InstrumentIdType.INSTRUMENT_ID_TYPE_UID,
  position_uid: InstrumentIdType.INSTRUMENT_ID_TYPE_POSITION_UID,
};

/** A T-Invest client for one token; channels are shared, the token travels per call. */
export function createTinvestClient(options: TinvestClientOptions) {
  const endpoint = resolveEndpoint(options.endpoint);
  const channel = getChannel(endpoint, options.caBundlePem);
  const token = options.token;
  const metadata = new grpc.Metadata();
  metadata.set('authorization', `Bearer ${revealToken(token)}`);
  metadata.set('x-app-name', options.appName ?? 'strongroom');

  const authorize = (method: { parent: { typeName: string }; name: string }) => options.authorizeCall?.(`${method.parent.typeName}/${method.name}`);

  const translate = (method: string) => (error: unknown) => {
    if (isServiceError(error)) recordRateLimit(token.id, method, error.metadata);
    return toTinvestError(error, { token: revealToken(token), method: method.split('/')[1], caSetting: options.caBundleSetting });
  };

  async function unary<M extends UnaryMethod>(method: M, init: MessageInitShape<M['input']>, call?: CallOptions): Promise<ResponseOf<M>> {
    const key = `${method.parent.name}/${method.name}`;
    authorize(method);
    try {
      return await callUnary(channel, method, create(method.input, init as never) as RequestOf<M>, {
        metadata,
        timeoutMs: deadlineFor(method.name),
        signal: call?.signal,
        onHeaders: (headers) => recordRateLimit(token.id, key, headers),
      });
    } catch (error) {
      throw translate(key)(error);
    }
  }

  function serverStream<M extends ServerStreamMethod, E>(method: M, init: MessageInitShape<M['input']>, toEvent: (message: ResponseOf<M>) => E | undefined, signal?: AbortSignal): EventStream<E> {
    const key = `${method.parent.name}/${method.name}`;
    authorize(method);
    const call = openServerStream(channel, method, create(method.input, init as never) as RequestOf<M>, { metadata });
    return toEventStream(call, toEvent, translate(key), signal);
  }

  const accountsQuery = (status?: dto.AccountStatusName) => ({ status: status ? map.enumValue(AccountStatus, status) : undefined });
  const instrumentBy = (idType: InstrumentIdKind, id: string, classCode?: string) => ({ idType: ID_TYPE[idType], id, classCode });
  const listQuery = (all?: boolean) => ({ instrumentStatus: all ? InstrumentStatus.ALL : InstrumentStatus.BASE });
  const cursorQuery = (q: OperationsCursorQuery) => ({
    accountId: q.accountId,
    instrumentId: q.instrumentId,
    from: optionalTimestamp(q.from),
    to: optionalTimestamp(q.to),
    cursor: q.cursor,
    limit: q.limit,
    operationTypes: q.operationTypes?.map((t) => map.enumValue(OperationType, t)),
    state: q.state ? map.enumValue(OperationState, q.state) : undefined,
    withoutCommissions: q.withoutCommissions,
    withoutTrades: q.withoutTrades,
    withoutOvernights: q.withoutOvernights,
  });
  const orderRequest = (o: PostOrderInput) => ({
    accountId: o.accountId,
    instrumentId: o.instrumentId,
    quantity: BigInt(o.quantity),
    direction: o.direction === 'buy' ? OrderDirection.BUY : OrderDirection.SELL,
    orderType: map.enumValue(OrderType, o.orderType),
    price: o.price === undefined ? undefined : quotationFromDecimal(o.price),
    orderId: o.orderId,
    timeInForce: o.timeInForce ? map.enumValue(TimeInForceType, o.timeInForce) : TimeInForceType.TIME_IN_FORCE_UNSPECIFIED,
  });
  const page = (r: ResponseOf<typeof OperationsService.method.getOperationsByCursor>): dto.OperationsPageDto => ({
    items: r.items.map(map.toOperationItemDto),
    hasNext: r.hasNext,
    nextCursor: r.nextCursor || null,
  });

  return {
    /** The endpoint this client dials (for diagnostics). */
    endpoint: endpoint.label,

    // UsersService
    getAccounts: async (q: { status?: dto.AccountStatusName } = {}, call?: CallOptions) => (await unary(UsersService.method.getAccounts, accountsQuery(q.status), call)).accounts.map(map.toAccountDto),
    getInfo: async (call?: CallOptions) => map.toUserInfoDto(await unary(UsersService.method.getInfo, {}, call)),
    getUserTariff: async (call?: CallOptions) => map.toUserTariffDto(await unary(UsersService.method.getUserTariff, {}, call)),

    // OperationsService
    getPortfolio: async (q: { accountId: string; currency?: 'rub' | 'usd' | 'eur' }, call?: CallOptions) =>
      map.toPortfolioDto(await unary(OperationsService.method.getPortfolio, { accountId: q.accountId, currency: q.currency ? map.enumValue(PortfolioRequest_CurrencyRequest, q.currency) : undefined }, call)),
    getPositions: async (q: { accountId: string }, call?: CallOptions) => map.toPositionsDto(await unary(OperationsService.method.getPositions, q, call)),
    getOperations: async (q: OperationsQuery, call?: CallOptions) =>
      (
        await unary(
          OperationsService.method.getOperations,
          { accountId: q.accountId, from: optionalTimestamp(q.from), to: optionalTimestamp(q.to), state: q.state ? map.enumValue(OperationState, q.state) : undefined, figi: q.figi },
          call,
        )
      ).operations.map(map.toOperationDto),
    getOperationsByCursor: async (q: OperationsCursorQuery, call?: CallOptions) => page(await unary(OperationsService.method.getOperationsByCursor, cursorQuery(q), call)),

    // OperationsStreamService
    portfolioStream: (q: { accountIds: string[]; pingDelayMs?: number; signal?: AbortSignal }): EventStream<dto.PortfolioStreamEvent> =>
      serverStream(OperationsStreamService.method.portfolioStream, { accounts: q.accountIds, pingSettings: q.pingDelayMs ? { pingDelayMs: q.pingDelayMs } : undefined }, map.toPortfolioStreamEvent, q.signal),
    positionsStream: (q: { accountIds: string[]; withInitialPositions?: boolean; pingDelayMs?: number; signal?: AbortSignal }): EventStream<dto.PositionsStreamEvent> =>
      serverStream(
        OperationsStreamService.method.positionsStream,
        { accounts: q.accountIds, withInitialPositions: q.withInitialPositions ?? false, pingSettings: q.pingDelayMs ? { pingDelayMs: q.pingDelayMs } : undefined },
        map.toPositionsStreamEvent,
        q.signal,
      ),

    // InstrumentsService
    getInstrumentBy: async (idType: InstrumentIdKind, id: string, classCode?: string, call?: CallOptions) => {
      const r = await unary(InstrumentsService.method.getInstrumentBy, instrumentBy(idType, id, classCode), call);
      return r.instrument ? map.toInstrumentDto(r.instrument, 'unspecified') : null;
    },
    shareBy: async (idType: InstrumentIdKind, id: string, classCode?: string, call?: CallOptions) => {
      const r = await unary(InstrumentsService.method.shareBy, instrumentBy(idType, id, classCode), call);
      return r.instrument ? map.toInstrumentDto(r.instrument, 'share') : null;
    },
    bondBy: async (idType: InstrumentIdKind, id: string, classCode?: string, call?: CallOptions) => {
      const r = await unary(InstrumentsService.method.bondBy, instrumentBy(idType, id, classCode), call);
      return r.instrument ? map.toInstrumentDto(r.instrument, 'bond') : null;
    },
    etfBy: async (idType: InstrumentIdKind, id: string, classCode?: string, call?: CallOptions) => {
      const r = await unary(InstrumentsService.method.etfBy, instrumentBy(idType, id, classCode), call);
      return r.instrument ? map.toInstrumentDto(r.instrument, 'etf') : null;
    },
    currencyBy: async (idType: InstrumentIdKind, id: string, classCode?: string, call?: CallOptions) => {
      const r = await unary(InstrumentsService.method.currencyBy, instrumentBy(idType, id, classCode), call);
      return r.instrument ? map.toInstrumentDto(r.instrument, 'currency') : null;
    },
    futureBy: async (idType: InstrumentIdKind, id: string, classCode?: string, call?: CallOptions) => {
      const r = await unary(InstrumentsService.method.futureBy, instrumentBy(idType, id, classCode), call);
      return r.instrument ? map.toInstrumentDto(r.instrument, 'futures') : null;
    },
    shares: async (q: { all?: boolean } = {}, call?: CallOptions) => (await unary(InstrumentsService.method.shares, listQuery(q.all), call)).instruments.map((i) => map.toInstrumentDto(i, 'share')),
    bonds: async (q: { all?: boolean } = {}, call?: CallOptions) => (await unary(InstrumentsService.method.bonds, listQuery(q.all), call)).instruments.map((i) => map.toInstrumentDto(i, 'bond')),
    etfs: async (q: { all?: boolean } = {}, call?: CallOptions) => (await unary(InstrumentsService.method.etfs, listQuery(q.all), call)).instruments.map((i) => map.toInstrumentDto(i, 'etf')),
    currencies: async (q: { all?: boolean } = {}, call?: CallOptions) => (await unary(InstrumentsService.method.currencies, listQuery(q.all), call)).instruments.map((i) => map.toInstrumentDto(i, 'currency')),
    findInstrument: async (q: { query: string; kind?: dto.InstrumentKind; apiTradeAvailable?: boolean }, call?: CallOptions) =>
      (
        await unary(
          InstrumentsService.method.findInstrument,
          { query: q.query, instrumentKind: q.kind ? map.enumValue(InstrumentType, q.kind) : undefined, apiTradeAvailableFlag: q.apiTradeAvailable },
          call,
        )
      ).instruments.map(map.toInstrumentSummaryDto),
    tradingSchedules: async (q: { exchange?: string; from?: TimeInput; to?: TimeInput } = {}, call?: CallOptions) =>
      (await unary(InstrumentsService.method.tradingSchedules, { exchange: q.exchange, from: optionalTimestamp(q.from), to: optionalTimestamp(q.to) }, call)).exchanges.map(map.toTradingScheduleDto),

    // MarketDataService
    getCandles: async (q: { instrumentId: string; from?: TimeInput; to?: TimeInput; interval: dto.CandleIntervalName; limit?: number; includeWeekend?: boolean }, call?: CallOptions) =>
      (
        await unary(
          MarketDataService.method.getCandles,
          {
            instrumentId: q.instrumentId,
            from: optionalTimestamp(q.from),
            to: optionalTimestamp(q.to),
            interval: map.enumValue(CandleInterval, q.interval),
            limit: q.limit,
            candleSourceType: q.includeWeekend ? GetCandlesRequest_CandleSource.INCLUDE_WEEKEND : undefined,
          },
          call,
        )
      ).candles.map(map.toHistoricCandleDto),
    getLastPrices: async (q: { instrumentIds: string[] }, call?: CallOptions) => (await unary(MarketDataService.method.getLastPrices, { instrumentId: q.instrumentIds }, call)).lastPrices.map(map.toLastPriceDto),
    getOrderBook: async (q: { instrumentId: string; depth: 1 | 10 | 20 | 30 | 40 | 50 }, call?: CallOptions) => map.toOrderBookDto(await unary(MarketDataService.method.getOrderBook, q, call)),
    getTradingStatus: async (q: { instrumentId: string }, call?: CallOptions) => map.toTradingStatusDto(await unary(MarketDataService.method.getTradingStatus, q, call)),
    getTradingStatuses: async (q: { instrumentIds: string[] }, call?: CallOptions) =>
      (await unary(MarketDataService.method.getTradingStatuses, { instrumentId: q.instrumentIds }, call)).tradingStatuses.map(map.toTradingStatusDto),
    getClosePrices: async (q: { instrumentIds: string[] }, call?: CallOptions) =>
      (await unary(MarketDataService.method.getClosePrices, { instruments: q.instrumentIds.map((instrumentId) => ({ instrumentId })) }, call)).closePrices.map(map.toClosePriceDto),

    // MarketDataStreamService
    marketDataStream: (q: { signal?: AbortSignal; pingDelayMs?: number } = {}): MarketDataStreamHandle => {
      const key = `${MarketDataStreamService.name}/MarketDataStream`;
      authorize(MarketDataStreamService.method.marketDataStream);
      const call = openBidiStream(channel, MarketDataStreamService.method.marketDataStream, { metadata }, decodeMarketDataEvent);
      const handle = marketDataStreamHandle(call, toEventStream(call, identity, translate(key), q.signal));
      if (q.pingDelayMs) handle.setPingDelay(q.pingDelayMs);
      return handle;
    },
    marketDataServerSideStream: (q: { subscriptions: MarketDataSubscription[]; pingDelayMs?: number; signal?: AbortSignal }): EventStream<dto.MarketDataEvent> => {
      const key = `${MarketDataStreamService.name}/MarketDataServerSideStream`;
      authorize(MarketDataStreamService.method.marketDataServerSideStream);
      const call = openServerStream(channel, MarketDataStreamService.method.marketDataServerSideStream, serverSideStreamRequest(q.subscriptions, q.pingDelayMs), { metadata }, decodeMarketDataEvent);
      return toEventStream(call, identity, translate(key), q.signal);
    },

    // OrdersService
    postOrder: async (o: PostOrderInput, call?: CallOptions) => map.toOrderStateDto(await unary(OrdersService.method.postOrder, orderRequest(o), call)),
    cancelOrder: async (q: { accountId: string; orderId: string }, call?: CallOptions): Promise<dto.CancelOrderDto> => ({ cancelledAt: map.timeDto((await unary(OrdersService.method.cancelOrder, q, call)).time) }),
    getOrders: async (q: { accountId: string }, call?: CallOptions) => (await unary(OrdersService.method.getOrders, q, call)).orders.map(map.toOrderStateDto),
    getOrderState: async (q: { accountId: string; orderId: string }, call?: CallOptions) => map.toOrderStateDto(await unary(OrdersService.method.getOrderState, q, call)),

    // SandboxService
    openSandboxAccount: async (q: { name?: string } = {}, call?: CallOptions) => ({ accountId: (await unary(SandboxService.method.openSandboxAccount, q, call)).accountId }),
    getSandboxAccounts: async (q: { status?: dto.AccountStatusName } = {}, call?: CallOptions) => (await unary(SandboxService.method.getSandboxAccounts, accountsQuery(q.status), call)).accounts.map(map.toAccountDto),
    closeSandboxAccount: async (q: { accountId: string }, call?: CallOptions) => {
      await unary(SandboxService.method.closeSandboxAccount, q, call);
    },
    sandboxPayIn: async (q: { accountId: string; amount: string; currency?: string }, call?: CallOptions): Promise<dto.SandboxPayInDto> => ({
      balance: map.moneyDto((await unary(SandboxService.method.sandboxPayIn, { accountId: q.accountId, amount: { ...quotationFromDecimal(q.amount), currency: (q.currency ?? 'rub').toLowerCase() } }, call)).balance),
    }),
    postSandboxOrder: async (o: PostOrderInput, call?: CallOptions) => map.toOrderStateDto(await unary(SandboxService.method.postSandboxOrder, orderRequest(o), call)),
    getSandboxPortfolio: async (q: { accountId: string }, call?: CallOptions) => map.toPortfolioDto(await unary(SandboxService.method.getSandboxPortfolio, q, call)),
    getSandboxPositions: async (q: { accountId: string }, call?: CallOptions) => map.toPositionsDto(await unary(SandboxService.method.getSandboxPositions, q, call)),
    getSandboxOperationsByCursor: async (q: OperationsCursorQuery, call?: CallOptions) => page(await unary(SandboxService.method.getSandboxOperationsByCursor, cursorQuery(q), call)),
    getSandboxOrders: async (q: { accountId: string }, call?: CallOptions) => (await unary(SandboxService.method.getSandboxOrders, q, call)).orders.map(map.toOrderStateDto),
    cancelSandboxOrder: async (q: { accountId: string; orderId: string }, call?: CallOptions): Promise<dto.CancelOrderDto> => ({
      cancelledAt: map.timeDto((await unary(SandboxService.method.cancelSandboxOrder, q, call)).time),
    }),
  };
}

export type TinvestClient = ReturnType<typeof createTinvestClient>;
