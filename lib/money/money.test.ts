import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  add,
  compare,
  formatAmount,
  type FormatAmountOptions,
  fromNanos,
  isZero,
  multiply,
  multiplyByInteger,
  negate,
  quotation,
  quotationFromDecimal,
  quotationToDecimal,
  subtract,
  sum,
  toNanos,
} from '.';

const INT64_MAX = 2n ** 63n - 1n;
const INT64_MIN = -(2n ** 63n);
const nanosArb = fc.bigInt({ min: INT64_MIN * 1_000_000_000n, max: INT64_MAX * 1_000_000_000n + 999_999_999n });
const smallNanos = fc.bigInt({ min: -(10n ** 24n), max: 10n ** 24n });

describe('quotation encoding', () => {
  it('follows the documented examples', () => {
    expect(quotationFromDecimal('114.25')).toEqual({ units: 114n, nano: 250_000_000 });
    expect(quotationFromDecimal('-200.20')).toEqual({ units: -200n, nano: -200_000_000 });
    expect(quotationFromDecimal('-0.01')).toEqual({ units: 0n, nano: -10_000_000 });
    expect(quotationFromDecimal('-0.5')).toEqual({ units: 0n, nano: -500_000_000 });
    expect(quotationFromDecimal('-1.25')).toEqual({ units: -1n, nano: -250_000_000 });
    expect(quotationToDecimal({ units: '-1', nano: -250_000_000 })).toBe('-1.25');
    expect(quotationToDecimal({ units: 0n, nano: 0 })).toBe('0');
    expect(quotationFromDecimal('-0')).toEqual({ units: 0n, nano: 0 });
    expect(quotationFromDecimal('1.000000000000')).toEqual({ units: 1n, nano: 0 });
  });

  it('rejects malformed and out-of-range input with clear errors', () => {
    for (const bad of ['', '1e5', '1,5', '.5', '1.', '--1', 'NaN', '0x10', '1 000', 'Infinity']) {
      expect(() => quotationFromDecimal(bad), bad).toThrow(/Not a decimal number/);
    }
    expect(() => quotationFromDecimal('0.0000000001')).toThrow(/more than 9 fraction digits/);
    expect(() => quotationFromDecimal('9223372036854775808')).toThrow(/out of range/);
    expect(() => quotationFromDecimal('-9223372036854775809')).toThrow(/out of range/);
    expect(quotationFromDecimal('9223372036854775807.999999999').units).toBe(INT64_MAX);
    expect(() => quotation({ units: 1n, nano: -1 })).toThrow(/differ in sign/);
    expect(() => quotation({ units: 0n, nano: 1_000_000_000 })).toThrow(/below 1e9/);
    expect(() => quotation({ units: '1.5', nano: 0 })).toThrow(/not an integer/);
    expect(() => quotation({ units: 2 ** 60, nano: 0 })).toThrow(/safe integer/);
  });

  it('round-trips nanos ↔ quotation ↔ string', () => {
    fc.assert(
      fc.property(nanosArb, (nanos) => {
        const q = fromNanos(nanos);
        expect(Math.abs(q.nano)).toBeLessThan(1e9);
        expect(q.units === 0n || q.nano === 0 || q.units > 0n === q.nano > 0).toBe(true);
        expect(toNanos(q)).toBe(nanos);
        const text = quotationToDecimal(q);
        expect(quotationFromDecimal(text)).toEqual(q);
        expect(quotationToDecimal({ units: q.units.toString(), nano: q.nano })).toBe(text);
      }),
    );
  });

  it('parses padded and signed forms of the same value equally', () => {
    fc.assert(
      fc.property(smallNanos, fc.nat({ max: 5 }), (nanos, zeros) => {
        const text = quotationToDecimal(fromNanos(nanos));
        const padded = (text.includes('.') ? text : `${text}.`) + '0'.repeat(zeros);
        const variant = padded.endsWith('.') ? text : padded;
        expect(toNanos(quotationFromDecimal(variant))).toBe(nanos);
        if (nanos >= 0n) expect(toNanos(quotationFromDecimal(`+${text}`))).toBe(nanos);
      }),
    );
  });
});

