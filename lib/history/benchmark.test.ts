// The benchmark line against hand-computed numbers: flows buy and sell units at that day's close.
import { describe, expect, it } from 'vitest';
import { decimalToNanos as n, nanosToDecimal } from '../money';
import { benchmarkLine, priceChange } from './benchmark';

const rub = (line: { day: string; value: bigint }[]) => line.map((point) => [point.day, nanosToDecimal(point.value)]);

describe('benchmarkLine', () => {
  it('invests the start value at the close before the range, a deposit and a withdrawal at their day’s close', () => {
    // 1000 at 100 = 10 units; +240 at 120 = 12 units; −120 at 120 (carried) = 11 units.
    const line = benchmarkLine({
      startValue: n('1000'),
      closeBefore: '100',
      closes: new Map([['2025-03-03', '110'], ['2025-03-04', '120'], ['2025-03-06', '90']]),
      days: [
        { day: '2025-03-03', flow: 0n },
        { day: '2025-03-04', flow: n('240') },
        { day: '2025-03-05', flow: n('-120') },
        { day: '2025-03-06', flow: 0n },
      ],
    });
    expect(rub(line)).toEqual([['2025-03-03', '1100'], ['2025-03-04', '1440'], ['2025-03-05', '1320'], ['2025-03-06', '990']]);
  });

  it('starts from nothing when the portfolio was empty before the range', () => {
    const line = benchmarkLine({
      startValue: 0n,
      closeBefore: '50',
      closes: new Map([['2025-01-01', '50'], ['2025-01-02', '40'], ['2025-01-03', '60']]),
      days: [
        { day: '2025-01-01', flow: 0n },
        { day: '2025-01-02', flow: n('400') },
        { day: '2025-01-03', flow: 0n },
      ],
    });
    expect(rub(line)).toEqual([['2025-01-01', '0'], ['2025-01-02', '400'], ['2025-01-03', '600']]);
  });

  it('keeps money as cash until the benchmark has a close, then buys at the first one', () => {
    // 500 + 100 wait as cash; 600 at 200 = 3 units; 3 × 300 = 900.
    const line = benchmarkLine({
      startValue: n('500'),
      closeBefore: undefined,
      closes: new Map([['2025-01-02', '200'], ['2025-01-03', '300']]),
      days: [
        { day: '2025-01-01', flow: n('100') },
        { day: '2025-01-02', flow: 0n },
        { day: '2025-01-03', flow: 0n },
      ],
    });
    expect(rub(line)).toEqual([['2025-01-01', '600'], ['2025-01-02', '600'], ['2025-01-03', '900']]);
  });

  it('rounds to the nano: a third of a unit is not lost', () => {
    // 100 / 3 = 33.333… units (to 10^-18); × 3 = 99.999…9 → 100; × 6.5 → 216.666666667.
    const line = benchmarkLine({
      startValue: n('100'),
      closeBefore: '3',
      closes: new Map([['2025-01-01', '3'], ['2025-01-02', '6.5']]),
      days: [
        { day: '2025-01-01', flow: 0n },
        { day: '2025-01-02', flow: 0n },
      ],
    });
    expect(rub(line)).toEqual([['2025-01-01', '100'], ['2025-01-02', '216.666666667']]);
  });

  it('carries the close over days without one, including the first days of the range', () => {
    const line = benchmarkLine({ startValue: n('10'), closeBefore: '2', closes: new Map(), days: [{ day: '2025-01-04', flow: n('4') }, { day: '2025-01-05', flow: 0n }] });
    expect(rub(line)).toEqual([['2025-01-04', '14'], ['2025-01-05', '14']]);
  });
});

describe('priceChange', () => {
  it('is the ratio of the last close to the one before the range, minus one', () => {
    expect(priceChange('100', '90')).toBe(-0.1);
    expect(priceChange('3', '4')).toBe(0.333333333333);
    expect(priceChange(undefined, '4')).toBeNull();
    expect(priceChange('0', '4')).toBeNull();
  });
});
