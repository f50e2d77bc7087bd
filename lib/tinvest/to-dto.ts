import 'server-only';
// protobuf messages → DTOs. Cheap by design: this runs once per streamed message.
import type { Timestamp } from '@bufbuild/protobuf/wkt';
import type { EnumName, MoneyDto } from './dto';
import { isoTime } from './iso-time';
import type * as dto from './dto';
import { InstrumentType, SecurityTradingStatus, type MoneyValue, type Ping, type Quotation } from './gen/common_pb';
import type { Bond, Currency, Etf, Future, Instrument, InstrumentShort, Share, TradingSchedule } from './gen/instruments_pb';
import {
  LastPriceType,
  SubscriptionAction,
  SubscriptionInterval,
  SubscriptionStatus,
  TradeDirection,
  TradeSourceType,
  type GetOrderBookResponse,
  type GetTradingStatusResponse,
  type HistoricCandle,
  type InstrumentClosePriceResponse,
  type LastPrice,
  type MarketDataResponse,
  type Order,
} from './gen/marketdata_pb';
import {
  OperationState,
  OperationType,
  PortfolioSubscriptionStatus,
  type Operation,
  type OperationItem,
  type PortfolioPosition,
  type PortfolioResponse,
  type PortfolioStreamResponse,
  type PositionData,
  type PositionsFutures,
  type PositionsOptions,
  type PositionsResponse,
  type PositionsSecurities,
  type PositionsStreamResponse,
  type VirtualPortfolioPosition,
} from './gen/operations_pb';
import { OrderDirection, OrderExecutionReportStatus, OrderType, type OrderState, type PostOrderResponse } from './gen/orders_pb';
import { AccessLevel, AccountStatus, AccountType, type Account, type GetInfoResponse, type GetUserTariffResponse } from './gen/users_pb';

/** Value → lowercased name table for a protobuf-es enum; unknown values read as 'unspecified'. */
export function enumNamer<E extends object>(enumObject: E): (value: number) => EnumName<E> {
  const names: string[] = [];
  for (const [key, value] of Object.entries(enumObject)) if (typeof value === 'number') names[value] = key.toLowerCase();
  return (value) => (names[value] ?? 'unspecified') as EnumName<E>;
}

/** Name → value for request inputs; throws on names the enum lacks. */
export function enumValue<E extends Record<string, string | number>>(enumObject: E, name: string): E[keyof E] {
  const value = enumObject[name.toUpperCase() as keyof E];
  if (typeof value !== 'number') throw new RangeError(`Unknown value ${JSON.stringify(name)}.`);
  return value;
}

const accountType = enumNamer(AccountType);
const accountStatus = enumNamer(AccountStatus);
const accessLevel = enumNamer(AccessLevel);
const instrumentKind = enumNamer(InstrumentType);
const tradingStatus = enumNamer(SecurityTradingStatus);
const operationState = enumNamer(OperationState);
const operationType = enumNamer(OperationType);
const subscriptionInterval = enumNamer(SubscriptionInterval);
const subscriptionStatus = enumNamer(SubscriptionStatus);
const subscriptionAction = enumNamer(SubscriptionAction);
const tradeDirection = enumNamer(TradeDirection);
const tradeSource = enumNamer(TradeSourceType);
const lastPriceType = enumNamer(LastPriceType);
const orderDirection = enumNamer(OrderDirection);
const orderType = enumNamer(OrderType);
const orderStatus = enumNamer(OrderExecutionReportStatus);
const streamAccountStatus = enumNamer(PortfolioSubscriptionStatus);

/** units + nano → exact decimal string, without bigint division (hot path). */
export function decimalOf(units: bigint, nano: number): string {
  if (nano === 0) return units.toString();
  const negative = units < 0n || nano < 0;
  const absNano = negative ? -nano : nano;
  let fraction = absNano.toString().padStart(9, '0');
  let end = fraction.length;
  while (fraction.charCodeAt(end - 1) === 48) end--;
  fraction = fraction.slice(0, end);
  return `${negative ? '-' : ''}${negative ? (-units).toString() : units.toString()}.${fraction}`;
}

