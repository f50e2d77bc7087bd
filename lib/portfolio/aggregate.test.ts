// Overview arithmetic: exact sums across accounts and currencies, percentages, allocations.
import { describe, expect, it } from 'vitest';
import { addDecimals, aggregatePortfolios, apportion, heldCurrency, multiplyDecimals, percentOf, roundDecimal, UNATTRIBUTED } from './aggregate';
import type { PortfolioDto } from './dto';

const rub = (amount: string) => ({ amount, currency: 'RUB' });
const zero = rub('0');

type Position = PortfolioDto['positions'][number];

function position(p: Partial<Position> & Pick<Position, 'ticker' | 'instrumentType' | 'quantity'>): Position {
  return {
    instrumentUid: `${p.ticker}-uid`,
    positionUid: `${p.ticker}-pos`,
    figi: '',
    classCode: '',
    averagePrice: null,
    averagePriceFifo: null,
    currentPrice: null,
    currentNkd: null,
    expectedYield: '0',
    dailyYield: null,
    varMargin: null,
    blocked: false,
    blockedLots: '0',
    virtual: false,
    expiresAt: null,
    ...p,
  };
}

function portfolio(accountId: string, totals: Partial<Record<keyof PortfolioDto['totals'], string>>, positions: Position[], daily = '0'): PortfolioDto {
  const money = (key: keyof PortfolioDto['totals']) => (totals[key] ? rub(totals[key]!) : zero);
  return {
    accountId,
    totals: {
      portfolio: money('portfolio'),
      shares: money('shares'),
      bonds: money('bonds'),
      etf: money('etf'),
      currencies: money('currencies'),
      futures: zero,
      options: zero,
      structuredNotes: zero,
    },
    expectedYield: '0',
    dailyYield: rub(daily),
    dailyYieldRelative: '0',
    positions,
  };
}

// Account A: 10 SBER at 250.10 (bought at 240), 0.1 + 0.2 style cash, 100 USD at 90.5.
const a = portfolio(
  'A',
  { portfolio: '12551.2', shares: '2501', currencies: '10050.2' },
  [
    position({ ticker: 'SBER', instrumentType: 'share', quantity: '10', currentPrice: rub('250.1'), averagePrice: rub('240'), expectedYield: '101' }),
    position({ ticker: 'RUB000UTSTOM', instrumentType: 'currency', quantity: '1000.2', currentPrice: rub('1'), averagePrice: rub('1') }),
    position({ ticker: 'USD000UTSTOM', instrumentType: 'currency', quantity: '100', currentPrice: rub('90.5'), averagePrice: rub('80'), expectedYield: '1050' }),
  ],
  '-12.3',
);
// Account B: a bond with accrued interest and a little cash.
const b = portfolio(
  'B',
  { portfolio: '2000.1', bonds: '1900', currencies: '100.1' },
  [
    position({ ticker: 'OFZ', instrumentType: 'bond', quantity: '2', currentPrice: rub('940'), currentNkd: rub('10'), averagePrice: rub('950'), expectedYield: '-20' }),
    position({ ticker: 'RUB000UTSTOM', instrumentType: 'currency', quantity: '100.1', currentPrice: rub('1'), averagePrice: rub('1') }),
  ],
  '2.2',
);

describe('decimal helpers', () => {
  it('computes exact products and sums, without float drift', () => {
    expect(addDecimals('0.1', '0.2')).toBe('0.3');
    expect(multiplyDecimals('3', '0.1')).toBe('0.3');
    expect(multiplyDecimals('90', '269.122222222')).toBe('24220.99999998');
    expect(addDecimals('1e3'.replace('e3', '000'), null, undefined)).toBe('1000');
  });

  it('rounds percentages half-up from exact values', () => {
    expect(percentOf('1', '3')).toBe('33.33');
    expect(percentOf('2', '3')).toBe('66.67');
    expect(percentOf('-1', '8')).toBe('-12.5');
    expect(percentOf('1', '0')).toBeNull();
    expect(percentOf('0.005', '100', 3)).toBe('0.005');
    expect(roundDecimal('-0.047070697')).toBe('-0.05');
    expect(roundDecimal('2.345')).toBe('2.35');
  });

  it('takes the held currency from instrument data, then the ticker, and never guesses roubles from the price', () => {
    const dollars = position({ ticker: 'USD000UTSTOM', instrumentType: 'currency', quantity: '1', currentPrice: rub('90') });
    expect(heldCurrency(dollars)).toBe('USD');
    expect(heldCurrency({ ...dollars, ticker: '' }, 'usd')).toBe('USD');
    expect(heldCurrency({ ...dollars, ticker: '' })).toBeNull();
    expect(heldCurrency(position({ ticker: 'CNYRUB_TOM', instrumentType: 'currency', quantity: '1', currentPrice: rub('12') }))).toBe('CNY');
    expect(heldCurrency(position({ ticker: 'AAPL', instrumentType: 'share', quantity: '1', currentPrice: { amount: '1', currency: 'usd' } }))).toBe('USD');
  });

  it('apportions whole units by largest remainders, adding up to the target', () => {
    // Thirds of 100: 33⅓ each; the one unit left goes to the first of the equal remainders.
    expect(apportion([100n, 100n, 100n], 3n, 100n)).toEqual([34n, 33n, 33n]);
    // Largest remainder wins: 0.6 + 0.4 + 2.0 = 3 → 1, 0, 2.
    expect(apportion([6n, 4n, 20n], 10n, 3n)).toEqual([1n, 0n, 2n]);
    // Shorts floor downwards: −0.5 + 1.5 = 1 → 0 + 1.
    expect(apportion([-5n, 15n], 10n, 1n)).toEqual([0n, 1n]);
  });
});

