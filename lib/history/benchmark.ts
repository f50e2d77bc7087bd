// The benchmark line: what the portfolio would be worth had its start value and every later flow gone into
// the benchmark instead. Pure: closes and flows in, exact amounts out (bigint nanos, no floats).
import type { Day } from '../analytics';
import { decimalToNanos, divideRounded } from '../money';

/** MOEX's index, as T-Invest lists it among its indicatives: the comparison when none is named. */
export const DEFAULT_BENCHMARK = 'IMOEX';
/** The query value that turns the comparison off. */
export const NO_BENCHMARK = 'none';
/** A ticker (letters, digits, `_ . @ -`) or an instrument uid; what the query accepts besides `none`. */
export const BENCHMARK_PATTERN = /^[A-Za-z0-9][\w.@-]{0,39}$/;

/**
 * Benchmark units are held as integers scaled by 10^18: one nano-rouble bought at a close of 10^9 roubles
 * still counts, so the truncation below is far under a kopeck for any real portfolio.
 */
const UNIT_SCALE = 10n ** 18n;

export interface BenchmarkLineInput {
  /** The portfolio's value at the end of the day before the range, in nanos (RUB). */
  startValue: bigint;
  /** The benchmark's close on the day before the range, if it had one (or an earlier one carried). */
  closeBefore: string | undefined;
  /** Closes by day (decimal strings as quoted: points, money or percent of nominal). */
  closes: ReadonlyMap<Day, string>;
  /** The range's days in order, each with the portfolio's net flow that day (deposit +, withdrawal −), nanos. */
  days: readonly { day: Day; flow: bigint }[];
}

/**
 * The benchmark line per day, in nanos: the start value buys units at the close before the range, each day's
 * net flow buys (or sells) units at that day's close, and a day's value is units × that day's close. A day
 * without a close carries the previous one; until the benchmark has any close at all (listed later than the
 * range starts), the money waits as cash and buys at the first close.
 */
export function benchmarkLine({ startValue, closeBefore, closes, days }: BenchmarkLineInput): { day: Day; value: bigint }[] {
  let close = closeBefore === undefined ? null : decimalToNanos(closeBefore);
  if (close !== null && close <= 0n) close = null;
  let units = 0n;
  let cash = startValue;
  if (close !== null) {
    // Units bought are rounded to the nearest 10^-18 unit; a day's value below to the nearest nano.
    units = divideRounded(cash * UNIT_SCALE, close, 'half-up');
    cash = 0n;
  }
  const line: { day: Day; value: bigint }[] = [];
  for (const { day, flow } of days) {
    const quoted = closes.get(day);
    const today = quoted === undefined ? close : decimalToNanos(quoted);
    if (today !== null && today > 0n) close = today;
    cash += flow;
    if (close !== null && cash !== 0n) {
      units += divideRounded(cash * UNIT_SCALE, close, 'half-up');
      cash = 0n;
    }
    line.push({ day, value: cash + (close === null ? 0n : divideRounded(units * close, UNIT_SCALE, 'half-up')) });
  }
  return line;
}

/** The benchmark's plain price change from the close before the range to its last close in it; a fraction. */
export function priceChange(closeBefore: string | undefined, closeAtEnd: string | undefined): number | null {
  if (closeBefore === undefined || closeAtEnd === undefined) return null;
  const start = decimalToNanos(closeBefore);
  if (start <= 0n) return null;
  // The ratio to 12 decimal places in bigint first, so large closes keep their precision as a float.
  return Number(divideRounded((decimalToNanos(closeAtEnd) - start) * 10n ** 12n, start, 'half-up')) / 1e12;
}
