// Scenario instruments rendered as the API's Share/Bond/Etf/Currency/Future/Instrument/InstrumentShort messages.
import { create } from '@bufbuild/protobuf';
import { timestampFromMs } from '@bufbuild/protobuf/wkt';
import { InstrumentType, RealExchange, SecurityTradingStatus } from '@/lib/tinvest/gen/common_pb';
import {
  BondSchema,
  CurrencySchema,
  EtfSchema,
  FutureSchema,
  InstrumentSchema,
  IndicativeResponseSchema,
  InstrumentShortSchema,
  RiskLevel,
  ShareSchema,
  ShareType,
  type Bond,
  type Currency,
  type Etf,
  type Future,
  type IndicativeResponse,
  type Instrument,
  type InstrumentShort,
  type Share,
} from '@/lib/tinvest/gen/instruments_pb';
import type { EmulatorContext } from './context';
import { money, parseNanos, quotation } from './money';
import type { ScenarioInstrument } from './scenario';

const KINDS = { share: InstrumentType.SHARE, bond: InstrumentType.BOND, etf: InstrumentType.ETF, currency: InstrumentType.CURRENCY, futures: InstrumentType.FUTURES, index: InstrumentType.INDEX } as const;

/** The API's instrument_type string. */
export function instrumentTypeName(inst: ScenarioInstrument): string {
  return inst.kind;
}

export function instrumentKind(inst: ScenarioInstrument): InstrumentType {
  return KINDS[inst.kind];
}

/** NORMAL_TRADING while the process trades, NOT_AVAILABLE_FOR_TRADING otherwise. */
export function tradingStatusOf(ctx: EmulatorContext, inst: ScenarioInstrument): SecurityTradingStatus {
  if (!inst.apiTradeAvailable) return SecurityTradingStatus.NOT_AVAILABLE_FOR_TRADING;
  return ctx.prices.isTrading(ctx.now()) ? SecurityTradingStatus.NORMAL_TRADING : SecurityTradingStatus.NOT_AVAILABLE_FOR_TRADING;
}

const FIRST_MINUTE = timestampFromMs(Date.UTC(2018, 2, 7, 18, 33));
const FIRST_DAY = timestampFromMs(Date.UTC(2000, 0, 4, 7));

function common(ctx: EmulatorContext, inst: ScenarioInstrument) {
  const risk = (long: string) => quotation(parseNanos(long));
  return {
    figi: inst.figi,
    ticker: inst.ticker,
    classCode: inst.classCode,
    isin: inst.isin,
    lot: inst.lot,
    currency: inst.currency.toLowerCase(),
    klong: risk('2'),
    kshort: risk('2'),
    dlong: risk(inst.kind === 'bond' ? '0.15' : '0.25'),
    dshort: risk(inst.kind === 'bond' ? '0.15' : '0.3'),
    dlongMin: risk(inst.kind === 'bond' ? '0.08' : '0.13'),
    dshortMin: risk(inst.kind === 'bond' ? '0.08' : '0.16'),
    shortEnabledFlag: inst.kind === 'share',
    name: inst.name,
    exchange: inst.kind === 'currency' ? 'FX' : 'MOEX_PLUS',
    countryOfRisk: inst.countryOfRisk,
    countryOfRiskName: inst.countryOfRisk === 'RU' ? 'Российская Федерация' : '',
    tradingStatus: tradingStatusOf(ctx, inst),
    otcFlag: false,
    buyAvailableFlag: true,
    sellAvailableFlag: true,
    minPriceIncrement: quotation(parseNanos(inst.minPriceIncrement)),
    apiTradeAvailableFlag: inst.apiTradeAvailable,
    uid: inst.uid,
    realExchange: RealExchange.MOEX,
    positionUid: inst.positionUid,
    assetUid: inst.assetUid ?? '',
    forIisFlag: true,
    forQualInvestorFlag: inst.forQualInvestor,
    weekendFlag: ctx.state.scenario.schedule === 'always',
    blockedTcaFlag: false,
    first1minCandleDate: FIRST_MINUTE,
    first1dayCandleDate: FIRST_DAY,
    brand: { logoName: `${inst.isin || inst.ticker}.png`, logoBaseColor: '#1f6feb', textColor: '#ffffff' },
  };
}