export function quotationDto(q: Quotation | undefined): string {
  return q ? decimalOf(q.units, q.nano) : '0';
}

export function optionalQuotationDto(q: Quotation | undefined): string | null {
  return q ? decimalOf(q.units, q.nano) : null;
}

export function moneyDto(m: MoneyValue | undefined): MoneyDto | null {
  return m ? { amount: decimalOf(m.units, m.nano), currency: m.currency.toUpperCase() } : null;
}

export function timeDto(t: Timestamp | undefined): string | null {
  if (!t || (t.seconds === 0n && t.nanos === 0)) return null;
  return isoTime(Number(t.seconds) * 1000 + Math.floor(t.nanos / 1e6));
}

export function toAccountDto(a: Account): dto.AccountDto {
  return { id: a.id, name: a.name, type: accountType(a.type), status: accountStatus(a.status), accessLevel: accessLevel(a.accessLevel), openedAt: timeDto(a.openedDate), closedAt: timeDto(a.closedDate) };
}

export function toUserInfoDto(i: GetInfoResponse): dto.UserInfoDto {
  return { userId: i.userId, tariff: i.tariff, premium: i.premStatus, qualified: i.qualStatus, qualifiedFor: [...i.qualifiedForWorkWith], riskLevelCode: i.riskLevelCode };
}

export function toUserTariffDto(t: GetUserTariffResponse): dto.UserTariffDto {
  return {
    unaryLimits: t.unaryLimits.map((l) => ({ perMinute: l.limitPerMinute, perSecond: l.limitPerSecond ?? null, methods: [...l.methods] })),
    streamLimits: t.streamLimits.map((l) => ({ limit: l.limit, open: l.open, streams: [...l.streams] })),
  };
}

function toPositionDto(p: PortfolioPosition): dto.PortfolioPositionDto {
  return {
    instrumentUid: p.instrumentUid,
    positionUid: p.positionUid,
    figi: p.figi,
    ticker: p.ticker,
    classCode: p.classCode,
    instrumentType: p.instrumentType,
    quantity: quotationDto(p.quantity),
    averagePrice: moneyDto(p.averagePositionPrice),
    averagePriceFifo: moneyDto(p.averagePositionPriceFifo),
    currentPrice: moneyDto(p.currentPrice),
    currentNkd: moneyDto(p.currentNkd),
    expectedYield: quotationDto(p.expectedYield),
    dailyYield: moneyDto(p.dailyYield),
    varMargin: moneyDto(p.varMargin),
    blocked: p.blocked,
    blockedLots: quotationDto(p.blockedLots),
    virtual: false,
    expiresAt: null,
  };
}

function toVirtualPositionDto(p: VirtualPortfolioPosition): dto.PortfolioPositionDto {
  return {
    instrumentUid: p.instrumentUid,
    positionUid: p.positionUid,
    figi: p.figi,
    ticker: p.ticker,
    classCode: p.classCode,
    instrumentType: p.instrumentType,
    quantity: quotationDto(p.quantity),
    averagePrice: moneyDto(p.averagePositionPrice),
    averagePriceFifo: moneyDto(p.averagePositionPriceFifo),
    currentPrice: moneyDto(p.currentPrice),
    currentNkd: null,
    expectedYield: quotationDto(p.expectedYield),
    dailyYield: moneyDto(p.dailyYield),
    varMargin: null,
    blocked: false,
    blockedLots: '0',
    virtual: true,
    expiresAt: timeDto(p.expireDate),
  };
}

