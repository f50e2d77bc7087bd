// Time-weighted and money-weighted returns over a day range of a value series. External flows are
// taken to happen at the END of their day: a day's return is (value − flow) / previous value − 1.
import { addDays, dayNumber, daysBetween, type Day } from './days';
import type { DateRange } from './ranges';

/** What the return functions read from a value series (ValuePoint fits). */
export interface ReturnInput {
  day: Day;
  /** RUB nanos at the day's end, flows included. */
  valueRub: bigint;
  /** The day's external flows in RUB nanos: deposits > 0. */
  flowRub: bigint;
  unpriced: readonly unknown[];
}

export interface TimeWeightedReturn {
  /** Chain-linked return over the range (0.05 = +5 %); null when no day in it could be measured. */
  total: number | null;
  /** (1 + total)^(365 / days) − 1, only when the range is longer than a year; null otherwise. */
  annualised: number | null;
  /** Days with activity but no positive value before them to measure against. */
  unmeasuredDays: Day[];
  /** Days whose value left something unpriced: the return there is only as good as the prices. */
  incompleteDays: Day[];
}

/** Time-weighted return over [from, to]: daily sub-period returns chained, flows at the end of their day. */
export function timeWeightedReturn(series: readonly ReturnInput[], range: DateRange): TimeWeightedReturn {
  const unmeasuredDays: Day[] = [];
  const incompleteDays: Day[] = [];
  let previous = openingValue(series, range.from);
  let growth = 1;
  let measured = false;
  for (const point of inRange(series, range)) {
    if (point.unpriced.length > 0) incompleteDays.push(point.day);
    const factor = dayGrowth(previous, point.valueRub, point.flowRub);
    if (factor === 'idle') {
      // Nothing invested and nothing happened: no return to measure.
    } else if (factor === 'unmeasurable') {
      unmeasuredDays.push(point.day);
    } else {
      growth *= factor;
      measured = true;
    }
    previous = point.valueRub;
  }
  const total = measured ? growth - 1 : null;
  return { total, annualised: total === null ? null : annualise(total, range), unmeasuredDays, incompleteDays };
}

/** One day's growth factor; a day that starts from nothing takes its flows as its starting value. */
function dayGrowth(previous: bigint, value: bigint, flow: bigint): number | 'idle' | 'unmeasurable' {
  if (previous > 0n) return ratio(value - flow, previous);
  if (previous === 0n) {
    if (value === 0n && flow === 0n) return 'idle';
    // A first deposit spent the same day cannot arrive at the day's end, or the day would start at zero.
    if (flow > 0n) return ratio(value, flow);
  }
  return 'unmeasurable';
}

function ratio(numerator: bigint, denominator: bigint): number {
  return Number(numerator) / Number(denominator);
}

function annualise(total: number, range: DateRange): number | null {
  const days = daysBetween(range.from, range.to) + 1;
  if (!longerThanAYear(range)) return null;
  return Math.pow(1 + total, 365 / days) - 1;
}

/** True when `to` is on or after the anniversary of `from`. */
function longerThanAYear(range: DateRange): boolean {
  const anniversary = `${String(Number(range.from.slice(0, 4)) + 1).padStart(4, '0')}${range.from.slice(4)}`;
  // Compared as text, so the anniversary of 29 February (not a date in most years) falls between 28 February and 1 March.
  return range.to >= anniversary;
}

/** The value at the end of the day before `from`; zero when the series starts later. */
function openingValue(series: readonly ReturnInput[], from: Day): bigint {
  const dayBefore = addDays(from, -1);
  let value = 0n;
  for (const point of series) {
    if (point.day > dayBefore) break;
    value = point.valueRub;
  }
  return value;
}

function inRange(series: readonly ReturnInput[], range: DateRange): ReturnInput[] {
  return series.filter((point) => point.day >= range.from && point.day <= range.to);
}

/** A cash flow for XIRR: signed amount (investor's view: paid in < 0) `days` after any fixed origin. */
export interface DatedFlow {
  days: number;
  amount: number;
}

