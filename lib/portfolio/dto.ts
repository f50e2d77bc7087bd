// What lib/portfolio hands out: plain, serialisable shapes; amounts are exact decimal strings.
import type { ErrorKey, ErrorValues } from '../i18n/messages';
import type { PriceUnit } from '../money';
import type {
  CandleIntervalName,
  HistoricCandleDto,
  InstrumentDto,
  MoneyDto,
  OperationDto,
  OrderBookDto,
  PortfolioDto,
  PositionsDto,
  TradingStatusDto,
} from '../tinvest/dto';

export type { CandleIntervalName, HistoricCandleDto, InstrumentDto, MoneyDto, OperationDto, OrderBookDto, PortfolioDto, PositionsDto, PriceUnit, TradingStatusDto };

/** Why data could not be shown, in a form the UI words for the viewer. */
export type FailureKind = 'token_invalid' | 'token_paused' | 'token_retired' | 'no_grant' | 'no_trading' | 'rate_limited' | 'unavailable' | 'not_found' | 'invalid' | 'unknown';

export interface FailureDto {
  kind: FailureKind;
  /** Our explanation in English (never T-Bank's text); the UI leads with its own words for `kind`. */
  message: string;
  /** The same explanation as a catalogue key, which the page shows in the viewer's language. */
  messageKey: ErrorKey | null;
  values: ErrorValues | null;
  /** Only for rate limits: when trying again may succeed. */
  retryAfterSeconds: number | null;
  /** T-Bank's numeric code and tracking id, when T-Bank refused: safe to show, and what its support asks for. */
  upstreamCode: string | null;
  trackingId: string | null;
  /** T-Bank's own words, scrubbed of secrets; only for owners and admins (others see the translated meaning). */
  upstreamMessage: string | null;
}

/** When data was fetched; `stale` when served from cache because the request budget ran low. */
export interface FreshnessDto {
  asOf: string;
  stale: boolean;
}

export interface AccountRefDto {
  tokenId: string;
  tokenLabel: string;
  tokenKind: string;
  accountId: string;
  name: string;
  /** `tinkoff`, `tinkoff_iis`, … */
  type: string;
  /** `open`, `new`, `closed`. */
  status: string;
  closed: boolean;
  /** `full_access`, `read_only`, `no_access`, `unspecified`. */
  accessLevel: string;
}

export interface AccountSummaryDto extends AccountRefDto {
  value: MoneyDto | null;
  dailyChange: MoneyDto | null;
  /** Percent, rounded to 2 places. */
  dailyChangePercent: string | null;
  /** Percent, rounded to 2 places. */
  expectedYieldPercent: string | null;
  freshness: FreshnessDto | null;
  failure: FailureDto | null;
}

export interface AllocationSliceDto {
  /** Instrument type, ISO currency or `tokenId:accountId`. */
  key: string;
  /** For accounts: the account name. */
  label: string;
  /** In roubles. */
  value: string;
  /** Percent of the whole, 2 places. */
  percent: string;
}

export interface CurrencyHoldingDto {
  currency: string;
  /** In the currency itself. */
  amount: string;
  /** Rouble equivalent, null when no rate was available. */
  rubValue: string | null;
  /** Part of `amount` had no price or rate, so `rubValue` covers only the rest. */
  partlyUnpriced: boolean;
}

export interface UnusableTokenDto {
  tokenId: string;
  label: string;
  /** The token's status: invalid, paused, expired, retired. */
  status: string;
}

export interface OverviewDto {
  /** Why there is nothing to total, or null when there is. */
  empty: null | 'no_tokens' | 'no_usable_tokens' | 'no_accounts';
  total: string;
  dailyChange: string;
  dailyChangePercent: string | null;
  expectedYield: string;
  expectedYieldPercent: string | null;
  byCurrency: CurrencyHoldingDto[];
  /** The part of `total` no position explains (no price, no rate, unknown currency), in roubles; '0' when none. */
  unattributed: string;
  allocation: { byType: AllocationSliceDto[]; byCurrency: AllocationSliceDto[]; byAccount: AllocationSliceDto[] };
  /** One row per account, through the best token that reaches it; values add up to `total`. */
  accounts: AccountSummaryDto[];
  unusableTokens: UnusableTokenDto[];
  /** Some accounts failed to load; totals cover the rest. */
  partial: boolean;
  /** The oldest "as of" among stale answers, when any were stale. */
  staleAsOf: string | null;
  /** Set when no account could be read and none has a last known snapshot: nothing is totalled, so no total is shown. */
  failure: FailureDto | null;
}

