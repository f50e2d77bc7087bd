// Ledger classification and the cases that once went wrong: an unnamed currency is not roubles,
// unknown kinds stay visible, card-settled trades do not move the account's cash.
import { describe, expect, it } from 'vitest';
import { decimalToNanos } from '@/lib/money';
import { buildHoldings, buildLedger, valueSeries } from './index';
import { testOperation as op } from './test-operation';

const n = decimalToNanos;

describe('buildLedger', () => {
  it('orders by time, then id, whatever order T-Invest sent (newest first)', () => {
    const ledger = buildLedger([
      op({ id: 'b', type: 'input', at: '2024-05-02T10:00:00Z', payment: '1' }),
      op({ id: 'c', type: 'input', at: '2024-05-01T10:00:00Z', payment: '1' }),
      op({ id: 'a', type: 'input', at: '2024-05-02T10:00:00Z', payment: '1' }),
    ]);
    expect(ledger.entries.map((e) => e.id)).toEqual(['c', 'a', 'b']);
  });

  it('skips cancelled, in-progress, unspecified and undated operations, and says so', () => {
    const ledger = buildLedger([
      op({ id: 'x1', type: 'buy', at: '2024-05-01T10:00:00Z', state: 'canceled' }),
      op({ id: 'x2', type: 'buy', at: '2024-05-01T10:00:00Z', state: 'progress' }),
      op({ id: 'x3', type: 'buy', at: '2024-05-01T10:00:00Z', state: 'unspecified' }),
      op({ id: 'x4', type: 'input', at: null, payment: '5' }),
    ]);
    expect(ledger.entries).toEqual([]);
    expect(ledger.skipped.map((s) => s.reason)).toEqual(['canceled', 'in-progress', 'unspecified-state', 'undated']);
  });

  it('classifies by operation type into distinct kinds', () => {
    const at = '2024-05-01T10:00:00Z';
    const kinds = buildLedger(
      (
        [
          ['sell_margin', 'trade'],
          ['service_fee', 'fee'],
          ['dividend_tax', 'tax:income'],
          ['tax', 'tax:trade'],
          ['tax_correction', 'tax:correction'],
          ['coupon', 'income:coupon'],
          ['bond_repayment', 'income:amortisation'],
          ['bond_repayment_full', 'income:redemption'],
          ['output', 'flow'],
          ['trans_bs_bs', 'flow'],
          ['input_securities', 'transfer'],
          ['accruing_varmargin', 'other'],
        ] as const
      ).map(([type], i) => op({ id: String(i).padStart(2, '0'), type, at, payment: '-1' })),
    ).entries.map((e) => (e.kind === 'tax' ? `tax:${e.taxKind}` : e.kind === 'income' ? `income:${e.incomeKind}` : e.kind));
    expect(kinds).toEqual(['trade', 'fee', 'tax:income', 'tax:trade', 'tax:correction', 'income:coupon', 'income:amortisation', 'income:redemption', 'flow', 'flow', 'transfer', 'other']);
  });

  it('keeps "other" operations, counts them, and still applies their cash', () => {
    const ledger = buildLedger([op({ id: 'vm', type: 'writing_off_varmargin', at: '2024-05-01T10:00:00Z', payment: '-120.5' })]);
    expect(ledger.counts.other).toBe(1);
    expect(buildHoldings(ledger)[0]!.cash).toEqual(new Map([['RUB', n('-120.5')]]));
  });

  it('carries an empty currency through instead of assuming roubles, and reports it unpriced', () => {
    const ledger = buildLedger([op({ id: 'in', type: 'input', at: '2024-05-01T10:00:00Z', payment: '1000', currency: '' })]);
    expect(ledger.entries[0]!.currency).toBe('');
    const [point] = valueSeries(buildHoldings(ledger), () => null, () => null);
    expect(point!.valueRub).toBe(0n);
    expect(point!.unpriced).toEqual([
      { kind: 'no-rate', currency: '', amount: n('1000') },
      { kind: 'flow-no-rate', currency: '', amount: n('1000') },
    ]);
    // A caller that knows the account's currency can resolve it.
    const [resolved] = valueSeries(buildHoldings(ledger), () => null, (currency) => (currency === '' ? 1_000_000_000n : null));
    expect(resolved!.valueRub).toBe(n('1000'));
  });

  it('upper-cases currencies and counts only the executed part of a partly filled trade', () => {
    const trade = { ...op({ id: 't', type: 'buy', at: '2024-05-01T10:00:00Z', instrumentUid: 'u', quantity: 10, payment: '-60', currency: 'usd' }), quantityRest: '4' };
    const [entry] = buildLedger([trade]).entries;
    expect(entry).toMatchObject({ kind: 'trade', currency: 'USD', quantity: 6n });
  });

  it('adds an inflow for a trade paid by card, so the account cash does not move', () => {
    const ledger = buildLedger([op({ id: 'card', type: 'buy_card', at: '2024-05-01T10:00:00Z', instrumentUid: 'u', quantity: 2, payment: '-300' })]);
    expect(ledger.entries.map((e) => [e.id, e.kind, e.amount])).toEqual([
      ['card', 'trade', n('-300')],
      ['card#card', 'flow', n('300')],
    ]);
    const [day] = buildHoldings(ledger);
    expect(day!.cash.size).toBe(0);
    expect(day!.quantities).toEqual(new Map([['u', 2n]]));
    expect(day!.flows).toEqual(new Map([['RUB', n('300')]]));
  });
});
