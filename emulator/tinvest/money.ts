// Exact decimal money: bigint nanos in, Quotation/MoneyValue (units+nano, same sign) out.
import { create } from '@bufbuild/protobuf';
import { MoneyValueSchema, QuotationSchema, type MoneyValue, type Quotation } from '@/lib/tinvest/gen/common_pb';

export const NANO = 1_000_000_000n;

/** Parses a decimal string such as "-12.345" into nanos; throws on anything else. */
export function parseNanos(decimal: string): bigint {
  const match = /^(-)?(\d+)(?:\.(\d{1,9}))?$/.exec(decimal.trim());
  if (!match) throw new Error(`not a decimal with at most 9 fraction digits: "${decimal}"`);
  const units = BigInt(match[2] ?? '0');
  const fraction = BigInt((match[3] ?? '').padEnd(9, '0'));
  const nanos = units * NANO + fraction;
  return match[1] ? -nanos : nanos;
}

/** Formats nanos as a plain decimal string (for logs and docs, never for arithmetic). */
export function formatNanos(nanos: bigint): string {
  const sign = nanos < 0n ? '-' : '';
  const abs = nanos < 0n ? -nanos : nanos;
  const fraction = (abs % NANO).toString().padStart(9, '0').replace(/0+$/, '');
  return `${sign}${abs / NANO}${fraction ? `.${fraction}` : ''}`;
}

/** units and nano with the same sign, |nano| < 1e9 (bigint division truncates toward zero). */
function split(nanos: bigint): { units: bigint; nano: number } {
  return { units: nanos / NANO, nano: Number(nanos % NANO) };
}

/** Quotation from nanos. */
export function quotation(nanos: bigint): Quotation {
  return create(QuotationSchema, split(nanos));
}

/** MoneyValue from nanos; currency is lowercase as in captured live responses. */
export function money(nanos: bigint, currency: string): MoneyValue {
  return create(MoneyValueSchema, { currency: currency.toLowerCase(), ...split(nanos) });
}

/** Nanos from a Quotation or MoneyValue. */
export function toNanos(value: { units: bigint; nano: number } | undefined): bigint {
  if (!value) return 0n;
  return value.units * NANO + BigInt(value.nano);
}

/** a*b where both are nanos, rounded half away from zero. */
export function mulNanos(a: bigint, b: bigint): bigint {
  return divRound(a * b, NANO);
}

/** a/b in nanos, rounded half away from zero. */
export function divNanos(a: bigint, b: bigint): bigint {
  if (b === 0n) return 0n;
  return divRound(a * NANO, b);
}

/** Integer division rounded half away from zero. */
export function divRound(a: bigint, b: bigint): bigint {
  const negative = a < 0n !== b < 0n;
  const absA = a < 0n ? -a : a;
  const absB = b < 0n ? -b : b;
  const q = (absA + absB / 2n) / absB;
  return negative ? -q : q;
}

/** Rounds nanos to a multiple of the step (a min price increment), half away from zero. */
export function roundToStep(nanos: bigint, step: bigint): bigint {
  if (step <= 0n) return nanos;
  return divRound(nanos, step) * step;
}
