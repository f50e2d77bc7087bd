// Overview arithmetic: exact sums across accounts and currencies, percentages, allocations.
import { describe, expect, it } from 'vitest';
import { addDecimals, aggregatePortfolios, heldCurrency, multiplyDecimals, percentOf, roundDecimal } from './aggregate';
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

  it('reads the held currency off currency tickers', () => {
    expect(heldCurrency(position({ ticker: 'USD000UTSTOM', instrumentType: 'currency', quantity: '1', currentPrice: rub('90') }))).toBe('USD');
    expect(heldCurrency(position({ ticker: 'CNYRUB_TOM', instrumentType: 'currency', quantity: '1', currentPrice: rub('12') }))).toBe('CNY');
    expect(heldCurrency(position({ ticker: 'AAPL', instrumentType: 'share', quantity: '1', currentPrice: { amount: '1', currency: 'usd' } }))).toBe('USD');
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
      { currency: 'RUB', amount: '5501.3', rubValue: '5501.3' },
      { currency: 'USD', amount: '100', rubValue: '9050' },
    ]);
  });

  it('allocates by type, currency and account, percentages of the whole', () => {
    expect(result.allocation.byType).toEqual([
      { key: 'currencies', label: 'currencies', value: '10150.3', percent: '69.76' },
      { key: 'shares', label: 'shares', value: '2501', percent: '17.19' },
      { key: 'bonds', label: 'bonds', value: '1900', percent: '13.06' },
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
