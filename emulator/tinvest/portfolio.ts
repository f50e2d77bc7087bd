// Portfolio and positions views of an account, valued exactly at the price process's last prices.
import { create } from '@bufbuild/protobuf';
import { timestampFromMs } from '@bufbuild/protobuf/wkt';
import {
  PortfolioPositionSchema,
  PortfolioRequest_CurrencyRequest,
  PortfolioResponseSchema,
  PositionsResponseSchema,
  PositionsSecuritiesSchema,
  PositionDataSchema,
  PositionsMoneySchema,
  type PortfolioResponse,
  type PositionsResponse,
  type PositionData,
} from '@/lib/tinvest/gen/operations_pb';
import type { EmulatorContext } from './context';
import { divNanos, money, mulNanos, NANO, parseNanos, quotation } from './money';
import type { ScenarioInstrument } from './scenario';
import type { AccountState } from './state';

/** Money value of one unit at a market price (bonds are quoted in % of nominal, futures in points). */
export function unitMoney(inst: ScenarioInstrument, marketNanos: bigint): bigint {
  if (inst.kind === 'futures' && inst.future) return (marketNanos * parseNanos(inst.future.incrementAmount)) / parseNanos(inst.minPriceIncrement);
  if (inst.kind !== 'bond' || !inst.bond) return marketNanos;
  return mulNanos(marketNanos, parseNanos(inst.bond.nominal)) / 100n;
}

/** Accrued coupon per bond, 0 for other kinds. */
export function aciOf(inst: ScenarioInstrument): bigint {
  return inst.bond ? parseNanos(inst.bond.aci) : 0n;
}

/** Roubles per one unit of a currency (1 for RUB). */
export function rateOf(ctx: EmulatorContext, currency: string): bigint {
  if (currency.toUpperCase() === 'RUB') return NANO;
  const inst = ctx.state.currencyInstrument(currency);
  return inst ? ctx.prices.lastPrice(inst.uid, ctx.now()) : NANO;
}

const CURRENCY_REQUEST: Record<number, string> = { [PortfolioRequest_CurrencyRequest.RUB]: 'RUB', [PortfolioRequest_CurrencyRequest.USD]: 'USD', [PortfolioRequest_CurrencyRequest.EUR]: 'EUR' };

/** GetPortfolio: per-unit prices, totals per class, expected and daily yield; virtual positions are empty. */
export function buildPortfolio(ctx: EmulatorContext, account: AccountState, currencyRequest?: PortfolioRequest_CurrencyRequest): PortfolioResponse {
  const now = ctx.now();
  const totals = { share: 0n, bond: 0n, etf: 0n, currency: 0n, futures: 0n, index: 0n };
  let yieldSum = 0n;
  let costSum = 0n;
  let dailySum = 0n;
  const positions = [];
  for (const [uid, p] of account.positions) {
    const inst = ctx.state.instrument(uid);
    if (!inst || p.quantity === 0n) continue;
    const current = unitMoney(inst, ctx.prices.lastPrice(uid, now));
    const close = unitMoney(inst, ctx.prices.closePrice(uid, now).price);
    const value = current * p.quantity;
    const expectedYield = (current - p.averageNanos) * p.quantity;
    const dailyYield = (current - close) * p.quantity;
    // T-Invest's class totals count a bond's accrued coupon (current_nkd) on top of its clean price.
    totals[inst.kind] += value + aciOf(inst) * p.quantity;
    yieldSum += expectedYield;
    costSum += p.averageNanos * p.quantity;
    dailySum += dailyYield;
    positions.push(
      create(PortfolioPositionSchema, {
        figi: inst.figi,
        instrumentType: inst.kind,
        quantity: quotation(p.quantity * NANO),
        averagePositionPrice: money(p.averageNanos, inst.currency),
        expectedYield: quotation(expectedYield),
        currentNkd: inst.kind === 'bond' ? money(aciOf(inst), inst.currency) : undefined,
        currentPrice: money(current, inst.currency),
        averagePositionPriceFifo: money(p.averageNanos, inst.currency),
        quantityLots: quotation((p.quantity * NANO) / BigInt(inst.lot)),
        blocked: p.blocked > 0n,
        blockedLots: quotation((p.blocked * NANO) / BigInt(inst.lot)),
        positionUid: inst.positionUid,
        instrumentUid: inst.uid,
        varMargin: money(0n, inst.currency),
        expectedYieldFifo: quotation(expectedYield),
        dailyYield: money(dailyYield, inst.currency),
        ticker: inst.ticker,
        classCode: inst.classCode,
      }),
    );
  }
  for (const [currency, amount] of account.money) {
    const inst = currency === 'RUB' ? ctx.state.findInstrument('RUB000UTSTOM') : ctx.state.currencyInstrument(currency);
    const rate = rateOf(ctx, currency);
    const value = mulNanos(amount, rate);
    totals.currency += value;
    positions.push(
      create(PortfolioPositionSchema, {
        figi: inst?.figi ?? `${currency}000UTSTOM`,
        instrumentType: 'currency',
        quantity: quotation(amount),
        averagePositionPrice: money(rate, 'rub'),
        expectedYield: quotation(0n),
        currentPrice: money(rate, 'rub'),
        averagePositionPriceFifo: money(rate, 'rub'),
        quantityLots: quotation(inst ? divNanos(amount, BigInt(inst.lot) * NANO) : amount),
        blockedLots: quotation(0n),
        positionUid: inst?.positionUid ?? '',
        instrumentUid: inst?.uid ?? '',
        varMargin: money(0n, 'rub'),
        expectedYieldFifo: quotation(0n),
        dailyYield: money(0n, 'rub'),
        ticker: inst?.ticker ?? `${currency}000UTSTOM`,
        classCode: inst?.classCode ?? 'CETS',
      }),
    );
  }
  const target = CURRENCY_REQUEST[currencyRequest ?? PortfolioRequest_CurrencyRequest.RUB] ?? 'RUB';
  const rate = rateOf(ctx, target);
  const inTarget = (rub: bigint) => money(divNanos(rub, rate), target);
  const total = totals.share + totals.bond + totals.etf + totals.currency + totals.futures;
  return create(PortfolioResponseSchema, {
    totalAmountShares: inTarget(totals.share),
    totalAmountBonds: inTarget(totals.bond),
    totalAmountEtf: inTarget(totals.etf),
    totalAmountCurrencies: inTarget(totals.currency),
    totalAmountFutures: inTarget(totals.futures),
    totalAmountOptions: inTarget(0n),
    totalAmountSp: inTarget(0n),
    totalAmountPortfolio: inTarget(total),
    expectedYield: quotation(costSum === 0n ? 0n : divNanos(yieldSum * 100n, costSum)),
    positions,
    virtualPositions: [],
    accountId: account.id,
    dailyYield: inTarget(dailySum),
    dailyYieldRelative: quotation(total - dailySum === 0n ? 0n : divNanos(dailySum * 100n, total - dailySum)),
  });
}