describe('aggregatePortfolios', () => {
  const result = aggregatePortfolios([
    { key: 't:A', label: 'Broker', portfolio: a },
    { key: 't:B', label: 'IIS', portfolio: b },
  ]);

  it('totals exactly across accounts', () => {
    expect(result.total).toBe('14551.3');
    expect(result.dailyChange).toBe('-10.1');
    // -10.1 / (14551.3 + 10.1) = -0.06936…%
    expect(result.dailyChangePercent).toBe('-0.07');
  });

  it('sums expected yield in roubles against the cost basis', () => {
    // Currency positions are priced in roubles, so their yield already is: 101 + 1050 − 20.
    expect(result.expectedYield).toBe('1131');
    // Cost basis 2400 + 1000.2 + 8000 + 1900 + 100.1 = 13400.3; 1131 / 13400.3 = 8.44%.
    expect(result.expectedYieldPercent).toBe('8.44');
  });

  it('holds each currency in its own units with a rouble value', () => {
    expect(result.byCurrency).toEqual([
      // 2501 + 1000.2 + 1900 + 100.1 = 5501.3; the bond counts its accrued interest: 2 × 950 = 1900.
      { currency: 'RUB', amount: '5501.3', rubValue: '5501.3', partlyUnpriced: false },
      { currency: 'USD', amount: '100', rubValue: '9050', partlyUnpriced: false },
    ]);
    // The positions explain the accounts' totals exactly.
    expect(result.unattributed).toBe('0');
  });

  it('gives each account the rounded value and daily change the totals are made of', () => {
    expect(Object.fromEntries(result.accounts)).toEqual({ 't:A': { value: '12551.2', dailyChange: '-12.3' }, 't:B': { value: '2000.1', dailyChange: '2.2' } });
  });

  it('counts dollars as dollars when the upstream leaves the ticker empty, using instrument data', () => {
    const blank = portfolio('C', { portfolio: '10050', currencies: '10050' }, [
      position({ ticker: '', instrumentType: 'currency', quantity: '1000', currentPrice: rub('1') }),
      { ...position({ ticker: '', instrumentType: 'currency', quantity: '100', currentPrice: rub('90.5') }), instrumentUid: 'usd-uid' },
    ]);
    blank.positions[0]!.instrumentUid = 'rub-uid';
    const named = aggregatePortfolios([{ key: 't:C', label: 'C', portfolio: blank, currencies: new Map([['rub-uid', 'RUB'], ['usd-uid', 'USD']]) }]);
    expect(named.byCurrency.map((h) => [h.currency, h.amount, h.rubValue])).toEqual([
      ['RUB', '1000', '1000'],
      ['USD', '100', '9050'],
    ]);
    expect(named.allocation.byCurrency.map((s) => [s.key, s.percent])).toEqual([
      ['USD', '90.05'],
      ['RUB', '9.95'],
    ]);
    // Without instrument data the dollars are not roubles: their value is shown as not broken down.
    const unnamed = aggregatePortfolios([{ key: 't:C', label: 'C', portfolio: blank }]);
    expect(unnamed.byCurrency).toEqual([]);
    expect(unnamed.unattributed).toBe('10050');
    expect(unnamed.allocation.byCurrency).toEqual([{ key: UNATTRIBUTED, label: UNATTRIBUTED, value: '10050', percent: '100' }]);
  });

  it('shows what the positions do not explain as one line, so every section still adds up to the total', () => {
    // T-Invest's total leaves out the bond's accrued interest (2 × 10), and a share has no price.
    const odd = portfolio('D', { portfolio: '1980' }, [
      position({ ticker: 'OFZ', instrumentType: 'bond', quantity: '2', currentPrice: rub('940'), currentNkd: rub('10') }),
      position({ ticker: 'GAZP', instrumentType: 'share', quantity: '5', averagePrice: rub('150') }),
      position({ ticker: 'RUB000UTSTOM', instrumentType: 'currency', quantity: '100', currentPrice: rub('1') }),
    ]);
    const result = aggregatePortfolios([{ key: 't:D', label: 'D', portfolio: odd }]);
    expect(result.total).toBe('1980');
    expect(result.unattributed).toBe('-20');
    expect(result.allocation.byType.map((s) => [s.key, s.value])).toEqual([
      ['bond', '1900'],
      ['currency', '100'],
      [UNATTRIBUTED, '-20'],
    ]);
    expect(result.byCurrency).toEqual([{ currency: 'RUB', amount: '2000', rubValue: '2000', partlyUnpriced: false }]);
  });

  it('allocates by type, currency and account, percentages of the whole', () => {
    // 69.7553…, 17.1875…, 13.0572…: rounded half-up they would add up to 100.01; by largest
    // remainders (floors 99.98, the two units left to .75 and .72) they add up to exactly 100.
    expect(result.allocation.byType).toEqual([
      { key: 'currency', label: 'currency', value: '10150.3', percent: '69.75' },
      { key: 'share', label: 'share', value: '2501', percent: '17.19' },
      { key: 'bond', label: 'bond', value: '1900', percent: '13.06' },
    ]);
    expect(result.allocation.byCurrency.map((s) => [s.key, s.value, s.percent])).toEqual([
      ['USD', '9050', '62.19'],
      ['RUB', '5501.3', '37.81'],
    ]);
    expect(result.allocation.byAccount.map((s) => [s.label, s.percent])).toEqual([
      ['Broker', '86.25'],
      ['IIS', '13.75'],
    ]);
  });

  it('is empty but well-formed with no accounts', () => {
    const none = aggregatePortfolios([]);
    expect(none).toMatchObject({ total: '0', dailyChange: '0', dailyChangePercent: null, expectedYieldPercent: null, byCurrency: [] });
    expect(none.allocation.byType).toEqual([]);
  });
});
