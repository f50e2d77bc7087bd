// Returns at their edges, range presets, and a 20,000-operation history as a correctness check at scale.
import { describe, expect, it } from 'vitest';
import { decimalToNanos } from '@/lib/money';
import type { OperationDto } from '@/lib/tinvest/dto';
import { addDays } from './days';
import { buildFifo, buildHoldings, buildLedger, openQuantity, resolveRange, timeWeightedReturn, valueSeries, xirr, type ValuePoint } from './index';
import { testOperation as op } from './test-operation';

const n = decimalToNanos;
const point = (day: string, value: string, flow = '0', unpriced: ValuePoint['unpriced'] = []) => ({ day, valueRub: n(value), flowRub: n(flow), unpriced });

describe('timeWeightedReturn', () => {
  it('counts a same-day deposit and buy at a price off the close as return: the cost of the day-end convention', () => {
    // 100 held; 10,000 deposited and spent on a share bought at 100 that closes at 101.
    const series = [point('2024-01-01', '100', '100'), point('2024-01-02', '10200', '10000')];
    expect(timeWeightedReturn(series, { from: '2024-01-02', to: '2024-01-02' }).total).toBeCloseTo(1, 12);
  });

  it('starts from the first flow when the account was empty the evening before', () => {
    // Deposit 1000 and buy the same day; the fee and the move leave 990 at the close.
    const twr = timeWeightedReturn([point('2024-01-01', '990', '1000')], { from: '2024-01-01', to: '2024-01-01' });
    expect(twr.total).toBeCloseTo(-0.01, 12);
  });

  it('reports days it cannot measure and days with unpriced holdings instead of guessing', () => {
    const series = [point('2024-01-01', '100', '100'), point('2024-01-02', '-50'), point('2024-01-03', '10'), point('2024-01-04', '11', '0', [{ kind: 'no-price', instrumentUid: 'u', quantity: 1n }])];
    const twr = timeWeightedReturn(series, { from: '2024-01-01', to: '2024-01-04' });
    expect(twr.unmeasuredDays).toEqual(['2024-01-03']);
    expect(twr.incompleteDays).toEqual(['2024-01-04']);
    expect(twr.total).toBeCloseTo(-0.5 * 1.1 - 1, 12);
  });

  it('annualises only ranges longer than a year', () => {
    const series = [point('2022-01-01', '100', '100'), point('2023-12-31', '121')];
    const twoYears = timeWeightedReturn(series, { from: '2022-01-01', to: '2023-12-31' });
    expect(twoYears.total).toBeCloseTo(0.21, 12);
    expect(twoYears.annualised).toBeCloseTo(Math.pow(1.21, 365 / 730) - 1, 12);
    expect(timeWeightedReturn(series, { from: '2023-01-01', to: '2023-12-31' }).annualised).toBeNull();
  });

  it('has no return when nothing was ever invested', () => {
    expect(timeWeightedReturn([point('2024-01-01', '0')], { from: '2024-01-01', to: '2024-01-01' }).total).toBeNull();
  });
});

describe('xirr', () => {
  it('is null without flows of both signs', () => {
    expect(xirr([{ days: 0, amount: -100 }, { days: 30, amount: -5 }])).toBeNull();
    expect(xirr([])).toBeNull();
  });

  it('solves a one-year doubling and a near-total loss (where Newton from 10 % overshoots)', () => {
    expect(xirr([{ days: 0, amount: -100 }, { days: 365, amount: 200 }])).toBeCloseTo(1, 10);
    expect(xirr([{ days: 0, amount: -1_000_000 }, { days: 3650, amount: 1 }])).toBeCloseTo(Math.pow(1e-6, 1 / 10) - 1, 10);
  });

  it('is null when NPV never changes sign over the rates it searches', () => {
    // Paid back more than once over at once, then paid in again: NPV stays positive for every rate above −100 %.
    expect(xirr([{ days: 0, amount: 100 }, { days: 1, amount: -50 }, { days: 2, amount: 100 }])).toBeNull();
  });
});

describe('resolveRange', () => {
  const first = '2020-03-15';
  it.each([
    ['1D', '2024-03-31', '2024-03-31'],
    ['1W', '2024-03-31', '2024-03-25'],
    ['1M', '2024-03-31', '2024-03-01'],
    ['1M', '2024-03-15', '2024-02-16'],
    ['YTD', '2024-03-31', '2024-01-01'],
    ['1Y', '2024-02-29', '2023-03-01'],
    ['1Y', '2024-03-31', '2023-04-01'],
    ['ALL', '2024-03-31', first],
  ] as const)('%s on %s starts on %s', (preset, today, from) => {
    expect(resolveRange(preset, today, first)).toEqual({ from, to: today });
  });

  it('clips to the history and today, and is null outside it', () => {
    expect(resolveRange('1Y', '2020-06-01', first)).toEqual({ from: first, to: '2020-06-01' });
    expect(resolveRange({ from: '2019-01-01', to: '2030-01-01' }, '2024-03-31', first)).toEqual({ from: first, to: '2024-03-31' });
    expect(resolveRange({ from: '2019-01-01', to: '2019-12-31' }, '2024-03-31', first)).toBeNull();
    expect(resolveRange('ALL', '2020-01-01', first)).toBeNull();
  });

  it('rejects malformed days and backwards custom ranges', () => {
    expect(() => resolveRange({ from: '2024-02-30', to: '2024-03-01' }, '2024-03-31', first)).toThrow(RangeError);
    expect(() => resolveRange({ from: '2024-03-02', to: '2024-03-01' }, '2024-03-31', first)).toThrow(RangeError);
  });
});

describe('at scale', () => {
  it('replays 20,000 operations over ten years into the same positions as a plain count', () => {
    const operations: OperationDto[] = [];
    const expected = new Map<string, bigint>();
    let state = 1;
    const random = () => (state = (state * 48271) % 2147483647) / 2147483647;
    for (let i = 0; operations.length < 20_000; i++) {
      const at = new Date(Date.UTC(2015, 0, 1) + Math.floor(random() * 3650 * 86_400_000)).toISOString();
      const uid = `uid-${Math.floor(random() * 50)}`;
      const quantity = BigInt(1 + Math.floor(random() * 20));
      const held = expected.get(uid) ?? 0n;
      // Operations are generated out of order; sells only where the final count stays long.
      const side = random() < 0.4 && held >= quantity ? 'sell' : 'buy';
      expected.set(uid, held + (side === 'buy' ? quantity : -quantity));
      operations.push(op({ id: `t${i}`, type: side, at, instrumentUid: uid, quantity, payment: side === 'buy' ? '-100.5' : '100.5' }));
      operations.push(op({ id: `t${i}-fee`, type: 'broker_fee', at, instrumentUid: uid, parentId: `t${i}`, payment: '-0.3' }));
    }
    const ledger = buildLedger(operations);
    const holdings = buildHoldings(ledger, { to: '2024-12-31' });
    const books = buildFifo(ledger).books;
    const last = holdings[holdings.length - 1]!;
    expect(last.quantities).toEqual(new Map([...expected].filter(([, q]) => q !== 0n)));
    for (const [uid, q] of expected) expect(openQuantity(books.get(uid)!)).toBe(q);
    expect(last.cash.get('RUB')).toBe(operations.reduce((sum, o) => sum + n(o.payment!.amount), 0n));
    const series = valueSeries(holdings, () => ({ nanos: n('100'), currency: 'RUB' }), () => null);
    expect(series).toHaveLength(holdings.length);
    expect(addDays(series[0]!.day, series.length - 1)).toBe('2024-12-31');
  });
});