export interface PositionRowDto {
  instrumentUid: string;
  name: string;
  ticker: string;
  instrumentType: string;
  /** Units. */
  quantity: string;
  /** Lots, when the lot size is known. */
  lots: string | null;
  lot: number | null;
  /** Money per unit, as the portfolio reports it (bonds and futures included). */
  averagePrice: MoneyDto | null;
  currentPrice: MoneyDto | null;
  /** How this instrument's market-data prices (live ticks: % of nominal, points) turn into money per unit. */
  priceUnit: PriceUnit;
  /** The account's own money held as a currency position (RUB000UTSTOM in a rouble account): no price, nothing ticks. */
  cashLike: boolean;
  /** quantity × (current price + accrued interest). */
  value: MoneyDto | null;
  expectedYield: MoneyDto | null;
  /** Percent, 2 places. */
  expectedYieldPercent: string | null;
  /** Units blocked (orders, etc.). */
  blocked: string;
  currency: string;
}

export interface AccountPortfolioDto {
  account: AccountRefDto;
  total: MoneyDto | null;
  dailyChange: MoneyDto | null;
  dailyChangePercent: string | null;
  expectedYieldPercent: string | null;
  positions: PositionRowDto[];
  /** Cash per currency: available and blocked. */
  cash: { currency: string; available: string; blocked: string }[];
  freshness: FreshnessDto;
  /** Live topics for this account. */
  topics: { portfolio: string; positions: string };
  /** positionsSignature() of the positions this page was built from; null without them. */
  positionsSignature: string | null;
}

export interface OperationsFilterDto {
  tokenId: string;
  accountId: string;
  types: string[];
  from: string | null;
  to: string | null;
  instrument: string | null;
}

export interface OperationsPageDto {
  accounts: AccountRefDto[];
  filter: OperationsFilterDto | null;
  items: OperationDto[];
  nextCursor: string | null;
  /** Cursor of the page shown, null for the first. */
  cursor: string | null;
  freshness: FreshnessDto | null;
}

export type CandleRange = '1m' | '5m' | '15m' | '1h' | '1d';

export interface CandlesDto {
  instrumentUid: string;
  interval: CandleRange;
  candles: HistoricCandleDto[];
  freshness: FreshnessDto;
}

export interface InstrumentViewDto {
  instrument: InstrumentDto;
  tokenId: string;
  /** How market-data prices (last price, order book, candles) turn into money per unit. */
  priceUnit: PriceUnit;
  /** The last price as the exchange quotes it (bonds: % of nominal, futures: points). */
  lastQuote: string | null;
  /** The last price in money per unit; null when it cannot be converted. */
  lastPrice: MoneyDto | null;
  lastPriceAt: string | null;
  tradingStatus: TradingStatusDto | null;
  orderBook: OrderBookDto | null;
  candles: CandlesDto;
  freshness: FreshnessDto;
}

export interface InstrumentSearchResultDto {
  uid: string;
  ticker: string;
  name: string;
  kind: string;
  classCode: string;
}

export interface SandboxAccountDto {
  accountId: string;
  name: string;
  status: string;
  portfolio: AccountPortfolioDto | null;
}

export interface SandboxDto {
  /**
   * Sandbox tokens the viewer may use. canTrade: pay-ins and orders (not a viewer, policy allows
   * trading); canOpen: opening accounts too (and the grant covers every account, or a manager).
   */
  tokens: { tokenId: string; label: string; tradingAllowed: boolean; canTrade: boolean; canOpen: boolean }[];
  tokenId: string | null;
  accounts: SandboxAccountDto[];
  /** Instruments offered for orders. */
  instruments: InstrumentSearchResultDto[];
}

export interface SandboxOrderResultDto {
  orderId: string;
  status: string;
  lotsExecuted: string;
  executedPrice: MoneyDto | null;
  totalAmount: MoneyDto | null;
  commission: MoneyDto | null;
}
