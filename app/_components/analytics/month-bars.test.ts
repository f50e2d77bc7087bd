import { describe, expect, it } from 'vitest';
import { decimalToNanos, nanosToDecimal } from '@/lib/money';
import { barScale, largestBar, monthsBetween, niceCeiling, stackMonths, totalOf } from './month-bars';

describe('monthsBetween', () => {
  it('lists every month, across years, from days or months', () => {
    expect(monthsBetween('2024-11-15', '2025-02-01')).toEqual(['2024-11', '2024-12', '2025-01', '2025-02']);
    expect(monthsBetween('2025-03', '2025-03')).toEqual(['2025-03']);
    expect(monthsBetween('2025-04', '2025-03')).toEqual([]);
    expect(monthsBetween('2015-01-01', '2025-12-31')).toHaveLength(132);
  });
});

describe('stackMonths', () => {
  const income = [
    { month: '2025-03', amounts: { dividends: '1000.10', coupons: '250.005', tax: '-130.01' } },
    { month: '2025-01', amounts: { dividends: '0', coupons: '12.345678901', tax: '0' } },
    // Outside the months asked for: left out.
    { month: '2024-12', amounts: { dividends: '5', coupons: '0', tax: '0' } },
  ];

  it('gives empty months a zero bar and stacks positives up from zero', () => {
    const bars = stackMonths(income, ['dividends', 'coupons'], monthsBetween('2025-01', '2025-03'));
    expect(bars.map((bar) => bar.month)).toEqual(['2025-01', '2025-02', '2025-03']);
    expect(bars[1]).toMatchObject({ total: '0', high: 0n, low: 0n });
    const march = bars[2]!;
    expect(march.parts.map((part) => [part.key, part.from, part.to])).toEqual([
      ['dividends', 0n, 1_000_100_000_000n],
      ['coupons', 1_000_100_000_000n, 1_250_105_000_000n],
    ]);
    expect(march.total).toBe('1250.105');
  });

  it('stacks negatives down from zero, apart from the positives', () => {
    const [bar] = stackMonths([{ month: '2025-05', amounts: { fees: '-3', taxes: '7.5', other: '-1' } }], ['fees', 'taxes', 'other'], ['2025-05']);
    expect(bar!.parts.map((part) => [part.from, part.to])).toEqual([
      [0n, -3_000_000_000n],
      [0n, 7_500_000_000n],
      [-3_000_000_000n, -4_000_000_000n],
    ]);
    expect([bar!.high, bar!.low, bar!.total]).toEqual([7_500_000_000n, -4_000_000_000n, '3.5']);
  });

  it('flips signs on request, so costs (negative cash) stand up', () => {
    const [bar] = stackMonths([{ month: '2025-05', amounts: { fees: '-3.25', taxes: '-0.75' } }], ['fees', 'taxes'], ['2025-05'], -1n);
    expect(bar!.total).toBe('4');
    expect(bar!.low).toBe(0n);
  });

  it("adds rows of the same month, and the bars' totals equal the rows' sums to the nano", () => {
    const rows = Array.from({ length: 40 }, (_, i) => ({ month: `2025-${String((i % 12) + 1).padStart(2, '0')}`, amounts: { fees: `-${i}.${String(i * 7919).padStart(9, '0')}`, taxes: i % 3 === 0 ? `${i}.000000001` : `-0.1` } }));
    const bars = stackMonths(rows, ['fees', 'taxes'], monthsBetween('2025-01', '2025-12'), -1n);
    const expected = rows.reduce((sum, row) => sum - decimalToNanos(row.amounts.fees) - decimalToNanos(row.amounts.taxes), 0n);
    expect(totalOf(bars)).toBe(nanosToDecimal(expected));
    for (const bar of bars) expect(bar.parts.reduce((sum, part) => sum + part.nanos, 0n)).toBe(decimalToNanos(bar.total));
  });
});

describe('scale', () => {
  it('rounds the top to 1, 2, 5 × 10ⁿ', () => {
    expect([niceCeiling(0n), niceCeiling(1n), niceCeiling(3n), niceCeiling(10n), niceCeiling(11n), niceCeiling(1_250_105_000_000n)]).toEqual([0n, 1n, 5n, 10n, 20n, 2_000_000_000_000n]);
  });

  it('fits every bar and extra mark, zero included, and maps values to fractions of the height', () => {
    const bars = stackMonths([{ month: '2025-01', amounts: { a: '140', b: '-30' } }], ['a', 'b'], ['2025-01']);
    const scale = barScale(bars, [-45_000_000_000n]);
    expect([scale.top, scale.bottom]).toEqual([200_000_000_000n, -50_000_000_000n]);
    expect(scale.at(scale.top)).toBe(0);
    expect(scale.at(scale.bottom)).toBe(1);
    expect(scale.at(0n)).toBeCloseTo(0.8);
  });

  it('gives an empty chart a height anyway', () => {
    const scale = barScale(stackMonths([], ['a'], ['2025-01']));
    expect(Number.isFinite(scale.at(0n))).toBe(true);
  });

  it('finds the largest month, none when all are empty', () => {
    const bars = stackMonths([{ month: '2025-02', amounts: { a: '5' } }, { month: '2025-03', amounts: { a: '4.99' } }], ['a'], monthsBetween('2025-01', '2025-03'));
    expect(largestBar(bars)?.month).toBe('2025-02');
    expect(largestBar(stackMonths([], ['a'], ['2025-01']))).toBeNull();
  });
});
