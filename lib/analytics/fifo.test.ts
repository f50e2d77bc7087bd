// FIFO beyond the plain long case: shorts, splits, bond amortisation and redemption, transfers, and
// the mismatches it reports rather than guesses about.
import { describe, expect, it } from 'vitest';
import { decimalToNanos } from '@/lib/money';
import { applySplit, buildFifo, buildLedger, openCost, openQuantity, unrealisedPnl } from './index';
import { testOperation as op } from './test-operation';

const n = decimalToNanos;
const U = 'uid-x';
const day = (d: number) => `2024-06-${String(d).padStart(2, '0')}T10:00:00Z`;

describe('buildFifo', () => {
  it('opens a short when a sale exceeds the position, and covers it with later buys first', () => {
    const { books, issues } = buildFifo(
      buildLedger([
        op({ id: '1', type: 'buy', at: day(1), instrumentUid: U, quantity: 5, payment: '-500' }),
        op({ id: '2', type: 'sell', at: day(2), instrumentUid: U, quantity: 8, payment: '880' }),
        op({ id: '3', type: 'buy', at: day(3), instrumentUid: U, quantity: 4, payment: '-360' }),
      ]),
    );
    const book = books.get(U)!;
    expect(issues).toEqual([]);
    // Sale: 5 long at 110 each against cost 100 (+50); 3 short at 110. Cover 3 at 90 (+60); 1 long opened at 90.
    expect(book.closed.map((c) => [c.quantity, c.proceeds, c.cost, c.realised])).toEqual([
      [5n, n('550'), n('500'), n('50')],
      [-3n, n('-270'), n('-330'), n('60')],
    ]);
    expect(book.lots).toEqual([{ openedBy: '3', openedOn: '2024-06-03', quantity: 1n, cost: n('90') }]);
    expect(book.realised).toBe(n('110'));
  });

  it('values a short: unrealised is what was received minus what covering costs now', () => {
    const book = buildFifo(buildLedger([op({ id: 's', type: 'sell', at: day(1), instrumentUid: U, quantity: 10, payment: '1000' })])).books.get(U)!;
    expect([openQuantity(book), openCost(book)]).toEqual([-10n, n('-1000')]);
    expect(unrealisedPnl(book, { nanos: n('90'), currency: 'rub' })).toBe(n('100'));
  });

  it('splits lots into more units at the same cost, and refuses fractions of a unit', () => {
    const book = buildFifo(buildLedger([op({ id: '1', type: 'buy', at: day(1), instrumentUid: U, quantity: 3, payment: '-300' })])).books.get(U)!;
    const split = applySplit(book, { from: 1n, to: 10n });
    expect(split.ok && split.book.lots).toEqual([{ openedBy: '1', openedOn: '2024-06-01', quantity: 30n, cost: n('300') }]);
    expect(applySplit(book, { from: 2n, to: 1n })).toEqual({ ok: false, reason: 'fractional-units', openedBy: '1' });
    expect(applySplit(book, { from: 0n, to: 1n })).toEqual({ ok: false, reason: 'invalid-ratio' });
    expect(book.lots[0]!.quantity).toBe(3n);
  });

  it('lowers open lots by amortisation and realises the redemption against what is left', () => {
    const { books, issues } = buildFifo(
      buildLedger([
        op({ id: '1', type: 'buy', at: day(1), instrumentUid: U, quantity: 10, payment: '-10100' }),
        op({ id: '2', type: 'buy', at: day(2), instrumentUid: U, quantity: 20, payment: '-19800' }),
        op({ id: '3', type: 'bond_repayment', at: day(3), instrumentUid: U, payment: '6000' }),
        op({ id: '4', type: 'bond_repayment_full', at: day(4), instrumentUid: U, quantity: 30, payment: '24000' }),
      ]),
    );
    expect(issues).toEqual([]);
    const book = books.get(U)!;
    // 6000 spread by units: 2000 to the first lot, 4000 to the second.
    expect(book.closed.map((c) => [c.openedBy, c.cost, c.proceeds])).toEqual([
      ['1', n('8100'), n('8000')],
      ['2', n('15800'), n('16000')],
    ]);
    expect(book.realised).toBe(n('100'));
    expect(book.lots).toEqual([]);
  });

  it('reports what it cannot cost: a transfer in without a price, a fee in another currency', () => {
    const { books, issues } = buildFifo(
      buildLedger([
        op({ id: 'in', type: 'input_securities', at: day(1), instrumentUid: U, quantity: 5 }),
        op({ id: 't', type: 'buy', at: day(2), instrumentUid: U, quantity: 1, payment: '-10' }),
        op({ id: 'f', type: 'broker_fee', at: day(2), instrumentUid: U, parentId: 't', payment: '-1', currency: 'USD' }),
        op({ id: 'out', type: 'output_securities', at: day(3), instrumentUid: U, quantity: 5 }),
      ]),
    );
    expect(issues).toEqual([
      { kind: 'fee-currency-mismatch', id: 'f', parentId: 't', feeCurrency: 'USD', tradeCurrency: 'RUB' },
      { kind: 'unknown-cost', id: 'in', instrumentUid: U, quantity: 5n },
    ]);
    const book = books.get(U)!;
    // The transfer out takes the oldest units at their cost, realising nothing.
    expect(book.realised).toBe(0n);
    expect(book.lots).toEqual([{ openedBy: 't', openedOn: '2024-06-02', quantity: 1n, cost: n('10') }]);
  });

  it('keeps an instrument in its first currency and reports trades in another', () => {
    const { books, issues } = buildFifo(
      buildLedger([
        op({ id: '1', type: 'buy', at: day(1), instrumentUid: U, quantity: 1, payment: '-10', currency: 'USD' }),
        op({ id: '2', type: 'buy', at: day(2), instrumentUid: U, quantity: 1, payment: '-900', currency: 'RUB' }),
      ]),
    );
    expect(issues).toEqual([{ kind: 'currency-mismatch', id: '2', instrumentUid: U, bookCurrency: 'USD', entryCurrency: 'RUB' }]);
    expect(openQuantity(books.get(U)!)).toBe(1n);
  });
});