export function toPortfolioDto(p: PortfolioResponse): dto.PortfolioDto {
  return {
    accountId: p.accountId,
    totals: {
      portfolio: moneyDto(p.totalAmountPortfolio),
      shares: moneyDto(p.totalAmountShares),
      bonds: moneyDto(p.totalAmountBonds),
      etf: moneyDto(p.totalAmountEtf),
      currencies: moneyDto(p.totalAmountCurrencies),
      futures: moneyDto(p.totalAmountFutures),
      options: moneyDto(p.totalAmountOptions),
      structuredNotes: moneyDto(p.totalAmountSp),
    },
    expectedYield: quotationDto(p.expectedYield),
    dailyYield: moneyDto(p.dailyYield),
    dailyYieldRelative: quotationDto(p.dailyYieldRelative),
    positions: [...p.positions.map(toPositionDto), ...p.virtualPositions.map(toVirtualPositionDto)],
  };
}

function toBalanceDto(s: PositionsSecurities | PositionsFutures | PositionsOptions): dto.SecurityBalanceDto {
  return {
    instrumentUid: s.instrumentUid,
    positionUid: s.positionUid,
    figi: 'figi' in s ? s.figi : '',
    ticker: s.ticker,
    classCode: s.classCode,
    instrumentType: 'instrumentType' in s ? s.instrumentType : 'figi' in s ? 'futures' : 'option',
    balance: s.balance.toString(),
    blocked: s.blocked.toString(),
  };
}

export function toPositionsDto(p: PositionsResponse): dto.PositionsDto {
  return {
    accountId: p.accountId,
    money: p.money.map((m) => moneyDto(m)!),
    blocked: p.blocked.map((m) => moneyDto(m)!),
    securities: p.securities.map(toBalanceDto),
    futures: p.futures.map(toBalanceDto),
    options: p.options.map(toBalanceDto),
    limitsLoadingInProgress: p.limitsLoadingInProgress,
  };
}

export function toPositionsChangeDto(p: PositionData): dto.PositionsChangeDto {
  return {
    accountId: p.accountId,
    at: timeDto(p.date),
    money: p.money.map((m) => ({ available: moneyDto(m.availableValue), blocked: moneyDto(m.blockedValue) })),
    securities: p.securities.map(toBalanceDto),
    futures: p.futures.map(toBalanceDto),
    options: p.options.map(toBalanceDto),
  };
}

export function toOperationDto(o: Operation): dto.OperationDto {
  return {
    id: o.id,
    parentOperationId: o.parentOperationId,
    type: operationType(o.operationType),
    description: o.type,
    state: operationState(o.state),
    at: timeDto(o.date),
    instrumentUid: o.instrumentUid,
    figi: o.figi,
    ticker: null,
    instrumentType: o.instrumentType,
    payment: moneyDto(o.payment),
    price: moneyDto(o.price),
    commission: null,
    quantity: o.quantity.toString(),
    quantityRest: o.quantityRest.toString(),
    trades: o.trades.map((t) => ({ tradeId: t.tradeId, at: timeDto(t.dateTime), quantity: t.quantity.toString(), price: moneyDto(t.price) })),
    cursor: null,
  };
}

export function toOperationItemDto(o: OperationItem): dto.OperationDto {
  return {
    id: o.id,
    parentOperationId: o.parentOperationId,
    type: operationType(o.type),
    description: o.description || o.name,
    state: operationState(o.state),
    at: timeDto(o.date),
    instrumentUid: o.instrumentUid,
    figi: o.figi,
    ticker: o.ticker || null,
    instrumentType: o.instrumentType,
    payment: moneyDto(o.payment),
    price: moneyDto(o.price),
    commission: moneyDto(o.commission),
    quantity: o.quantity.toString(),
    quantityRest: o.quantityRest.toString(),
    trades: (o.tradesInfo?.trades ?? []).map((t) => ({ tradeId: t.num, at: timeDto(t.date), quantity: t.quantity.toString(), price: moneyDto(t.price) })),
    cursor: o.cursor,
  };
}

type AnyInstrument = Share | Bond | Etf | Currency | Future | Instrument;