describe('arithmetic', () => {
  it('sums of many values equal bigint sums', () => {
    fc.assert(
      fc.property(fc.array(smallNanos, { maxLength: 50 }), (list) => {
        const expected = list.reduce((a, b) => a + b, 0n);
        expect(toNanos(sum(list.map(fromNanos)))).toBe(expected);
        expect(toNanos(list.map(fromNanos).reduce(add, fromNanos(0n)))).toBe(expected);
      }),
    );
  });

  it('add, subtract, negate, compare and isZero agree with bigint', () => {
    fc.assert(
      fc.property(smallNanos, smallNanos, (a, b) => {
        const qa = fromNanos(a);
        const qb = fromNanos(b);
        expect(toNanos(subtract(qa, qb))).toBe(a - b);
        expect(toNanos(add(qa, negate(qb)))).toBe(a - b);
        expect(compare(qa, qb)).toBe(a < b ? -1 : a > b ? 1 : 0);
        expect(isZero(subtract(qa, qa))).toBe(true);
      }),
    );
  });

  it('multiplies by integer quantities exactly', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 21n), max: 10n ** 21n }), fc.integer({ min: -1_000_000, max: 1_000_000 }), (a, n) => {
        expect(toNanos(multiplyByInteger(fromNanos(a), n))).toBe(a * BigInt(n));
      }),
    );
    expect(() => multiplyByInteger(fromNanos(INT64_MAX * 1_000_000_000n), 2)).toThrow(/out of range/);
  });

  it('multiplies quotations with an explicit rounding mode', () => {
    const price = quotationFromDecimal('0.000000003');
    const half = quotationFromDecimal('0.5'); // product 0.0000000015
    expect(quotationToDecimal(multiply(price, half, 'half-up'))).toBe('0.000000002');
    expect(quotationToDecimal(multiply(price, half, 'half-even'))).toBe('0.000000002');
    expect(quotationToDecimal(multiply(quotationFromDecimal('0.000000001'), half, 'half-even'))).toBe('0');
    expect(quotationToDecimal(multiply(price, half, 'trunc'))).toBe('0.000000001');
    expect(quotationToDecimal(multiply(negate(price), half, 'half-up'))).toBe('-0.000000002');
    expect(quotationToDecimal(multiply(negate(price), half, 'floor'))).toBe('-0.000000002');
    expect(quotationToDecimal(multiply(negate(price), half, 'ceil'))).toBe('-0.000000001');
    expect(quotationToDecimal(multiply(quotationFromDecimal('114.25'), quotationFromDecimal('-3'), 'trunc'))).toBe('-342.75');
    fc.assert(
      fc.property(smallNanos, fc.bigInt({ min: -(10n ** 12n), max: 10n ** 12n }), (a, b) => {
        const exact = a * b; // in 1e-18 units
        const down = toNanos(multiply(fromNanos(a), fromNanos(b), 'floor'));
        const up = toNanos(multiply(fromNanos(a), fromNanos(b), 'ceil'));
        expect(down * 1_000_000_000n <= exact && exact <= up * 1_000_000_000n).toBe(true);
        expect(up - down <= 1n).toBe(true);
      }),
    );
  });
});

describe('formatAmount', () => {
  it('formats ru and en with separators and currency', () => {
    const nbsp = /\u00a0|\u202f/g;
    expect(formatAmount('-1234567.5', { locale: 'ru', currency: 'rub' }).replace(nbsp, ' ')).toBe('-1 234 567,50 ₽');
    expect(formatAmount('-1234567.5', { locale: 'en', currency: 'USD' })).toBe('-$1,234,567.50');
    expect(formatAmount('1234.5', { locale: 'en', currency: 'USD', currencyDisplay: 'code' }).replace(nbsp, ' ')).toBe('USD 1,234.50');
    expect(formatAmount('0.125', { locale: 'en', maximumFractionDigits: 2 })).toBe('0.13');
    expect(formatAmount('0.125', { locale: 'en', maximumFractionDigits: 2, rounding: 'half-even' })).toBe('0.12');
    expect(formatAmount('-0.001', { locale: 'en', currency: 'USD', maximumFractionDigits: 2 })).toBe('$0.00');
    expect(formatAmount('-0.001', { locale: 'en', currency: 'USD' })).toBe('-$0.001');
    expect(formatAmount({ units: 114n, nano: 250_000_000 }, { locale: 'ru' })).toBe('114,25');
    expect(formatAmount('9223372036854775807.999999999', { locale: 'en' })).toBe('9,223,372,036,854,775,807.999999999');
  });

  it('answers a repeated amount as it did the first time, whatever options came in between', () => {
    const options: FormatAmountOptions[] = [
      { locale: 'en', maximumFractionDigits: 2 },
      { locale: 'en', maximumFractionDigits: 2, rounding: 'half-even' },
      { locale: 'ru', maximumFractionDigits: 2 },
      { locale: 'en', currency: 'USD' },
      { locale: 'en', currency: 'USD', currencyDisplay: 'code' },
      { locale: 'en', minimumFractionDigits: 4 },
      { locale: 'en', maximumFractionDigits: 0, rounding: 'floor' },
    ];
    const first = options.map((o) => formatAmount('-2.125', o));
    expect(new Set(first).size).toBe(options.length);
    expect(options.map((o) => formatAmount('-2.125', o))).toEqual(first);
    // Bad input is refused every time, never remembered as an answer.
    expect(() => formatAmount('1e5', { locale: 'en' })).toThrow();
    expect(() => formatAmount('1e5', { locale: 'en' })).toThrow();
  });

  it('never loses digits', () => {
    fc.assert(
      fc.property(nanosArb, fc.constantFrom<'ru' | 'en'>('ru', 'en'), fc.option(fc.constantFrom('RUB', 'USD', 'EUR', 'CNY')), (nanos, locale, currency) => {
        const text = quotationToDecimal(fromNanos(nanos));
        const out = formatAmount(text, { locale, currency: currency ?? undefined, minimumFractionDigits: 0 });
        expect(out.replace(/\D/g, '')).toBe(text.replace(/\D/g, ''));
        expect(out.includes('-')).toBe(nanos < 0n);
      }),
    );
  });
});
