// The geometry of the income and costs charts: every month of the range as a bar (empty months too,
// so gaps read as gaps), each bar a stack of signed parts summed exactly in nanos. Floats appear only
// when a bar is turned into pixel positions.
import { decimalToNanos, nanosToDecimal } from '@/lib/money';

/** "YYYY-MM". */
export type Month = string;

export interface BarPart<K extends string> {
  key: K;
  nanos: bigint;
  /** Where the part sits in the stack, in nanos from zero: positives stack up, negatives down. */
  from: bigint;
  to: bigint;
}

export interface MonthBar<K extends string> {
  month: Month;
  parts: BarPart<K>[];
  /** Σ parts, exact. */
  total: string;
  /** Top of the positive stack (≥ 0) and bottom of the negative one (≤ 0). */
  high: bigint;
  low: bigint;
}

/** The months from `from` to `to` inclusive ("YYYY-MM" or any day in them). */
export function monthsBetween(from: string, to: string): Month[] {
  const start = from.slice(0, 7);
  const end = to.slice(0, 7);
  const months: Month[] = [];
  let [year, month] = start.split('-').map(Number) as [number, number];
  for (let current = start; current <= end; ) {
    months.push(current);
    [year, month] = month === 12 ? [year + 1, 1] : [year, month + 1];
    current = `${year}-${String(month).padStart(2, '0')}`;
  }
  return months;
}

/**
 * One bar per month of `months`: the rows' amounts under `keys` summed per month (rows outside the months
 * are ignored; pass all months of the range). `sign` flips them, so costs (negative cash) stand up.
 */
export function stackMonths<K extends string>(rows: readonly { month: Month; amounts: Partial<Record<K, string>> }[], keys: readonly K[], months: readonly Month[], sign: 1n | -1n = 1n): MonthBar<K>[] {
  const sums = new Map<Month, Map<K, bigint>>(months.map((month) => [month, new Map(keys.map((key) => [key, 0n]))]));
  for (const row of rows) {
    const parts = sums.get(row.month.slice(0, 7));
    if (!parts) continue;
    for (const key of keys) {
      const amount = row.amounts[key];
      if (amount) parts.set(key, parts.get(key)! + sign * decimalToNanos(amount));
    }
  }
  return months.map((month) => {
    let high = 0n;
    let low = 0n;
    const parts = keys.map((key) => {
      const nanos = sums.get(month)!.get(key)!;
      const from = nanos >= 0n ? high : low;
      if (nanos >= 0n) high += nanos;
      else low += nanos;
      return { key, nanos, from, to: from + nanos };
    });
    return { month, parts, total: nanosToDecimal(high + low), high, low };
  });
}

/** The smallest 1, 2, 2.5 or 5 × 10ⁿ nanos at or above `value` (0 for 0): a round top for the scale. */
export function niceCeiling(value: bigint): bigint {
  if (value <= 0n) return 0n;
  let power = 1n;
  while (power * 10n < value) power *= 10n;
  for (const step of [1n, 2n, 5n, 10n]) if (power * step >= value) return power * step;
  return power * 10n;
}

export interface BarScale {
  /** The scale's ends in nanos: round, top ≥ every bar, bottom ≤ every bar and ≤ 0. */
  top: bigint;
  bottom: bigint;
  /** A value's distance from the top, as a fraction of the height (0 top, 1 bottom). */
  at: (nanos: bigint) => number;
}

/** A scale that fits every bar and the extra values (e.g. net-of-tax marks), zero included. */
export function barScale(bars: readonly MonthBar<string>[], extra: readonly bigint[] = []): BarScale {
  const high = [...bars.map((bar) => bar.high), ...extra].reduce((max, value) => (value > max ? value : max), 0n);
  const low = [...bars.map((bar) => bar.low), ...extra].reduce((min, value) => (value < min ? value : min), 0n);
  const top = niceCeiling(high);
  const bottom = -niceCeiling(-low);
  // An empty chart still needs a height to divide by.
  const span = top - bottom === 0n ? 1n : top - bottom;
  return { top, bottom, at: (nanos) => Number(top - nanos) / Number(span) };
}

/** Σ over bars of their totals, exact: what the chart shows in all. */
export function totalOf(bars: readonly MonthBar<string>[]): string {
  return nanosToDecimal(bars.reduce((sum, bar) => sum + decimalToNanos(bar.total), 0n));
}

/** The bar with the largest total, or null when every month is empty. */
export function largestBar<K extends string>(bars: readonly MonthBar<K>[]): MonthBar<K> | null {
  let best: MonthBar<K> | null = null;
  for (const bar of bars) if (decimalToNanos(bar.total) > 0n && (!best || decimalToNanos(bar.total) > decimalToNanos(best.total))) best = bar;
  return best;
}