export function toShare(ctx: EmulatorContext, inst: ScenarioInstrument): Share {
  return create(ShareSchema, {
    ...common(ctx, inst),
    sector: inst.sector,
    shareType: inst.ticker.endsWith('P') ? ShareType.PREFERRED : ShareType.COMMON,
    divYieldFlag: true,
    liquidityFlag: true,
    nominal: money(1_000_000_000n, inst.currency),
  });
}

export function toBond(ctx: EmulatorContext, inst: ScenarioInstrument): Bond {
  const b = inst.bond;
  return create(BondSchema, {
    ...common(ctx, inst),
    sector: inst.sector,
    couponQuantityPerYear: b?.couponsPerYear ?? 0,
    maturityDate: b ? timestampFromMs(Date.parse(b.maturityDate)) : undefined,
    nominal: money(parseNanos(b?.nominal ?? '1000'), inst.currency),
    initialNominal: money(parseNanos(b?.nominal ?? '1000'), inst.currency),
    aciValue: money(parseNanos(b?.aci ?? '0'), inst.currency),
    floatingCouponFlag: b?.floatingCoupon ?? false,
    issueKind: 'documentary',
    liquidityFlag: true,
    riskLevel: inst.classCode === 'TQOB' ? RiskLevel.LOW : RiskLevel.MODERATE,
  });
}

export function toEtf(ctx: EmulatorContext, inst: ScenarioInstrument): Etf {
  return create(EtfSchema, { ...common(ctx, inst), sector: inst.sector, focusType: 'equity', rebalancingFreq: 'quarterly', liquidityFlag: true });
}

export function toCurrency(ctx: EmulatorContext, inst: ScenarioInstrument): Currency {
  return create(CurrencySchema, { ...common(ctx, inst), isoCurrencyName: inst.ticker.slice(0, 3).toLowerCase(), nominal: money(1_000_000_000n, inst.ticker.slice(0, 3)) });
}

export function toFuture(ctx: EmulatorContext, inst: ScenarioInstrument): Future {
  const f = inst.future;
  return create(FutureSchema, {
    ...common(ctx, inst),
    exchange: 'FORTS_EVENING',
    sector: inst.sector,
    futuresType: 'cash_settlement',
    assetType: 'TYPE_INDEX',
    basicAsset: f?.basicAsset ?? '',
    basicAssetSize: quotation(1_000_000_000n),
    expirationDate: f ? timestampFromMs(Date.parse(f.expirationDate)) : undefined,
    lastTradeDate: f ? timestampFromMs(Date.parse(f.expirationDate)) : undefined,
    minPriceIncrementAmount: quotation(parseNanos(f?.incrementAmount ?? '0')),
    initialMarginOnBuy: money(parseNanos('32000'), inst.currency),
    initialMarginOnSell: money(parseNanos('32000'), inst.currency),
  });
}

export function toInstrument(ctx: EmulatorContext, inst: ScenarioInstrument): Instrument {
  return create(InstrumentSchema, { ...common(ctx, inst), instrumentType: instrumentTypeName(inst), instrumentKind: instrumentKind(inst) });
}

export function toInstrumentShort(ctx: EmulatorContext, inst: ScenarioInstrument): InstrumentShort {
  const c = common(ctx, inst);
  return create(InstrumentShortSchema, {
    isin: c.isin,
    figi: c.figi,
    ticker: c.ticker,
    classCode: c.classCode,
    instrumentType: instrumentTypeName(inst),
    name: c.name,
    uid: c.uid,
    positionUid: c.positionUid,
    instrumentKind: instrumentKind(inst),
    apiTradeAvailableFlag: c.apiTradeAvailableFlag,
    forIisFlag: true,
    first1minCandleDate: FIRST_MINUTE,
    first1dayCandleDate: FIRST_DAY,
    forQualInvestorFlag: inst.forQualInvestor,
    weekendFlag: c.weekendFlag,
    lot: inst.lot,
  });
}

/** An index (IMOEX) as InstrumentsService/Indicatives lists it: never buyable or sellable. */
export function toIndicative(inst: ScenarioInstrument): IndicativeResponse {
  return create(IndicativeResponseSchema, {
    figi: inst.figi,
    ticker: inst.ticker,
    classCode: inst.classCode,
    currency: inst.currency.toLowerCase(),
    instrumentKind: instrumentKind(inst),
    name: inst.name,
    exchange: 'MOEX_INDEX',
    uid: inst.uid,
    buyAvailableFlag: false,
    sellAvailableFlag: false,
  });
}
