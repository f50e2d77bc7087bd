// The overview's arithmetic: totals, daily change, expected yield and allocations across accounts,
// all in exact bigint billionths. Percentages are computed from exact values.
//
// One snapshot, one rule. The snapshot is the set of GetPortfolio answers, one per account, each
// fetched once. An account's value is T-Invest's total_amount_portfolio (the bank's own figure, the one
// the account page shows); the total is the sum of those values. Every breakdown (by type, by currency,
// the currency table) comes from the same answers' positions, each valued in roubles as
// quantity × (price + accrued interest) at the rates those answers imply. Whatever part of the total
// the positions do not explain (a position without a price or a rate, a currency position whose
// currency is unknown, T-Invest valuing differently) is one explicit "not broken down" amount, never
// dropped and never guessed. So every section's parts add up to the same exact total; amounts are then
// rounded to kopecks and percentages to hundredths by largest remainders, so the shown parts add up to
// the shown total to the kopeck, and the percentages to exactly 100.
import { decimalToNanos, nanosToDecimal } from '../money';
import { divideRounded } from '../money/arithmetic';
import type { AllocationSliceDto, CurrencyHoldingDto, PortfolioDto } from './dto';

type PositionLike = PortfolioDto['positions'][number];
const NANO = 1_000_000_000n;
const KOPECK = 10_000_000n;

/** The key of the slice (by type and by currency) that holds what positions do not explain. */
export const UNATTRIBUTED = 'unattributed';

const abs = (n: bigint) => (n < 0n ? -n : n);
const nanos = (text: string | null | undefined) => (text ? decimalToNanos(text) : 0n);

/** `part / whole × 100`, rounded half-up to `digits` places; null when `whole` is zero. */
export function percentOf(part: string, whole: string, digits = 2): string | null {
  const w = decimalToNanos(whole);
  if (w === 0n) return null;
  const p = decimalToNanos(part);
  const scale = 10n ** BigInt(digits);
  const magnitude = divideRounded(abs(p) * 100n * scale, abs(w), 'half-up') * 10n ** BigInt(9 - digits);
  return nanosToDecimal(p < 0n !== w < 0n ? -magnitude : magnitude);
}

/** A decimal rounded half-up to `digits` places. */
export function roundDecimal(text: string, digits = 2): string {
  const scale = 10n ** BigInt(9 - digits);
  return nanosToDecimal(divideRounded(decimalToNanos(text), scale, 'half-up') * scale);
}

/** a × b for decimals (quantity × price), rounded half-up to 9 places. */
export function multiplyDecimals(a: string, b: string): string {
  return nanosToDecimal(divideRounded(decimalToNanos(a) * decimalToNanos(b), NANO, 'half-up'));
}

export function addDecimals(...values: (string | null | undefined)[]): string {
  return nanosToDecimal(values.reduce<bigint>((total, value) => total + nanos(value), 0n));
}

/**
 * Whole units for exact shares `numerators[i] / denominator` that add up to `target`: each share is
 * floored, then the units still missing go one each to the largest remainders (ties: earlier first).
 * The caller guarantees Σ shares is within half a unit of `target`, so 0 ≤ missing ≤ n.
 */
export function apportion(numerators: bigint[], denominator: bigint, target: bigint): bigint[] {
  const floors = numerators.map((n) => divideRounded(n, denominator, 'floor'));
  let missing = target - floors.reduce((a, b) => a + b, 0n);
  const order = numerators.map((n, i) => ({ i, rest: n - floors[i]! * denominator })).sort((a, b) => (a.rest === b.rest ? a.i - b.i : a.rest > b.rest ? -1 : 1));
  for (const { i } of order) {
    if (missing <= 0n) break;
    floors[i]! += 1n;
    missing -= 1n;
  }
  return floors;
}

/** Exact amounts (billionths) that add up to `whole`, rounded to kopecks so that they add up to `whole` rounded. */
function toKopecks(parts: bigint[], whole: bigint): bigint[] {
  return apportion(parts, KOPECK, divideRounded(whole, KOPECK, 'half-up')).map((kopecks) => kopecks * KOPECK);
}

/** Each part's percentage of `whole` in hundredths, adding up to exactly 100; all '0' when `whole` is zero. */
function percents(parts: bigint[], whole: bigint): string[] {
  if (whole === 0n) return parts.map(() => '0');
  const sign = whole < 0n ? -1n : 1n;
  return apportion(
    parts.map((part) => part * 10_000n * sign),
    abs(whole),
    10_000n,
  ).map((hundredths) => nanosToDecimal(hundredths * KOPECK));
}