export interface MoneyWeightedReturn {
  /** Annual rate (actual/365) solving NPV = 0; null when the flows have no solution. */
  rate: number | null;
  incompleteDays: Day[];
}

/**
 * Money-weighted return (XIRR) over [from, to]: the value before `from` is paid in at the range's start,
 * each day's flow at that day's end, and the value at the end of `to` is taken out.
 */
export function moneyWeightedReturn(series: readonly ReturnInput[], range: DateRange): MoneyWeightedReturn {
  const start = dayNumber(range.from);
  const flows: DatedFlow[] = [{ days: 0, amount: -toUnits(openingValue(series, range.from)) }];
  const points = inRange(series, range);
  for (const point of points) {
    if (point.flowRub !== 0n) flows.push({ days: dayNumber(point.day) - start + 1, amount: -toUnits(point.flowRub) });
  }
  const last = points[points.length - 1];
  if (last) flows.push({ days: dayNumber(range.to) - start + 1, amount: toUnits(last.valueRub) });
  return { rate: last ? xirr(flows) : null, incompleteDays: points.filter((p) => p.unpriced.length > 0).map((p) => p.day) };
}

function toUnits(nanos: bigint): number {
  return Number(nanos) / 1e9;
}

const TOLERANCE = 1e-10;
// Where to look for a sign change when Newton's method fails: from a near-total loss to a million-fold gain.
const BRACKET_GRID = [-0.9999999, -0.99, -0.9, -0.7, -0.5, -0.3, -0.1, 0, 0.1, 0.3, 0.5, 1, 2, 5, 10, 100, 1e3, 1e4, 1e6];

/**
 * The annual rate r (actual/365) with Σ amount × (1 + r)^(−days/365) = 0: Newton's method from 10 %,
 * bisection over a sign change when Newton fails; null without flows of both signs or a sign change.
 */
export function xirr(flows: readonly DatedFlow[]): number | null {
  const nonZero = flows.filter((f) => f.amount !== 0 && Number.isFinite(f.amount));
  if (!nonZero.some((f) => f.amount > 0) || !nonZero.some((f) => f.amount < 0)) return null;
  const origin = Math.min(...nonZero.map((f) => f.days));
  // Scaling to the largest flow keeps NPV near 1 whatever the currency's magnitude.
  const scale = Math.max(...nonZero.map((f) => Math.abs(f.amount)));
  const terms = nonZero.map((f) => ({ years: (f.days - origin) / 365, amount: f.amount / scale }));
  const npv = (rate: number) => terms.reduce((sum, t) => sum + t.amount * Math.pow(1 + rate, -t.years), 0);
  const slope = (rate: number) => terms.reduce((sum, t) => sum - t.years * t.amount * Math.pow(1 + rate, -t.years - 1), 0);

  let rate = 0.1;
  for (let i = 0; i < 100; i++) {
    const derivative = slope(rate);
    if (derivative === 0 || !Number.isFinite(derivative)) break;
    const next = rate - npv(rate) / derivative;
    if (!Number.isFinite(next) || next <= -1) break;
    if (Math.abs(next - rate) < TOLERANCE) return next;
    rate = next;
  }
  return bisect(npv);
}

function bisect(npv: (rate: number) => number): number | null {
  for (let i = 0; i + 1 < BRACKET_GRID.length; i++) {
    let low = BRACKET_GRID[i]!;
    let high = BRACKET_GRID[i + 1]!;
    let fLow = npv(low);
    const fHigh = npv(high);
    if (fLow === 0) return low;
    if (Math.sign(fLow) === Math.sign(fHigh)) continue;
    for (let step = 0; step < 200 && high - low > TOLERANCE; step++) {
      const middle = (low + high) / 2;
      // Doubles near a large root cannot be split to 1e-10.
      if (middle <= low || middle >= high) break;
      const fMiddle = npv(middle);
      if (fMiddle === 0) return middle;
      if (Math.sign(fMiddle) === Math.sign(fLow)) [low, fLow] = [middle, fMiddle];
      else high = middle;
    }
    return (low + high) / 2;
  }
  return null;
}