export function toInstrumentDto(i: AnyInstrument, kind: dto.InstrumentKind): dto.InstrumentDto {
  const isBond = i.$typeName === 'tinkoff.public.invest.api.contract.v1.Bond';
  const bond = isBond ? (i as Bond) : null;
  return {
    kind: i.$typeName === 'tinkoff.public.invest.api.contract.v1.Instrument' ? instrumentKind((i as Instrument).instrumentKind) : kind,
    uid: i.uid,
    positionUid: i.positionUid,
    assetUid: 'assetUid' in i ? i.assetUid : '',
    figi: i.figi,
    ticker: i.ticker,
    classCode: i.classCode,
    isin: 'isin' in i ? i.isin : '',
    name: i.name,
    lot: i.lot,
    currency: i.currency.toUpperCase(),
    exchange: i.exchange,
    countryOfRisk: i.countryOfRisk,
    tradingStatus: tradingStatus(i.tradingStatus),
    minPriceIncrement: quotationDto(i.minPriceIncrement),
    apiTradeAvailable: i.apiTradeAvailableFlag,
    buyAvailable: i.buyAvailableFlag,
    sellAvailable: i.sellAvailableFlag,
    forQualifiedInvestors: i.forQualInvestorFlag,
    nominal: 'nominal' in i ? moneyDto(i.nominal) : null,
    isoCurrency: 'isoCurrencyName' in i && i.isoCurrencyName ? i.isoCurrencyName.toUpperCase() : null,
    minPriceIncrementAmount: 'minPriceIncrementAmount' in i && i.minPriceIncrementAmount ? quotationDto(i.minPriceIncrementAmount) : null,
    bond: bond
      ? { maturityDate: timeDto(bond.maturityDate), couponsPerYear: bond.couponQuantityPerYear, accruedInterest: moneyDto(bond.aciValue), floatingCoupon: bond.floatingCouponFlag, amortization: bond.amortizationFlag }
      : null,
  };
}

export function toInstrumentSummaryDto(i: InstrumentShort): dto.InstrumentSummaryDto {
  return {
    kind: instrumentKind(i.instrumentKind),
    uid: i.uid,
    positionUid: i.positionUid,
    figi: i.figi,
    ticker: i.ticker,
    classCode: i.classCode,
    isin: i.isin,
    name: i.name,
    instrumentType: i.instrumentType,
    lot: i.lot,
    apiTradeAvailable: i.apiTradeAvailableFlag,
    forQualifiedInvestors: i.forQualInvestorFlag,
  };
}

export function toTradingScheduleDto(s: TradingSchedule): dto.TradingScheduleDto {
  return {
    exchange: s.exchange,
    days: s.days.map((d) => ({
      date: timeDto(d.date),
      isTradingDay: d.isTradingDay,
      start: timeDto(d.startTime),
      end: timeDto(d.endTime),
      eveningStart: timeDto(d.eveningStartTime),
      eveningEnd: timeDto(d.eveningEndTime),
    })),
  };
}

export function toHistoricCandleDto(c: HistoricCandle): dto.HistoricCandleDto {
  return { at: timeDto(c.time), open: quotationDto(c.open), high: quotationDto(c.high), low: quotationDto(c.low), close: quotationDto(c.close), volume: c.volume.toString(), complete: c.isComplete };
}

export function toLastPriceDto(p: LastPrice): dto.LastPriceDto {
  return { instrumentUid: p.instrumentUid, figi: p.figi, ticker: p.ticker, classCode: p.classCode, price: quotationDto(p.price), at: timeDto(p.time), priceType: lastPriceType(p.lastPriceType) };
}

function levels(orders: Order[]): dto.OrderBookLevelDto[] {
  return orders.map((o) => ({ price: quotationDto(o.price), quantity: o.quantity.toString() }));
}

export function toOrderBookDto(b: GetOrderBookResponse): dto.OrderBookDto {
  return {
    instrumentUid: b.instrumentUid,
    figi: b.figi,
    ticker: b.ticker,
    classCode: b.classCode,
    depth: b.depth,
    bids: levels(b.bids),
    asks: levels(b.asks),
    lastPrice: optionalQuotationDto(b.lastPrice),
    closePrice: optionalQuotationDto(b.closePrice),
    limitUp: optionalQuotationDto(b.limitUp),
    limitDown: optionalQuotationDto(b.limitDown),
    at: timeDto(b.orderbookTs),
  };
}