function securities(ctx: EmulatorContext, account: AccountState) {
  const out = [];
  for (const [uid, p] of account.positions) {
    const inst = ctx.state.instrument(uid);
    if (!inst || p.quantity === 0n) continue;
    out.push(
      create(PositionsSecuritiesSchema, {
        figi: inst.figi,
        blocked: p.blocked,
        balance: p.quantity - p.blocked,
        positionUid: inst.positionUid,
        instrumentUid: inst.uid,
        ticker: inst.ticker,
        classCode: inst.classCode,
        exchangeBlocked: false,
        instrumentType: inst.kind,
      }),
    );
  }
  return out;
}

/** GetPositions: available cash and blocked cash per currency, securities with balance excluding blocked. */
export function buildPositions(ctx: EmulatorContext, account: AccountState): PositionsResponse {
  return create(PositionsResponseSchema, {
    money: [...account.money].map(([c, v]) => money(v - (account.blockedMoney.get(c) ?? 0n), c)),
    blocked: [...account.blockedMoney].filter(([, v]) => v !== 0n).map(([c, v]) => money(v, c)),
    securities: securities(ctx, account),
    limitsLoadingInProgress: false,
    futures: [],
    options: [],
    accountId: account.id,
  });
}

/** An account's position entries as PositionsStream compares them: key (`money:RUB`, `security:<uid>`) → values. */
export type PositionsSeen = Map<string, string>;

function positionEntries(ctx: EmulatorContext, account: AccountState) {
  const cash = [...account.money].map(([c, v]) => {
    const blocked = account.blockedMoney.get(c) ?? 0n;
    return { key: `money:${c}`, values: `${v - blocked}/${blocked}`, entry: create(PositionsMoneySchema, { availableValue: money(v - blocked, c), blockedValue: money(blocked, c) }) };
  });
  const held = securities(ctx, account).map((entry) => ({ key: `security:${entry.instrumentUid}`, values: `${entry.balance}/${entry.blocked}`, entry }));
  return { cash, held };
}

/** What a PositionsStream has told its client so far: the account's entries now. */
export function seenPositions(ctx: EmulatorContext, account: AccountState): PositionsSeen {
  const { cash, held } = positionEntries(ctx, account);
  return new Map([...cash, ...held].map((e) => [e.key, e.values]));
}

/**
 * PositionsStream's change message. Like T-Invest's, it carries only the entries that changed since `seen`
 * (which it updates), each with its new absolute values; a security no longer held comes with balance 0.
 * Null when nothing the stream shows changed.
 */
export function buildPositionData(ctx: EmulatorContext, account: AccountState, seen: PositionsSeen): PositionData | null {
  const { cash, held } = positionEntries(ctx, account);
  const changedMoney = cash.filter((e) => seen.get(e.key) !== e.values);
  const changedSecurities = held.filter((e) => seen.get(e.key) !== e.values).map((e) => e.entry);
  const now = new Set(held.map((e) => e.key));
  for (const key of seen.keys()) {
    if (!key.startsWith('security:') || now.has(key)) continue;
    const inst = ctx.state.instrument(key.slice('security:'.length));
    if (inst) changedSecurities.push(create(PositionsSecuritiesSchema, { figi: inst.figi, blocked: 0n, balance: 0n, positionUid: inst.positionUid, instrumentUid: inst.uid, ticker: inst.ticker, classCode: inst.classCode, exchangeBlocked: false, instrumentType: inst.kind }));
    seen.delete(key);
  }
  for (const e of [...cash, ...held]) seen.set(e.key, e.values);
  if (changedMoney.length === 0 && changedSecurities.length === 0) return null;
  return create(PositionDataSchema, {
    accountId: account.id,
    money: changedMoney.map((e) => e.entry),
    securities: changedSecurities,
    futures: [],
    options: [],
    date: timestampFromMs(ctx.now()),
  });
}
