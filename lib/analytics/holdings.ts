// Day-end holdings replayed from the ledger, and their value in roubles. Amounts are exact nanos;
// whatever cannot be priced is listed on the day it is missing, never counted as zero.
import { divideRounded } from '@/lib/money/arithmetic';
import { addDays, type Day } from './days';
import type { Ledger, LedgerEntry } from './ledger';

const NANO = 1_000_000_000n;

/** An exact amount: nanos (1e-9 units) of a currency. */
export interface Money {
  nanos: bigint;
  /** Upper-case ISO code; '' when unknown. */
  currency: string;
}

export interface DayHoldings {
  day: Day;
  /** Units per instrument uid at the day's end; instruments at zero are absent. */
  quantities: ReadonlyMap<string, bigint>;
  /** Cash nanos per currency at the day's end ('' = a currency T-Invest did not name). */
  cash: ReadonlyMap<string, bigint>;
  /** External cash flows during the day per currency: deposits > 0, withdrawals < 0. */
  flows: ReadonlyMap<string, bigint>;
  /** Securities moved into (+) or out of (−) the account during the day, per instrument uid. */
  transfers: ReadonlyMap<string, bigint>;
}

export interface HoldingsOptions {
  /** First day to report (earlier entries still count); defaults to the first entry's day. */
  from?: Day;
  /** Last day to report; later entries are ignored. Defaults to the last entry's day. */
  to?: Day;
  /** For a currency instrument (USD000UTSTOM), the ISO code it holds: its trades then move that cash instead of a position. */
  cashCurrencyOf?: (instrumentUid: string) => string | null;
}

const EMPTY: ReadonlyMap<string, bigint> = new Map();

/** One DayHoldings per calendar day in range, replaying every ledger entry up to each day's end. */
export function buildHoldings(ledger: Ledger, options: HoldingsOptions = {}): DayHoldings[] {
  const entries = ledger.entries;
  const firstEntryDay = entries[0]?.day;
  const lastEntryDay = entries[entries.length - 1]?.day;
  const from = options.from ?? firstEntryDay;
  const to = options.to ?? lastEntryDay;
  if (from === undefined || to === undefined || from > to) return [];
  const cashCurrencyOf = options.cashCurrencyOf ?? (() => null);

  const quantities = new Map<string, bigint>();
  const cash = new Map<string, bigint>();
  const result: DayHoldings[] = [];
  let index = 0;
  let quantitiesView: ReadonlyMap<string, bigint> = EMPTY;
  let cashView: ReadonlyMap<string, bigint> = EMPTY;
  let day = firstEntryDay !== undefined && firstEntryDay < from ? firstEntryDay : from;
  for (; day <= to; day = addDays(day, 1)) {
    let flows: Map<string, bigint> | null = null;
    let transfers: Map<string, bigint> | null = null;
    let changed = false;
    for (; index < entries.length && entries[index]!.day === day; index++) {
      const entry = entries[index]!;
      changed = true;
      addTo(cash, entry.currency, entry.amount);
      applyUnits(entry, quantities, cash, cashCurrencyOf);
      if (entry.kind === 'flow') addTo((flows ??= new Map()), entry.currency, entry.amount);
      if (entry.kind === 'transfer') addTo((transfers ??= new Map()), entry.instrumentUid, entry.quantity);
    }
    if (day < from) continue;
    // Days without entries share the previous day's maps: 10 years of days cost little.
    if (changed || result.length === 0) {
      quantitiesView = new Map(quantities);
      cashView = new Map(cash);
    }
    result.push({ day, quantities: quantitiesView, cash: cashView, flows: flows ?? EMPTY, transfers: transfers ?? EMPTY });
  }
  return result;
}

function addTo(map: Map<string, bigint>, key: string, amount: bigint): void {
  if (amount === 0n) return;
  const next = (map.get(key) ?? 0n) + amount;
  if (next === 0n) map.delete(key);
  else map.set(key, next);
}

function applyUnits(entry: LedgerEntry, quantities: Map<string, bigint>, cash: Map<string, bigint>, cashCurrencyOf: (uid: string) => string | null): void {
  if (entry.kind === 'trade') {
    const units = entry.side === 'buy' ? entry.quantity : -entry.quantity;
    const currency = cashCurrencyOf(entry.instrumentUid);
    if (currency) addTo(cash, currency.toUpperCase(), units * NANO);
    else addTo(quantities, entry.instrumentUid, units);
  } else if (entry.kind === 'transfer') {
    addTo(quantities, entry.instrumentUid, entry.quantity);
  } else if (entry.kind === 'income' && entry.incomeKind === 'redemption') {
    // A full redemption retires the bonds; with no quantity stated, all of them.
    const held = quantities.get(entry.instrumentUid) ?? 0n;
    addTo(quantities, entry.instrumentUid, -(entry.quantity > 0n && entry.quantity < held ? entry.quantity : held));
  }
}