export function toTradingStatusDto(s: GetTradingStatusResponse): dto.TradingStatusDto {
  return {
    instrumentUid: s.instrumentUid,
    figi: s.figi,
    ticker: s.ticker,
    classCode: s.classCode,
    status: tradingStatus(s.tradingStatus),
    limitOrderAvailable: s.limitOrderAvailableFlag,
    marketOrderAvailable: s.marketOrderAvailableFlag,
    apiTradeAvailable: s.apiTradeAvailableFlag,
  };
}

export function toClosePriceDto(p: InstrumentClosePriceResponse): dto.ClosePriceDto {
  return { instrumentUid: p.instrumentUid, figi: p.figi, ticker: p.ticker, classCode: p.classCode, price: optionalQuotationDto(p.price), eveningSessionPrice: optionalQuotationDto(p.eveningSessionPrice), at: timeDto(p.time) };
}

export function toOrderStateDto(o: OrderState | PostOrderResponse): dto.OrderStateDto {
  const isPost = o.$typeName === 'tinkoff.public.invest.api.contract.v1.PostOrderResponse';
  return {
    orderId: o.orderId,
    orderRequestId: o.orderRequestId,
    status: orderStatus(o.executionReportStatus),
    direction: orderDirection(o.direction),
    orderType: orderType(o.orderType),
    instrumentUid: o.instrumentUid,
    figi: o.figi,
    ticker: o.ticker,
    classCode: o.classCode,
    lotsRequested: o.lotsRequested.toString(),
    lotsExecuted: o.lotsExecuted.toString(),
    initialOrderPrice: moneyDto(o.initialOrderPrice),
    executedOrderPrice: moneyDto(o.executedOrderPrice),
    totalOrderAmount: moneyDto(o.totalOrderAmount),
    initialCommission: moneyDto(o.initialCommission),
    executedCommission: moneyDto(o.executedCommission),
    initialSecurityPrice: moneyDto(o.initialSecurityPrice),
    placedAt: isPost ? null : timeDto((o as OrderState).orderDate),
    message: isPost ? (o as PostOrderResponse).message || null : null,
  };
}

function pingDto(p: Ping): { type: 'ping'; at: string | null; streamId: string } {
  return { type: 'ping', at: timeDto(p.time), streamId: p.streamId };
}

interface SubscriptionLike {
  figi: string;
  instrumentUid: string;
  ticker: string;
  classCode: string;
  subscriptionStatus: number;
  subscriptionAction: number;
  subscriptionId: string;
  streamId: string;
}

function subscriptionItems(list: SubscriptionLike[]): dto.SubscriptionItemDto[] {
  return list.map((s) => ({
    instrumentUid: s.instrumentUid,
    figi: s.figi,
    ticker: s.ticker,
    classCode: s.classCode,
    status: subscriptionStatus(s.subscriptionStatus),
    action: subscriptionAction(s.subscriptionAction),
    subscriptionId: s.subscriptionId,
    streamId: s.streamId,
  }));
}

