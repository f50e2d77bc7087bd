// Plain, serialisable shapes that leave lib/tinvest: decimals as exact strings, times as ISO strings, enums as names.
import type { InstrumentType, SecurityTradingStatus } from './gen/common_pb';
import type { CandleInterval, LastPriceType, OrderBookType, SubscriptionAction, SubscriptionInterval, SubscriptionStatus, TradeDirection, TradeSourceType } from './gen/marketdata_pb';
import type { OperationState, OperationType, PortfolioSubscriptionStatus } from './gen/operations_pb';
import type { OrderDirection, OrderExecutionReportStatus, OrderType, TimeInForceType } from './gen/orders_pb';
import type { AccessLevel, AccountStatus, AccountType } from './gen/users_pb';

/** A protobuf enum's value names, lowercased: `AccountType.TINKOFF_IIS` → `'tinkoff_iis'`. */
export type EnumName<E> = Lowercase<Extract<keyof E, string>>;

/** An exact decimal string such as `-1.25`. */
export type Decimal = string;
/** An ISO-8601 UTC timestamp. */
export type IsoTime = string;

export interface MoneyDto {
  /** Exact decimal. */
  amount: Decimal;
  /** Upper-case ISO code; empty when the API sent none. */
  currency: string;
}

export type AccountTypeName = EnumName<typeof AccountType>;
export type AccountStatusName = EnumName<typeof AccountStatus>;
export type AccessLevelName = EnumName<typeof AccessLevel>;
export type InstrumentKind = EnumName<typeof InstrumentType>;
export type TradingStatusName = EnumName<typeof SecurityTradingStatus>;
export type OperationStateName = EnumName<typeof OperationState>;
export type OperationTypeName = EnumName<typeof OperationType>;
export type CandleIntervalName = EnumName<typeof CandleInterval>;
export type SubscriptionIntervalName = EnumName<typeof SubscriptionInterval>;
export type SubscriptionStatusName = EnumName<typeof SubscriptionStatus>;
export type SubscriptionActionName = EnumName<typeof SubscriptionAction>;
export type TradeDirectionName = EnumName<typeof TradeDirection>;
export type TradeSourceName = EnumName<typeof TradeSourceType>;
export type OrderBookTypeName = EnumName<typeof OrderBookType>;
export type LastPriceTypeName = EnumName<typeof LastPriceType>;
export type OrderDirectionName = EnumName<typeof OrderDirection>;
export type OrderTypeName = EnumName<typeof OrderType>;
export type OrderStatusName = EnumName<typeof OrderExecutionReportStatus>;
export type TimeInForceName = EnumName<typeof TimeInForceType>;
export type StreamAccountStatusName = EnumName<typeof PortfolioSubscriptionStatus>;

export interface AccountDto {
  id: string;
  name: string;
  type: AccountTypeName;
  status: AccountStatusName;
  accessLevel: AccessLevelName;
  openedAt: IsoTime | null;
  closedAt: IsoTime | null;
}

export interface UserInfoDto {
  userId: string;
  tariff: string;
  premium: boolean;
  qualified: boolean;
  qualifiedFor: string[];
  riskLevelCode: string;
}

export interface UserTariffDto {
  unaryLimits: { perMinute: number; perSecond: number | null; methods: string[] }[];
  streamLimits: { limit: number; open: number; streams: string[] }[];
}

export interface PortfolioPositionDto {
  instrumentUid: string;
  positionUid: string;
  figi: string;
  ticker: string;
  classCode: string;
  instrumentType: string;
  quantity: Decimal;
  averagePrice: MoneyDto | null;
  averagePriceFifo: MoneyDto | null;
  currentPrice: MoneyDto | null;
  currentNkd: MoneyDto | null;
  expectedYield: Decimal;
  dailyYield: MoneyDto | null;
  varMargin: MoneyDto | null;
  blocked: boolean;
  blockedLots: Decimal;
  virtual: boolean;
  expiresAt: IsoTime | null;
}