/** Something left out of a day's value, so the UI can say so. */
export type Unpriced =
  | { kind: 'no-price'; instrumentUid: string; quantity: bigint }
  | { kind: 'no-rate'; currency: string; /** Native nanos (cash and priced positions) not converted. */ amount: bigint }
  | { kind: 'flow-no-rate'; currency: string; amount: bigint }
  | { kind: 'transfer-no-price'; instrumentUid: string; quantity: bigint };

export interface ValuePoint {
  day: Day;
  /** RUB nanos of everything that could be priced at the day's end. */
  valueRub: bigint;
  /** Native nanos per currency: cash plus positions priced in it (before conversion). */
  valueByCurrency: ReadonlyMap<string, bigint>;
  cash: ReadonlyMap<string, bigint>;
  /** The day's external flows (securities transfers at the day's price) in RUB nanos; deposits > 0. */
  flowRub: bigint;
  /** Σ flowRub up to and including the day. */
  netContributionsRub: bigint;
  unpriced: Unpriced[];
}

/** Price per unit of an instrument at a day's end, or null when unknown. */
export type PriceOf = (instrumentUid: string, day: Day) => Money | null;
/** RUB nanos per one unit of a currency on a day, or null when unknown. RUB itself is never asked. */
export type FxToRub = (currency: string, day: Day) => bigint | null;

/** Values each day's holdings in RUB; a flow is converted at its own day's rate. */
export function valueSeries(holdings: readonly DayHoldings[], priceOf: PriceOf, fxToRub: FxToRub): ValuePoint[] {
  let netContributionsRub = 0n;
  return holdings.map((h) => {
    const rates = new Map<string, bigint | null>();
    const rate = (currency: string): bigint | null => {
      if (currency === 'RUB') return NANO;
      if (!rates.has(currency)) rates.set(currency, fxToRub(currency, h.day));
      return rates.get(currency)!;
    };
    const unpriced: Unpriced[] = [];
    const native = new Map<string, bigint>(h.cash);
    for (const [uid, quantity] of h.quantities) {
      const price = priceOf(uid, h.day);
      if (price === null) unpriced.push({ kind: 'no-price', instrumentUid: uid, quantity });
      else addTo(native, price.currency.toUpperCase(), quantity * price.nanos);
    }
    let valueRub = 0n;
    for (const [currency, amount] of native) {
      const r = rate(currency);
      if (r === null) unpriced.push({ kind: 'no-rate', currency, amount });
      else valueRub += toRub(amount, r);
    }

    const flowNative = new Map<string, bigint>(h.flows);
    for (const [uid, quantity] of h.transfers) {
      const price = priceOf(uid, h.day);
      if (price === null) unpriced.push({ kind: 'transfer-no-price', instrumentUid: uid, quantity });
      else addTo(flowNative, price.currency.toUpperCase(), quantity * price.nanos);
    }
    let flowRub = 0n;
    for (const [currency, amount] of flowNative) {
      const r = rate(currency);
      if (r === null) unpriced.push({ kind: 'flow-no-rate', currency, amount });
      else flowRub += toRub(amount, r);
    }
    netContributionsRub += flowRub;
    return { day: h.day, valueRub, valueByCurrency: native, cash: h.cash, flowRub, netContributionsRub, unpriced };
  });
}

/** nanos × rate (RUB nanos per unit), rounded half-up to a nano of a rouble. */
export function toRub(amount: bigint, rate: bigint): bigint {
  return rate === NANO ? amount : divideRounded(amount * rate, NANO, 'half-up');
}

/**
 * Adds several accounts' series day by day (an account contributes nothing before its first day).
 * All series must end on the same day: build their holdings with the same `to`.
 */
export function mergeValueSeries(series: readonly (readonly ValuePoint[])[]): ValuePoint[] {
  const nonEmpty = series.filter((s) => s.length > 0);
  const ends = new Set(nonEmpty.map((s) => s[s.length - 1]!.day));
  if (ends.size > 1) throw new RangeError(`Series end on different days: ${[...ends].sort().join(', ')}.`);
  const byDay = new Map<Day, ValuePoint>();
  for (const s of nonEmpty) {
    for (const point of s) {
      const sum = byDay.get(point.day);
      if (!sum) {
        byDay.set(point.day, { ...point, valueByCurrency: new Map(point.valueByCurrency), cash: new Map(point.cash), unpriced: [...point.unpriced] });
        continue;
      }
      sum.valueRub += point.valueRub;
      sum.flowRub += point.flowRub;
      sum.netContributionsRub += point.netContributionsRub;
      for (const [currency, amount] of point.valueByCurrency) addTo(sum.valueByCurrency as Map<string, bigint>, currency, amount);
      for (const [currency, amount] of point.cash) addTo(sum.cash as Map<string, bigint>, currency, amount);
      sum.unpriced.push(...point.unpriced);
    }
  }
  return [...byDay.values()].sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0));
}