/** One MarketDataResponse → one event; undefined for payloads this app ignores. */
export function toMarketDataEvent(r: MarketDataResponse): dto.MarketDataEvent | undefined {
  const p = r.payload;
  switch (p.case) {
    case 'lastPrice':
      return { type: 'last_price', ...toLastPriceDto(p.value) };
    case 'trade': {
      const t = p.value;
      return { type: 'trade', instrumentUid: t.instrumentUid, figi: t.figi, ticker: t.ticker, classCode: t.classCode, direction: tradeDirection(t.direction), price: quotationDto(t.price), quantity: t.quantity.toString(), at: timeDto(t.time), source: tradeSource(t.tradeSource) };
    }
    case 'candle': {
      const c = p.value;
      return {
        type: 'candle',
        instrumentUid: c.instrumentUid,
        figi: c.figi,
        ticker: c.ticker,
        classCode: c.classCode,
        interval: subscriptionInterval(c.interval),
        open: quotationDto(c.open),
        high: quotationDto(c.high),
        low: quotationDto(c.low),
        close: quotationDto(c.close),
        volume: c.volume.toString(),
        at: timeDto(c.time),
        lastTradeAt: timeDto(c.lastTradeTs),
      };
    }
    case 'orderbook': {
      const b = p.value;
      return { type: 'orderbook', instrumentUid: b.instrumentUid, figi: b.figi, ticker: b.ticker, classCode: b.classCode, depth: b.depth, consistent: b.isConsistent, bids: levels(b.bids), asks: levels(b.asks), at: timeDto(b.time), limitUp: optionalQuotationDto(b.limitUp), limitDown: optionalQuotationDto(b.limitDown) };
    }
    case 'tradingStatus': {
      const s = p.value;
      return { type: 'trading_status', instrumentUid: s.instrumentUid, figi: s.figi, ticker: s.ticker, classCode: s.classCode, status: tradingStatus(s.tradingStatus), limitOrderAvailable: s.limitOrderAvailableFlag, marketOrderAvailable: s.marketOrderAvailableFlag, at: timeDto(s.time) };
    }
    case 'openInterest': {
      const o = p.value;
      return { type: 'open_interest', instrumentUid: o.instrumentUid, ticker: o.ticker, classCode: o.classCode, openInterest: o.openInterest.toString(), at: timeDto(o.time) };
    }
    case 'ping':
      return pingDto(p.value);
    case 'subscribeCandlesResponse':
      return { type: 'subscription', kind: 'candles', trackingId: p.value.trackingId, items: subscriptionItems(p.value.candlesSubscriptions) };
    case 'subscribeOrderBookResponse':
      return { type: 'subscription', kind: 'orderbook', trackingId: p.value.trackingId, items: subscriptionItems(p.value.orderBookSubscriptions) };
    case 'subscribeTradesResponse':
      return { type: 'subscription', kind: 'trades', trackingId: p.value.trackingId, items: subscriptionItems(p.value.tradeSubscriptions) };
    case 'subscribeInfoResponse':
      return { type: 'subscription', kind: 'info', trackingId: p.value.trackingId, items: subscriptionItems(p.value.infoSubscriptions) };
    case 'subscribeLastPriceResponse':
      return { type: 'subscription', kind: 'last_price', trackingId: p.value.trackingId, items: subscriptionItems(p.value.lastPriceSubscriptions) };
    default:
      return undefined;
  }
}

export function toPortfolioStreamEvent(r: PortfolioStreamResponse): dto.PortfolioStreamEvent | undefined {
  const p = r.payload;
  switch (p.case) {
    case 'subscriptions':
      return { type: 'subscription', trackingId: p.value.trackingId, streamId: p.value.streamId, accounts: p.value.accounts.map((a) => ({ accountId: a.accountId, status: streamAccountStatus(a.subscriptionStatus) })) };
    case 'portfolio':
      return { type: 'portfolio', portfolio: toPortfolioDto(p.value) };
    case 'ping':
      return pingDto(p.value);
    default:
      return undefined;
  }
}

export function toPositionsStreamEvent(r: PositionsStreamResponse): dto.PositionsStreamEvent | undefined {
  const p = r.payload;
  switch (p.case) {
    case 'subscriptions':
      // Same numbering as PortfolioSubscriptionStatus (SUCCESS=1, ACCOUNT_NOT_FOUND=2, INTERNAL_ERROR=3).
      return { type: 'subscription', trackingId: p.value.trackingId, streamId: p.value.streamId, accounts: p.value.accounts.map((a) => ({ accountId: a.accountId, status: streamAccountStatus(a.subscriptionStatus) })) };
    case 'initialPositions':
      return { type: 'initial_positions', positions: toPositionsDto(p.value) };
    case 'position':
      return { type: 'position', change: toPositionsChangeDto(p.value) };
    case 'ping':
      return pingDto(p.value);
    default:
      return undefined;
  }
}