export interface PortfolioDto {
  accountId: string;
  totals: {
    portfolio: MoneyDto | null;
    shares: MoneyDto | null;
    bonds: MoneyDto | null;
    etf: MoneyDto | null;
    currencies: MoneyDto | null;
    futures: MoneyDto | null;
    options: MoneyDto | null;
    structuredNotes: MoneyDto | null;
  };
  /** Percent. */
  expectedYield: Decimal;
  dailyYield: MoneyDto | null;
  /** Percent. */
  dailyYieldRelative: Decimal;
  positions: PortfolioPositionDto[];
}

export interface SecurityBalanceDto {
  instrumentUid: string;
  positionUid: string;
  figi: string;
  ticker: string;
  classCode: string;
  instrumentType: string;
  /** Units, unblocked. */
  balance: string;
  blocked: string;
}

export interface PositionsDto {
  accountId: string;
  money: MoneyDto[];
  blocked: MoneyDto[];
  securities: SecurityBalanceDto[];
  futures: SecurityBalanceDto[];
  options: SecurityBalanceDto[];
  limitsLoadingInProgress: boolean;
}

export interface PositionsChangeDto {
  accountId: string;
  at: IsoTime | null;
  money: { available: MoneyDto | null; blocked: MoneyDto | null }[];
  securities: SecurityBalanceDto[];
  futures: SecurityBalanceDto[];
  options: SecurityBalanceDto[];
}

export interface OperationTradeDto {
  tradeId: string;
  at: IsoTime | null;
  quantity: string;
  price: MoneyDto | null;
}

export interface OperationDto {
  id: string;
  parentOperationId: string;
  type: OperationTypeName;
  description: string;
  state: OperationStateName;
  at: IsoTime | null;
  instrumentUid: string;
  figi: string;
  ticker: string | null;
  instrumentType: string;
  payment: MoneyDto | null;
  price: MoneyDto | null;
  commission: MoneyDto | null;
  quantity: string;
  quantityRest: string;
  trades: OperationTradeDto[];
  /** Present on cursor pages only. */
  cursor: string | null;
}

export interface OperationsPageDto {
  items: OperationDto[];
  hasNext: boolean;
  nextCursor: string | null;
}

export interface InstrumentDto {
  kind: InstrumentKind;
  uid: string;
  positionUid: string;
  assetUid: string;
  figi: string;
  ticker: string;
  classCode: string;
  isin: string;
  name: string;
  lot: number;
  currency: string;
  exchange: string;
  countryOfRisk: string;
  tradingStatus: TradingStatusName;
  minPriceIncrement: Decimal;
  apiTradeAvailable: boolean;
  buyAvailable: boolean;
  sellAvailable: boolean;
  forQualifiedInvestors: boolean;
  /** Bonds, shares, currencies. */
  nominal: MoneyDto | null;
  /** For a currency: the ISO code it holds (`USD`), from iso_currency_name; null otherwise. */
  isoCurrency: string | null;
  /** Futures: money per min price increment (prices are in points); null otherwise. */
  minPriceIncrementAmount: Decimal | null;
  bond: { maturityDate: IsoTime | null; couponsPerYear: number; accruedInterest: MoneyDto | null; floatingCoupon: boolean; amortization: boolean } | null;
}

export interface InstrumentSummaryDto {
  kind: InstrumentKind;
  uid: string;
  positionUid: string;
  figi: string;
  ticker: string;
  classCode: string;
  isin: string;
  name: string;
  instrumentType: string;
  lot: number;
  apiTradeAvailable: boolean;
  forQualifiedInvestors: boolean;
}

export interface TradingDayDto {
  date: IsoTime | null;
  isTradingDay: boolean;
  start: IsoTime | null;
  end: IsoTime | null;
  eveningStart: IsoTime | null;
  eveningEnd: IsoTime | null;
}

export interface TradingScheduleDto {
  exchange: string;
  days: TradingDayDto[];
}

export interface HistoricCandleDto {
  at: IsoTime | null;
  open: Decimal;
  high: Decimal;
  low: Decimal;
  close: Decimal;
  /** Lots. */
  volume: string;
  complete: boolean;
}

export interface LastPriceDto {
  instrumentUid: string;
  figi: string;
  ticker: string;
  classCode: string;
  /** Per unit, not per lot. */
  price: Decimal;
  at: IsoTime | null;
  priceType: LastPriceTypeName;
}

export interface OrderBookLevelDto {
  price: Decimal;
  /** Lots. */
  quantity: string;
}