/** Where a position's instrument data (its ISO currency) is looked up: its uid, else its FIGI. */
export function positionKey(position: Pick<PositionLike, 'instrumentUid' | 'figi' | 'positionUid'>): string {
  return position.instrumentUid || position.figi || position.positionUid;
}

/**
 * The ISO currency a position holds. A currency position holds the currency its instrument data names
 * (`iso`, from iso_currency_name), else the one its ticker starts with (`USD000UTSTOM` → USD); null when
 * neither says, as its price currency (roubles) is not what it holds. Other positions hold their price's.
 */
export function heldCurrency(position: PositionLike, iso?: string | null): string | null {
  const priced = (position.currentPrice?.currency ?? position.averagePrice?.currency ?? 'RUB').toUpperCase();
  if (position.instrumentType !== 'currency') return priced;
  if (iso) return iso.toUpperCase();
  const match = /^([A-Z]{3})/.exec(position.ticker.toUpperCase());
  return match ? match[1]! : null;
}

/** quantity × (current price + accrued interest), in the price's currency. */
export function positionValue(position: PositionLike): string | null {
  if (!position.currentPrice) return null;
  return multiplyDecimals(position.quantity, addDecimals(position.currentPrice.amount, position.currentNkd?.amount));
}

export interface AggregateInput {
  key: string;
  label: string;
  portfolio: PortfolioDto;
  /** The ISO currency of currency positions, by positionKey, from instrument data. */
  currencies?: ReadonlyMap<string, string>;
}

/** Rouble rates per currency, read off currency positions priced in roubles. */
export function ratesFrom(inputs: AggregateInput[]): Map<string, bigint> {
  const rates = new Map<string, bigint>([['RUB', NANO]]);
  for (const { portfolio, currencies } of inputs) {
    for (const position of portfolio.positions) {
      if (position.instrumentType !== 'currency' || position.currentPrice?.currency.toUpperCase() !== 'RUB') continue;
      const iso = heldCurrency(position, currencies?.get(positionKey(position)));
      if (iso && !rates.has(iso)) rates.set(iso, decimalToNanos(position.currentPrice.amount));
    }
  }
  return rates;
}

function toRub(amount: bigint, currency: string, rates: Map<string, bigint>): bigint | null {
  const rate = rates.get(currency.toUpperCase());
  return rate === undefined ? null : divideRounded(amount * rate, NANO, 'half-up');
}

export interface Aggregate {
  total: string;
  dailyChange: string;
  dailyChangePercent: string | null;
  expectedYield: string;
  expectedYieldPercent: string | null;
  byCurrency: CurrencyHoldingDto[];
  /** The part of the total no position explains, in roubles; '0' when they explain all of it. */
  unattributed: string;
  /** Each account's value and daily change in roubles, by input key, adding up to the totals. */
  accounts: Map<string, { value: string; dailyChange: string }>;
  allocation: { byType: AllocationSliceDto[]; byCurrency: AllocationSliceDto[]; byAccount: AllocationSliceDto[] };
}

interface Part {
  key: string;
  label: string;
  value: bigint;
}

/** Slices of `whole` (which the parts add up to exactly), largest first, the unattributed one last. */
function slices(parts: Part[], whole: bigint): AllocationSliceDto[] {
  const shown = parts.filter((part) => part.value !== 0n);
  const values = toKopecks(
    shown.map((part) => part.value),
    whole,
  );
  const percent = percents(
    shown.map((part) => part.value),
    whole,
  );
  const rank = (key: string) => (key === UNATTRIBUTED ? 1 : 0);
  return shown
    .map((part, i) => ({ key: part.key, label: part.label, value: nanosToDecimal(values[i]!), percent: percent[i]!, exact: part.value }))
    .sort((a, b) => rank(a.key) - rank(b.key) || (a.exact === b.exact ? a.key.localeCompare(b.key) : a.exact > b.exact ? -1 : 1))
    .map(({ exact: _exact, ...slice }) => slice);
}

const isRub = (money: { currency: string } | null | undefined) => money?.currency.toUpperCase() === 'RUB';

function add(map: Map<string, bigint>, key: string, value: bigint) {
  map.set(key, (map.get(key) ?? 0n) + value);
}

