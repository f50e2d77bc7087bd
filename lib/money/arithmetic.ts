// Exact arithmetic on Quotations, via bigint billionths.
import { fromNanos, NANO_PER_UNIT, toNanos, type Quotation, type QuotationLike } from './quotation';

/**
 * How to drop digits beyond the ninth fraction digit. `half-up` rounds halves away from zero
 * (what people expect of money), `half-even` is banker's rounding, `trunc` drops toward zero.
 */
export type RoundingMode = 'half-up' | 'half-even' | 'trunc' | 'floor' | 'ceil';

export function add(a: QuotationLike, b: QuotationLike): Quotation {
  return fromNanos(toNanos(a) + toNanos(b));
}

export function subtract(a: QuotationLike, b: QuotationLike): Quotation {
  return fromNanos(toNanos(a) - toNanos(b));
}

/** Sum of any number of values; the empty sum is zero. */
export function sum(values: Iterable<QuotationLike>): Quotation {
  let total = 0n;
  for (const value of values) total += toNanos(value);
  return fromNanos(total);
}

export function negate(a: QuotationLike): Quotation {
  return fromNanos(-toNanos(a));
}

/** -1, 0 or 1. */
export function compare(a: QuotationLike, b: QuotationLike): -1 | 0 | 1 {
  const diff = toNanos(a) - toNanos(b);
  return diff < 0n ? -1 : diff > 0n ? 1 : 0;
}

export function isZero(a: QuotationLike): boolean {
  return toNanos(a) === 0n;
}

/** Price × quantity (e.g. lots × lot size); exact, no rounding needed. */
export function multiplyByInteger(a: QuotationLike, quantity: bigint | number): Quotation {
  if (typeof quantity === 'number' && !Number.isSafeInteger(quantity)) throw new RangeError(`Quantity ${quantity} is not a safe integer.`);
  return fromNanos(toNanos(a) * BigInt(quantity));
}

/** a × b; the product has up to 18 fraction digits, so the caller chooses how to round to 9. */
export function multiply(a: QuotationLike, b: QuotationLike, rounding: RoundingMode): Quotation {
  return fromNanos(divideRounded(toNanos(a) * toNanos(b), NANO_PER_UNIT, rounding));
}

/** numerator / denominator rounded to an integer; denominator must be positive. */
export function divideRounded(numerator: bigint, denominator: bigint, rounding: RoundingMode): bigint {
  if (denominator <= 0n) throw new RangeError('Denominator must be positive.');
  const quotient = numerator / denominator;
  const remainder = numerator % denominator;
  if (remainder === 0n) return quotient;
  const negative = numerator < 0n;
  const twice = (remainder < 0n ? -remainder : remainder) * 2n;
  let awayFromZero: boolean;
  switch (rounding) {
    case 'trunc':
      awayFromZero = false;
      break;
    case 'floor':
      awayFromZero = negative;
      break;
    case 'ceil':
      awayFromZero = !negative;
      break;
    case 'half-up':
      awayFromZero = twice >= denominator;
      break;
    case 'half-even':
      awayFromZero = twice > denominator || (twice === denominator && (quotient & 1n) !== 0n);
      break;
  }
  return awayFromZero ? quotient + (negative ? -1n : 1n) : quotient;
}