export interface OrderBookDto {
  instrumentUid: string;
  figi: string;
  ticker: string;
  classCode: string;
  depth: number;
  bids: OrderBookLevelDto[];
  asks: OrderBookLevelDto[];
  lastPrice: Decimal | null;
  closePrice: Decimal | null;
  limitUp: Decimal | null;
  limitDown: Decimal | null;
  at: IsoTime | null;
}

export interface TradingStatusDto {
  instrumentUid: string;
  figi: string;
  ticker: string;
  classCode: string;
  status: TradingStatusName;
  limitOrderAvailable: boolean;
  marketOrderAvailable: boolean;
  apiTradeAvailable: boolean;
}

export interface ClosePriceDto {
  instrumentUid: string;
  figi: string;
  ticker: string;
  classCode: string;
  price: Decimal | null;
  eveningSessionPrice: Decimal | null;
  at: IsoTime | null;
}

export interface OrderStateDto {
  orderId: string;
  orderRequestId: string;
  status: OrderStatusName;
  direction: OrderDirectionName;
  orderType: OrderTypeName;
  instrumentUid: string;
  figi: string;
  ticker: string;
  classCode: string;
  lotsRequested: string;
  lotsExecuted: string;
  initialOrderPrice: MoneyDto | null;
  executedOrderPrice: MoneyDto | null;
  totalOrderAmount: MoneyDto | null;
  initialCommission: MoneyDto | null;
  executedCommission: MoneyDto | null;
  initialSecurityPrice: MoneyDto | null;
  placedAt: IsoTime | null;
  /** Server text on PostOrder answers. */
  message: string | null;
}

export interface CancelOrderDto {
  cancelledAt: IsoTime | null;
}

/** MarketDataStream events. */
export type MarketDataEvent =
  | { type: 'candle'; instrumentUid: string; figi: string; ticker: string; classCode: string; interval: SubscriptionIntervalName; open: Decimal; high: Decimal; low: Decimal; close: Decimal; volume: string; at: IsoTime | null; lastTradeAt: IsoTime | null }
  | { type: 'trade'; instrumentUid: string; figi: string; ticker: string; classCode: string; direction: TradeDirectionName; price: Decimal; quantity: string; at: IsoTime | null; source: TradeSourceName }
  | { type: 'orderbook'; instrumentUid: string; figi: string; ticker: string; classCode: string; depth: number; consistent: boolean; bids: OrderBookLevelDto[]; asks: OrderBookLevelDto[]; at: IsoTime | null; limitUp: Decimal | null; limitDown: Decimal | null }
  | { type: 'trading_status'; instrumentUid: string; figi: string; ticker: string; classCode: string; status: TradingStatusName; limitOrderAvailable: boolean; marketOrderAvailable: boolean; at: IsoTime | null }
  | ({ type: 'last_price' } & LastPriceDto)
  | { type: 'open_interest'; instrumentUid: string; ticker: string; classCode: string; openInterest: string; at: IsoTime | null }
  | { type: 'ping'; at: IsoTime | null; streamId: string }
  | { type: 'subscription'; kind: 'candles' | 'orderbook' | 'trades' | 'info' | 'last_price'; trackingId: string; items: SubscriptionItemDto[] };

export interface SubscriptionItemDto {
  instrumentUid: string;
  figi: string;
  ticker: string;
  classCode: string;
  status: SubscriptionStatusName;
  action: SubscriptionActionName;
  subscriptionId: string;
  streamId: string;
}

export type PortfolioStreamEvent =
  | { type: 'subscription'; trackingId: string; streamId: string; accounts: { accountId: string; status: StreamAccountStatusName }[] }
  | { type: 'portfolio'; portfolio: PortfolioDto }
  | { type: 'ping'; at: IsoTime | null; streamId: string };

export type PositionsStreamEvent =
  | { type: 'subscription'; trackingId: string; streamId: string; accounts: { accountId: string; status: StreamAccountStatusName }[] }
  | { type: 'initial_positions'; positions: PositionsDto }
  | { type: 'position'; change: PositionsChangeDto }
  | { type: 'ping'; at: IsoTime | null; streamId: string };

export interface SandboxPayInDto {
  balance: MoneyDto | null;
}
