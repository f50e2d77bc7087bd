// `a − b` for exact decimal strings. Pure.
import { decimalToNanos, nanosToDecimal } from '../money';

/** The exact difference of two decimal strings. */
export function subtractDecimals(a: string, b: string): string {
  return nanosToDecimal(decimalToNanos(a) - decimalToNanos(b));
}
