// The hand-computed portfolio of docs/analytics.md ("The worked example"): every number asserted here
// is derived there step by step, to the kopeck for money and to 1e-9 for rates.
import { describe, expect, it } from 'vitest';
import { decimalToNanos } from '@/lib/money';
import { buildFifo, buildHoldings, buildLedger, costReport, incomeReport, moneyWeightedReturn, openQuantity, resolveRange, timeWeightedReturn, unrealisedPnl, valueSeries, type Money } from './index';
import { testOperation as op } from './test-operation';

const A = 'uid-share-a';
const n = decimalToNanos;

const operations = [
  op({ id: 'in-1', type: 'input', at: '2024-01-10T09:00:00Z', payment: '100000' }),
  op({ id: 'op-buy-1', type: 'buy', at: '2024-01-11T10:00:00Z', instrumentUid: A, quantity: 100, price: '250', payment: '-25000' }),
  // Sorts before its trade (same instant, smaller id): the fee must still join the lot.
  op({ id: 'f-1', type: 'broker_fee', at: '2024-01-11T10:00:00Z', instrumentUid: A, parentId: 'op-buy-1', payment: '-7.50' }),
  op({ id: 'op-buy-x', type: 'buy', at: '2024-01-12T10:00:00Z', instrumentUid: A, quantity: 10, price: '251', payment: '-2510', state: 'canceled' }),
  op({ id: 'in-2', type: 'input', at: '2024-02-15T09:00:00Z', payment: '50000' }),
  op({ id: 'op-buy-2', type: 'buy', at: '2024-02-20T11:00:00Z', instrumentUid: A, quantity: 50, price: '270', payment: '-13500' }),
  op({ id: 'f-2', type: 'broker_fee', at: '2024-02-20T11:00:00Z', instrumentUid: A, parentId: 'op-buy-2', payment: '-4.05' }),
  op({ id: 'div-1', type: 'dividend', at: '2024-03-05T12:00:00Z', instrumentUid: A, quantity: 150, payment: '2250' }),
  op({ id: 'div-1-tax', type: 'dividend_tax', at: '2024-03-05T12:00:00Z', instrumentUid: A, parentId: 'div-1', payment: '-292.50' }),
  op({ id: 'op-sell-1', type: 'sell', at: '2024-03-20T13:00:00Z', instrumentUid: A, quantity: 120, price: '280', payment: '33600' }),
  op({ id: 'f-3', type: 'broker_fee', at: '2024-03-20T13:00:00Z', instrumentUid: A, parentId: 'op-sell-1', payment: '-10.08' }),
  op({ id: 'tax-1', type: 'tax', at: '2024-03-21T08:00:00Z', instrumentUid: A, payment: '-413.50' }),
  op({ id: 'svc-1', type: 'service_fee', at: '2024-04-01T06:00:00Z', payment: '-99' }),
];

// Closing prices of A: each holds until the next change.
const priceChanges: [string, string][] = [
  ['2024-01-11', '250'],
  ['2024-01-31', '260'],
  ['2024-02-20', '270'],
  ['2024-03-20', '280'],
  ['2024-04-10', '265'],
];
const priceOf = (uid: string, day: string): Money | null => {
  if (uid !== A) return null;
  const change = priceChanges.filter(([from]) => from <= day).pop();
  return change ? { nanos: n(change[1]), currency: 'RUB' } : null;
};
const noFx = () => null;

const ledger = buildLedger(operations);
const holdings = buildHoldings(ledger, { to: '2024-04-30' });
const series = valueSeries(holdings, priceOf, noFx);
const valueOn = (day: string) => series.find((p) => p.day === day)!;

