// The overview's arithmetic: totals, daily change, expected yield and allocations across accounts,
// all in exact bigint billionths. Percentages are computed from exact values, rounded half-up.
import { decimalToNanos, nanosToDecimal } from '../money';
import { divideRounded } from '../money/arithmetic';
import type { AllocationSliceDto, CurrencyHoldingDto, PortfolioDto } from './dto';

type PositionLike = PortfolioDto['positions'][number];
const NANO = 1_000_000_000n;

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

/** The ISO currency a currency position holds (`USD000UTSTOM` → USD), else its price currency. */
export function heldCurrency(position: PositionLike): string {
  const priced = (position.currentPrice?.currency ?? position.averagePrice?.currency ?? 'RUB').toUpperCase();
  if (position.instrumentType !== 'currency') return priced;
  const match = /^([A-Z]{3})/.exec(position.ticker.toUpperCase());
  return match ? match[1]! : priced;
}

/** quantity × (current price + accrued interest), in the price's currency. */
export function positionValue(position: PositionLike): string | null {
  if (!position.currentPrice) return null;
  return multiplyDecimals(position.quantity, addDecimals(position.currentPrice.amount, position.currentNkd?.amount));
}

/** Rouble rates per currency, read off currency positions priced in roubles. */
export function ratesFrom(portfolios: PortfolioDto[]): Map<string, bigint> {
  const rates = new Map<string, bigint>([['RUB', NANO]]);
  for (const portfolio of portfolios) {
    for (const position of portfolio.positions) {
      if (position.instrumentType !== 'currency' || position.currentPrice?.currency.toUpperCase() !== 'RUB') continue;
      const iso = heldCurrency(position);
      if (!rates.has(iso)) rates.set(iso, decimalToNanos(position.currentPrice.amount));
    }
  }
  return rates;
}

function toRub(amount: bigint, currency: string, rates: Map<string, bigint>): bigint | null {
  const rate = rates.get(currency.toUpperCase());
  return rate === undefined ? null : divideRounded(amount * rate, NANO, 'half-up');
}

function slices(values: Map<string, { label: string; value: bigint }>): AllocationSliceDto[] {
  const whole = [...values.values()].reduce((total, slice) => total + slice.value, 0n);
  const wholeText = nanosToDecimal(whole);
  return [...values.entries()]
    .filter(([, slice]) => slice.value !== 0n)
    .sort((a, b) => (a[1].value === b[1].value ? a[0].localeCompare(b[0]) : a[1].value > b[1].value ? -1 : 1))
    .map(([key, slice]) => {
      const value = nanosToDecimal(slice.value);
      return { key, label: slice.label, value, percent: percentOf(value, wholeText) ?? '0' };
    });
}

export interface AggregateInput {
  key: string;
  label: string;
  portfolio: PortfolioDto;
}

export interface Aggregate {
  total: string;
  dailyChange: string;
  dailyChangePercent: string | null;
  expectedYield: string;
  expectedYieldPercent: string | null;
  byCurrency: CurrencyHoldingDto[];
  allocation: { byType: AllocationSliceDto[]; byCurrency: AllocationSliceDto[]; byAccount: AllocationSliceDto[] };
}

const TYPE_TOTALS = ['shares', 'bonds', 'etf', 'currencies', 'futures', 'options', 'structuredNotes'] as const;

const isRub = (money: { currency: string } | null | undefined) => money?.currency.toUpperCase() === 'RUB';

/** Sums portfolios fetched in roubles; positions in other currencies convert at the portfolios' own rates. */
export function aggregatePortfolios(inputs: AggregateInput[]): Aggregate {
  const rates = ratesFrom(inputs.map((input) => input.portfolio));
  let total = 0n;
  let daily = 0n;
  let yieldRub = 0n;
  let costRub = 0n;
  const byType = new Map<string, { label: string; value: bigint }>();
  const byAccount = new Map<string, { label: string; value: bigint }>();
  const currencyRub = new Map<string, { label: string; value: bigint }>();
  const held = new Map<string, { amount: bigint; rub: bigint | null }>();

  for (const { key, label, portfolio } of inputs) {
    const value = isRub(portfolio.totals.portfolio) ? nanos(portfolio.totals.portfolio!.amount) : 0n;
    total += value;
    byAccount.set(key, { label, value });
    if (isRub(portfolio.dailyYield)) daily += nanos(portfolio.dailyYield!.amount);
    for (const type of TYPE_TOTALS) {
      const money = portfolio.totals[type];
      if (!isRub(money)) continue;
      const slice = byType.get(type) ?? { label: type, value: 0n };
      slice.value += nanos(money!.amount);
      byType.set(type, slice);
    }
    for (const position of portfolio.positions) {
      const priceCurrency = (position.currentPrice?.currency ?? position.averagePrice?.currency ?? 'RUB').toUpperCase();
      const native = positionValue(position);
      if (native !== null) {
        const iso = heldCurrency(position);
        const nativeAmount = position.instrumentType === 'currency' ? decimalToNanos(position.quantity) : decimalToNanos(native);
        const rub = toRub(decimalToNanos(native), priceCurrency, rates);
        const holding = held.get(iso) ?? { amount: 0n, rub: 0n };
        holding.amount += nativeAmount;
        holding.rub = holding.rub === null || rub === null ? null : holding.rub + rub;
        held.set(iso, holding);
        if (rub !== null) {
          const slice = currencyRub.get(iso) ?? { label: iso, value: 0n };
          slice.value += rub;
          currencyRub.set(iso, slice);
        }
      }
      const yieldNative = toRub(nanos(position.expectedYield), priceCurrency, rates);
      const cost = position.averagePrice ? toRub(decimalToNanos(multiplyDecimals(position.quantity, position.averagePrice.amount)), position.averagePrice.currency, rates) : null;
      if (yieldNative !== null && cost !== null) {
        yieldRub += yieldNative;
        costRub += cost;
      }
    }
  }

  const totalText = nanosToDecimal(total);
  const dailyText = nanosToDecimal(daily);
  const yieldText = nanosToDecimal(yieldRub);
  return {
    total: totalText,
    dailyChange: dailyText,
    dailyChangePercent: percentOf(dailyText, nanosToDecimal(total - daily)),
    expectedYield: yieldText,
    expectedYieldPercent: percentOf(yieldText, nanosToDecimal(costRub)),
    byCurrency: [...held.entries()]
      .filter(([, holding]) => holding.amount !== 0n)
      .sort((a, b) => (a[0] === 'RUB' ? -1 : b[0] === 'RUB' ? 1 : a[0].localeCompare(b[0])))
      .map(([currency, holding]) => ({ currency, amount: nanosToDecimal(holding.amount), rubValue: holding.rub === null ? null : nanosToDecimal(holding.rub) })),
    allocation: { byType: slices(byType), byCurrency: slices(currencyRub), byAccount: slices(byAccount) },
  };
}
