// Quotation and MoneyValue as exact decimals: units (int64) + nano (int32), same sign, |nano| < 1e9.

export interface Quotation {
  units: bigint;
  nano: number;
}

export interface MoneyValue extends Quotation {
  /** ISO 4217 code as sent by the API; compare case-insensitively (the API mixes `rub` and `RUB`). */
  currency: string;
}

/** What callers may hand in: protobuf-es gives bigint units, JSON gives strings. */
export interface QuotationLike {
  units: bigint | string | number;
  nano: number;
}

export const NANO_PER_UNIT = 1_000_000_000n;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const DECIMAL = /^([+-]?)(\d+)(?:\.(\d+))?$/;

/** The exact value in billionths. */
export function toNanos(value: QuotationLike): bigint {
  const q = quotation(value);
  return q.units * NANO_PER_UNIT + BigInt(q.nano);
}

/** A Quotation from billionths; throws when units would leave int64. */
export function fromNanos(nanos: bigint): Quotation {
  // BigInt division truncates toward zero, which gives units and nano the same sign.
  const units = nanos / NANO_PER_UNIT;
  if (units < INT64_MIN || units > INT64_MAX) throw new RangeError(`Amount out of range: units ${units} do not fit in int64.`);
  return { units, nano: Number(nanos % NANO_PER_UNIT) };
}

/** Validates and normalises a Quotation-like value (units to bigint). */
export function quotation(value: QuotationLike): Quotation {
  let units: bigint;
  if (typeof value.units === 'bigint') units = value.units;
  else if (typeof value.units === 'number') {
    if (!Number.isSafeInteger(value.units)) throw new RangeError(`Invalid units: ${value.units} is not a safe integer.`);
    units = BigInt(value.units);
  } else {
    if (!/^[+-]?\d+$/.test(value.units)) throw new RangeError(`Invalid units: ${JSON.stringify(value.units)} is not an integer.`);
    units = BigInt(value.units);
  }
  const nano = value.nano;
  if (!Number.isInteger(nano) || nano <= -1e9 || nano >= 1e9) throw new RangeError(`Invalid nano: ${nano} (|nano| must be below 1e9).`);
  if ((units > 0n && nano < 0) || (units < 0n && nano > 0)) throw new RangeError(`Invalid quotation: units ${units} and nano ${nano} differ in sign.`);
  if (units < INT64_MIN || units > INT64_MAX) throw new RangeError(`Invalid units: ${units} does not fit in int64.`);
  return { units, nano: nano === 0 ? 0 : nano };
}

/** Billionths from a plain decimal string such as `-1.25`; no exponents, at most 9 fraction digits. */
export function decimalToNanos(text: string): bigint {
  const match = DECIMAL.exec(text.trim());
  if (!match) throw new RangeError(`Not a decimal number: ${JSON.stringify(text)}.`);
  const [, sign, whole, fraction = ''] = match;
  const significant = fraction.replace(/0+$/, '');
  if (significant.length > 9) throw new RangeError(`Too precise: ${JSON.stringify(text)} has more than 9 fraction digits.`);
  const magnitude = BigInt(whole!) * NANO_PER_UNIT + BigInt(significant.padEnd(9, '0'));
  return sign === '-' ? -magnitude : magnitude;
}

/** `"-1.25"` → `{ units: -1n, nano: -250000000 }`; rejects malformed or out-of-range input. */
export function quotationFromDecimal(text: string): Quotation {
  return fromNanos(decimalToNanos(text));
}

/** Canonical decimal string for billionths: no trailing zeros, no `-0`. */
export function nanosToDecimal(nanos: bigint): string {
  const negative = nanos < 0n;
  const magnitude = negative ? -nanos : nanos;
  const whole = magnitude / NANO_PER_UNIT;
  const fraction = (magnitude % NANO_PER_UNIT).toString().padStart(9, '0').replace(/0+$/, '');
  return `${negative ? '-' : ''}${whole}${fraction ? `.${fraction}` : ''}`;
}

/** `{ units: 0n, nano: -500000000 }` → `"-0.5"`. */
export function quotationToDecimal(value: QuotationLike): string {
  return nanosToDecimal(toNanos(value));
}

/** A MoneyValue from a decimal string and currency code. */
export function moneyFromDecimal(text: string, currency: string): MoneyValue {
  return { ...quotationFromDecimal(text), currency };
}
