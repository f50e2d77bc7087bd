import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decimalToNanos, nanosToDecimal } from '@/lib/money';
import { JsonNumber, JsonSyntaxError, jsonNumberToDecimal, readJson, type JsonValue } from './read-json';

/** What JSON.parse would give, for comparing structure: numbers through a double. */
function lossy(value: JsonValue): unknown {
  if (value instanceof JsonNumber) return Number(value.text);
  if (Array.isArray(value)) return value.map(lossy);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, lossy(item)]));
  return value;
}

describe('readJson', () => {
  it('reads what JSON.parse reads, with numbers kept as written', () => {
    fc.assert(
      fc.property(fc.json(), (text) => {
        expect(lossy(readJson(text))).toEqual(JSON.parse(text));
      }),
    );
  });

  it('keeps the source text of numbers that a double would alter', () => {
    const value = readJson('{"otb": 123456789012345.678901234, "n": [1E+2, -0.0, 5e-9]}') as { otb: JsonNumber; n: JsonNumber[] };
    expect(value.otb.text).toBe('123456789012345.678901234');
    expect(value.n.map((n) => n.text)).toEqual(['1E+2', '-0.0', '5e-9']);
    expect(JSON.stringify(JSON.parse('{"otb": 123456789012345.678901234}'))).toBe('{"otb":123456789012345.67}');
  });

  it('decodes string escapes and keeps a __proto__ key as data', () => {
    const value = readJson('{"a":"\\u0421redit \\"x\\"\\n","__proto__":{"b":1}}') as Record<string, JsonValue>;
    expect(value.a).toBe('Сredit "x"\n');
    expect(Object.keys(value)).toEqual(['a', '__proto__']);
    expect(({} as Record<string, unknown>).b).toBeUndefined();
  });

  it.each(['', '{', '{"a":1,}', '[1 2]', '01', '1.', '.5', '+1', 'NaN', '"\u0001"', '{"a" 1}', 'tru', '[1]x', "{'a':1}", '"\\x"'])('refuses %j like JSON.parse', (text) => {
    expect(() => JSON.parse(text)).toThrow();
    expect(() => readJson(text)).toThrow(JsonSyntaxError);
  });

  it('refuses absurd nesting instead of overflowing the stack', () => {
    expect(() => readJson('['.repeat(10_000) + ']'.repeat(10_000))).toThrow(/deeply/);
  });

  it('accepts a leading byte-order mark', () => {
    expect(lossy(readJson('\ufeff[1]'))).toEqual([1]);
  });
});

describe('jsonNumberToDecimal', () => {
  it.each([
    ['0', '0'],
    ['-0', '0'],
    ['-0.0', '0'],
    ['45089', '45089'],
    ['45089.10', '45089.1'],
    ['1e3', '1000'],
    ['1.5E+2', '150'],
    ['-12.5e-3', '-0.0125'],
    ['5e-9', '0.000000005'],
    ['123400e-2', '1234'],
    ['0.000', '0'],
  ])('%s → %s', (text, decimal) => {
    expect(jsonNumberToDecimal(text)).toBe(decimal);
  });

  it('refuses what is not a JSON number and absurd exponents', () => {
    expect(() => jsonNumberToDecimal('1,5')).toThrow(RangeError);
    expect(() => jsonNumberToDecimal('1e999')).toThrow(RangeError);
  });

  it('round-trips every decimal with up to 15 integer and 9 fraction digits, exactly', () => {
    const decimal = fc
      .record({
        negative: fc.boolean(),
        integer: fc.bigInt({ min: 0n, max: 10n ** 15n - 1n }),
        fraction: fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: 0, maxLength: 9 }),
        exponentForm: fc.boolean(),
      })
      .map(({ negative, integer, fraction, exponentForm }) => {
        const plain = `${negative ? '-' : ''}${integer}${fraction ? `.${fraction}` : ''}`;
        // The same value as mantissa × 10^-k, as a server might print it.
        const mantissa = `${integer}${fraction}`.replace(/^0+(?=\d)/, '');
        const text = exponentForm ? `${negative ? '-' : ''}${mantissa}e-${fraction.length}` : plain;
        return { plain, text };
      });
    fc.assert(
      fc.property(decimal, ({ plain, text }) => {
        const read = readJson(`{"accountAmount": ${text}}`) as { accountAmount: JsonNumber };
        const exact = jsonNumberToDecimal(read.accountAmount.text);
        expect(decimalToNanos(exact)).toBe(decimalToNanos(plain));
        expect(nanosToDecimal(decimalToNanos(exact))).toBe(nanosToDecimal(decimalToNanos(plain)));
      }),
      { numRuns: 2000 },
    );
  });
});