/** Sums portfolios fetched in roubles; positions in other currencies convert at the portfolios' own rates. */
export function aggregatePortfolios(inputs: AggregateInput[]): Aggregate {
  const rates = ratesFrom(inputs);
  let whole = 0n;
  let daily = 0n;
  let yieldRub = 0n;
  let costRub = 0n;
  let unattributed = 0n;
  const accountParts: Part[] = [];
  const dailyParts: bigint[] = [];
  const byType = new Map<string, bigint>();
  const currencyRub = new Map<string, bigint>();
  const held = new Map<string, { amount: bigint; rub: bigint | null; partlyUnpriced: boolean }>();

  for (const { key, label, portfolio, currencies } of inputs) {
    let explained = 0n;
    for (const position of portfolio.positions) {
      const priceCurrency = (position.currentPrice?.currency ?? position.averagePrice?.currency ?? 'RUB').toUpperCase();
      const iso = heldCurrency(position, currencies?.get(positionKey(position)));
      const native = positionValue(position);
      const rub = native === null ? null : toRub(decimalToNanos(native), priceCurrency, rates);
      // A currency position holds its quantity even without a price; other positions need one.
      const amount = position.instrumentType === 'currency' ? decimalToNanos(position.quantity) : native === null ? null : decimalToNanos(native);
      if (iso !== null && amount !== null) {
        const holding = held.get(iso) ?? { amount: 0n, rub: null, partlyUnpriced: false };
        holding.amount += amount;
        if (rub === null) holding.partlyUnpriced = true;
        else holding.rub = (holding.rub ?? 0n) + rub;
        held.set(iso, holding);
        if (rub !== null) {
          explained += rub;
          add(byType, position.instrumentType || 'other', rub);
          add(currencyRub, iso, rub);
        }
      }
      const yieldNative = toRub(nanos(position.expectedYield), priceCurrency, rates);
      const cost = position.averagePrice ? toRub(decimalToNanos(multiplyDecimals(position.quantity, position.averagePrice.amount)), position.averagePrice.currency, rates) : null;
      if (yieldNative !== null && cost !== null) {
        yieldRub += yieldNative;
        costRub += cost;
      }
    }
    // Without T-Invest's total in roubles, the account is worth what its positions explain.
    const value = isRub(portfolio.totals.portfolio) ? nanos(portfolio.totals.portfolio!.amount) : explained;
    unattributed += value - explained;
    whole += value;
    accountParts.push({ key, label, value });
    const accountDaily = isRub(portfolio.dailyYield) ? nanos(portfolio.dailyYield!.amount) : 0n;
    daily += accountDaily;
    dailyParts.push(accountDaily);
  }

  const remainder: Part[] = unattributed === 0n ? [] : [{ key: UNATTRIBUTED, label: UNATTRIBUTED, value: unattributed }];
  const currencyParts: Part[] = [...currencyRub.entries()].map(([iso, value]) => ({ key: iso, label: iso, value }));
  const typeParts: Part[] = [...byType.entries()].map(([type, value]) => ({ key: type, label: type, value }));
  // The currency table shows the same rounded rouble values as the by-currency allocation.
  const byCurrencySlices = slices([...currencyParts, ...remainder], whole);
  const rounded = new Map(byCurrencySlices.map((slice) => [slice.key, slice.value]));
  const accountValues = toKopecks(
    accountParts.map((part) => part.value),
    whole,
  );
  const accountDailies = toKopecks(dailyParts, daily);

  const totalText = nanosToDecimal(divideRounded(whole, KOPECK, 'half-up') * KOPECK);
  const dailyText = nanosToDecimal(divideRounded(daily, KOPECK, 'half-up') * KOPECK);
  const yieldText = nanosToDecimal(yieldRub);
  return {
    total: totalText,
    dailyChange: dailyText,
    dailyChangePercent: percentOf(nanosToDecimal(daily), nanosToDecimal(whole - daily)),
    expectedYield: yieldText,
    expectedYieldPercent: percentOf(yieldText, nanosToDecimal(costRub)),
    byCurrency: [...held.entries()]
      .filter(([, holding]) => holding.amount !== 0n || (holding.rub ?? 0n) !== 0n)
      .sort((a, b) => (a[0] === 'RUB' ? -1 : b[0] === 'RUB' ? 1 : a[0].localeCompare(b[0])))
      .map(([currency, holding]) => ({
        currency,
        amount: nanosToDecimal(holding.amount),
        rubValue: holding.rub === null ? null : (rounded.get(currency) ?? '0'),
        partlyUnpriced: holding.partlyUnpriced && holding.rub !== null,
      })),
    unattributed: rounded.get(UNATTRIBUTED) ?? '0',
    accounts: new Map(accountParts.map((part, i) => [part.key, { value: nanosToDecimal(accountValues[i]!), dailyChange: nanosToDecimal(accountDailies[i]!) }])),
    allocation: {
      byType: slices([...typeParts, ...remainder], whole),
      byCurrency: byCurrencySlices,
      byAccount: slices(accountParts, whole),
    },
  };
}