describe('the worked example (docs/analytics.md)', () => {
  it('classifies every executed operation and lists the cancelled one', () => {
    expect(ledger.counts).toEqual({ trade: 3, fee: 4, tax: 2, income: 1, flow: 2, transfer: 0, other: 0 });
    expect(ledger.skipped).toEqual([{ id: 'op-buy-x', reason: 'canceled' }]);
  });

  it('values each day to the kopeck', () => {
    expect(series[0]!.day).toBe('2024-01-10');
    expect(series).toHaveLength(112);
    const expected: [string, string][] = [
      ['2024-01-10', '100000'],
      ['2024-01-11', '99992.50'],
      ['2024-01-30', '99992.50'],
      ['2024-01-31', '100992.50'],
      ['2024-02-15', '150992.50'],
      ['2024-02-20', '151988.45'],
      ['2024-03-05', '153945.95'],
      ['2024-03-20', '155435.87'],
      ['2024-03-21', '155022.37'],
      ['2024-04-01', '154923.37'],
      ['2024-04-10', '154473.37'],
      ['2024-04-30', '154473.37'],
    ];
    for (const [day, value] of expected) expect([day, valueOn(day).valueRub]).toEqual([day, n(value)]);
    expect(valueOn('2024-04-30').cash).toEqual(new Map([['RUB', n('146523.37')]]));
    expect(valueOn('2024-02-14').netContributionsRub).toBe(n('100000'));
    expect(valueOn('2024-04-30').netContributionsRub).toBe(n('150000'));
    expect(series.every((p) => p.unpriced.length === 0)).toBe(true);
  });

  it('realises FIFO P&L net of both fees and keeps the rest of the second lot', () => {
    const book = buildFifo(ledger).books.get(A)!;
    expect(book.closed.map((c) => [c.openedBy, c.quantity, c.proceeds, c.cost, c.realised])).toEqual([
      ['op-buy-1', 100n, n('27991.60'), n('25007.50'), n('2984.10')],
      ['op-buy-2', 20n, n('5598.32'), n('5401.62'), n('196.70')],
    ]);
    expect(book.realised).toBe(n('3180.80'));
    expect(book.lots).toEqual([{ openedBy: 'op-buy-2', openedOn: '2024-02-20', quantity: 30n, cost: n('8102.43') }]);
    expect(openQuantity(book)).toBe(30n);
    expect(unrealisedPnl(book, { nanos: n('265'), currency: 'RUB' })).toBe(n('-152.43'));
    expect(unrealisedPnl(book, { nanos: n('265'), currency: 'USD' })).toBeNull();
  });

  it('reports the dividend gross and net of its tax, and costs by month', () => {
    const income = incomeReport(ledger);
    const row = { currency: 'RUB', dividends: n('2250'), coupons: 0n, gross: n('2250'), tax: n('-292.50'), net: n('1957.50'), amortisation: 0n, redemption: 0n };
    expect(income.byMonth).toEqual([{ key: '2024-03', ...row }]);
    expect(income.byInstrument).toEqual([{ key: A, ...row }]);
    expect(costReport(ledger).map((r) => [r.key, r.fees, r.incomeTax, r.tradeTax, r.total])).toEqual([
      ['2024-01', n('-7.50'), 0n, 0n, n('-7.50')],
      ['2024-02', n('-4.05'), 0n, 0n, n('-4.05')],
      ['2024-03', n('-10.08'), n('-292.50'), n('-413.50'), n('-716.08')],
      ['2024-04', n('-99'), 0n, 0n, n('-99')],
    ]);
  });

  it('chains daily returns into the TWR and solves the XIRR over the whole history', () => {
    const all = resolveRange('ALL', '2024-04-30', '2024-01-10')!;
    expect(all).toEqual({ from: '2024-01-10', to: '2024-04-30' });
    const twr = timeWeightedReturn(series, all);
    // (100992.50 / 100000) × (154473.37 / 150992.50) − 1
    expect(Math.abs(twr.total! - (624026072789 / 603970000000 - 1))).toBeLessThan(1e-12);
    expect(twr.total).toBeCloseTo(0.0332070679, 9);
    expect(twr.annualised).toBeNull();
    expect(twr.unmeasuredDays).toEqual([]);
    const mwr = moneyWeightedReturn(series, all);
    expect(mwr.rate).toBeCloseTo(0.1143788981, 9);
  });

  it('treats the mid-way deposit as arriving at the day end, and measures a later range from its opening value', () => {
    expect(timeWeightedReturn(series, { from: '2024-02-15', to: '2024-02-15' }).total).toBe(0);
    const range = { from: '2024-02-16', to: '2024-04-30' };
    expect(timeWeightedReturn(series, range).total).toBeCloseTo(154473.37 / 150992.5 - 1, 12);
    // No flows inside: XIRR is the growth annualised over 75 days.
    expect(moneyWeightedReturn(series, range).rate).toBeCloseTo(Math.pow(154473.37 / 150992.5, 365 / 75) - 1, 9);
    expect(timeWeightedReturn(series, resolveRange('1D', '2024-04-10', '2024-01-10')!).total).toBeCloseTo(154473.37 / 154923.37 - 1, 12);
  });
});
